#include "PasswordStore.h"

#include <QFileInfo>

#include <qt6keychain/keychain.h>

namespace tablesync {

namespace {
const QString kService = u"tablesync"_qs;
}

PasswordStore::PasswordStore(QObject *parent)
    : QObject(parent)
{}

QString PasswordStore::entryKey(const QString &envPath, const QString &variable)
{
    return QFileInfo(envPath).absoluteFilePath() + u'#' + variable;
}

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
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setInsecureFallback(false);
    job->setKey(u"tablesync-keychain-probe"_qs);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        const bool works = done->error() == QKeychain::NoError || done->error() == QKeychain::EntryNotFound;
        setAvailability(works ? Availability::Available : Availability::Unavailable,
                        works ? QString() : done->errorString());
    });
    job->start();
}

void PasswordStore::read(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(done);
        const bool found = done->error() == QKeychain::NoError;
        Q_EMIT passwordRead(key, found ? readJob->textData() : QString(), found);
    });
    job->start();
}

void PasswordStore::write(const QString &key, const QString &password)
{
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(password);
    ++m_pendingWrites;
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *done) {
        --m_pendingWrites;
        if (done->error() != QKeychain::NoError)
            Q_EMIT writeFailed(key, done->errorString());
        if (m_pendingWrites == 0)
            Q_EMIT writesFinished();
    });
    job->start();
}

void PasswordStore::remove(const QString &key)
{
    auto *job = new QKeychain::DeletePasswordJob(kService, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->start();
}

} // namespace tablesync
