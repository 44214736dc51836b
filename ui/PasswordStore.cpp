#include "PasswordStore.h"

#include <QFileInfo>

#include <qt6keychain/keychain.h>

namespace tablesync {

namespace {
const QString kProbeService = u"tablesync"_qs;

template<typename Job> Job *newJob(const KeychainEntry &entry, QObject *parent)
{
    auto *job = new Job(entry.service, parent);
    job->setInsecureFallback(false);
    job->setKey(entry.key);
    return job;
}
} // namespace

KeychainEntry KeychainEntry::forAccount(const QString &user, const QString &host, int port)
{
    const QString account =
        user + u'@' + (host.contains(u':') ? u'[' + host + u']' : host) + u':' + QString::number(port);
    return {u"tablesync: MySQL password of "_qs + account, account};
}

KeychainEntry KeychainEntry::legacy(const QString &envPath, const QString &variable)
{
    return {kProbeService, QFileInfo(envPath).absoluteFilePath() + u'#' + variable};
}

KeychainSave::KeychainSave(QList<KeychainSecret> secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(std::move(secrets))
{}

void KeychainSave::start()
{
    write(0);
}

void KeychainSave::write(qsizetype index)
{
    if (index == m_secrets.size()) {
        m_done = true;
        Q_EMIT finished(QString());
        return;
    }
    const KeychainSecret &secret = m_secrets.at(index);
    auto *job = newJob<QKeychain::WritePasswordJob>(secret.entry, this);
    job->setTextData(secret.password);
    connect(job, &QKeychain::Job::finished, this, [this, index](QKeychain::Job *done) {
        if (done->error() != QKeychain::NoError)
            fail(tr("the keychain refused to store it: %1").arg(done->errorString()));
        else
            readBack(index);
    });
    job->start();
}

void KeychainSave::readBack(qsizetype index)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(m_secrets.at(index).entry, this);
    connect(job, &QKeychain::Job::finished, this, [this, index](QKeychain::Job *done) {
        const auto *read = static_cast<QKeychain::ReadPasswordJob *>(done);
        if (done->error() != QKeychain::NoError)
            fail(tr("the keychain accepted it but could not give it back: %1").arg(done->errorString()));
        else if (read->textData() != m_secrets.at(index).password)
            fail(tr("the keychain gave back a different password than the one stored"));
        else
            write(index + 1);
    });
    job->start();
}

void KeychainSave::fail(const QString &problem)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(problem);
}

PasswordStore::PasswordStore(QObject *parent)
    : QObject(parent)
{}

void PasswordStore::setAvailability(Availability availability, const QString &reason)
{
    m_availability = availability;
    m_reason = reason;
    Q_EMIT availabilityChanged(availability);
}

void PasswordStore::probe()
{
    if (qEnvironmentVariable("TABLESYNC_KEYCHAIN").compare(u"off"_qs, Qt::CaseInsensitive) == 0) {
        setAvailability(Availability::Unavailable, tr("turned off by TABLESYNC_KEYCHAIN=off"));
        return;
    }
    // Reading an entry that does not exist tells a working keychain (EntryNotFound) from none.
    // Whether it can also store is only known when it does: KeychainSave checks that.
    auto *job = newJob<QKeychain::ReadPasswordJob>({kProbeService, u"tablesync-keychain-probe"_qs}, this);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        const bool works = done->error() == QKeychain::NoError || done->error() == QKeychain::EntryNotFound;
        setAvailability(works ? Availability::Available : Availability::Unavailable,
                        works ? QString() : done->errorString());
    });
    job->start();
}

void PasswordStore::read(const KeychainEntry &entry)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(entry, this);
    connect(job, &QKeychain::Job::finished, this, [this, entry](QKeychain::Job *done) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(done);
        const bool found = done->error() == QKeychain::NoError;
        Q_EMIT passwordRead(entry, found ? readJob->textData() : QString(), found);
    });
    job->start();
}

KeychainSave *PasswordStore::save(const QList<KeychainSecret> &secrets)
{
    auto *job = new KeychainSave(secrets, this);
    ++m_pendingWrites;
    connect(job, &KeychainSave::finished, this, [this, job] {
        job->deleteLater();
        if (--m_pendingWrites == 0)
            Q_EMIT writesFinished();
    });
    // Started from the event loop, so that the caller is connected before anything finishes.
    QMetaObject::invokeMethod(job, &KeychainSave::start, Qt::QueuedConnection);
    return job;
}

void PasswordStore::remove(const KeychainEntry &entry)
{
    newJob<QKeychain::DeletePasswordJob>(entry, this)->start();
}

} // namespace tablesync
