#include "OptionsForm.h"

#include "PasswordStore.h"
#include "ProfileDocument.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tablesync {

OptionsForm::OptionsForm(ProfileDocument *document, PasswordStore *passwords, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_passwords(passwords)
{
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // clang-format off
    layout->addWidget(addGroup(tr("Schedule and batches"), {
        {u"INTERVAL", QT_TR_NOOP("Sync every"), QT_TR_NOOP("Seconds between scheduled syncs while the app runs; "
            "0 syncs only when you click Run now"), 60, 0, 7 * 24 * 3600, " s", QT_TR_NOOP("only on Run now")},
        {u"FETCH_LIMIT", QT_TR_NOOP("Rows per batch"), QT_TR_NOOP("Rows read and committed per batch (FETCH_LIMIT); "
            "below 1,000 the engine uses 1,000"), 10000, 1, 1000000, "", nullptr},
        {u"SYNC_WORKERS", QT_TR_NOOP("Tables at once"), QT_TR_NOOP("Tables synced in parallel (SYNC_WORKERS)"),
            4, 1, 64, "", nullptr},
        {u"SYNC_RETRIES", QT_TR_NOOP("Retries"), QT_TR_NOOP("Retries after a lost connection, deadlock or lock wait "
            "timeout, with backoff (SYNC_RETRIES)"), 5, 0, 100, "", nullptr},
    }), 0, 0);
    layout->addWidget(addGroup(tr("Connection pool (per server)"), {
        {u"POOL_SIZE", QT_TR_NOOP("Pool size"), QT_TR_NOOP("Connections kept open (POOL_SIZE)"), 20, 1, 1000, "",
            nullptr},
        {u"MAX_OVERFLOW", QT_TR_NOOP("Max overflow"), QT_TR_NOOP("Extra connections opened under load and closed "
            "when returned (MAX_OVERFLOW)"), 30, 0, 1000, "", nullptr},
        {u"POOL_TIMEOUT", QT_TR_NOOP("Wait for a connection"), QT_TR_NOOP("Seconds to wait for a free connection "
            "before the table fails with \"pool limit reached\" (POOL_TIMEOUT)"), 60, 1, 86400, " s", nullptr},
        {u"POOL_RECYCLE", QT_TR_NOOP("Replace connections after"), QT_TR_NOOP("Seconds after which a connection is "
            "replaced before use (POOL_RECYCLE)"), 3600, -1, 604800, " s", QT_TR_NOOP("never")},
    }), 0, 1);
    layout->addWidget(addGroup(tr("Timeouts (both servers)"), {
        {u"DB_CONNECT_TIMEOUT", QT_TR_NOOP("Connect"), QT_TR_NOOP("Seconds to wait for a server to answer "
            "(DB_CONNECT_TIMEOUT)"), 10, 1, 3600, " s", nullptr},
        {u"DB_READ_TIMEOUT", QT_TR_NOOP("Read"), QT_TR_NOOP("Seconds a read may take (DB_READ_TIMEOUT)"), 600, 1,
            86400, " s", nullptr},
        {u"DB_WRITE_TIMEOUT", QT_TR_NOOP("Write"), QT_TR_NOOP("Seconds a write may take (DB_WRITE_TIMEOUT)"), 600, 1,
            86400, " s", nullptr},
    }), 0, 2);
    // clang-format on

    auto *passwordsBox = new QGroupBox(tr("Passwords"), this);
    auto *passwordLayout = new QVBoxLayout(passwordsBox);
    auto *keychain = new QRadioButton(tr("In the OS &keychain"), passwordsBox);
    keychain->setObjectName(u"passwordsInKeychain"_qs);
    auto *envFile = new QRadioButton(tr("In the .env &file (readable by you only, mode 0600)"), passwordsBox);
    envFile->setObjectName(u"passwordsInEnvFile"_qs);
    m_passwordChoice = new QButtonGroup(this);
    m_passwordChoice->addButton(keychain, int(ProfileDocument::PasswordStorage::Keychain));
    m_passwordChoice->addButton(envFile, int(ProfileDocument::PasswordStorage::EnvFile));
    m_passwordNote = new QLabel(passwordsBox);
    m_passwordNote->setWordWrap(true);
    m_passwordNote->setForegroundRole(QPalette::PlaceholderText);
    auto *choices = new QHBoxLayout;
    choices->addWidget(keychain);
    choices->addWidget(envFile);
    choices->addStretch(1);
    passwordLayout->addLayout(choices);
    passwordLayout->addWidget(m_passwordNote);
    layout->addWidget(passwordsBox, 1, 0, 1, 3);

    connect(m_passwordChoice, &QButtonGroup::idClicked, this,
            [this](int id) { m_document->setPasswordStorage(ProfileDocument::PasswordStorage(id)); });
    connect(m_passwords, &PasswordStore::availabilityChanged, this, &OptionsForm::updatePasswordChoice);
    connect(m_document, &ProfileDocument::passwordStorageChanged, this, &OptionsForm::updatePasswordChoice);
    connect(m_document, &ProfileDocument::loaded, this, &OptionsForm::loadFromDocument);
    connect(m_document, &ProfileDocument::valueChanged, this, &OptionsForm::loadKey);
    loadFromDocument();
}

QGroupBox *OptionsForm::addGroup(const QString &title, std::initializer_list<Option> options)
{
    auto *box = new QGroupBox(title, this);
    auto *form = new QFormLayout(box);
    for (const Option &option : options) {
        const QString key = QString::fromUtf16(option.key);
        auto *spin = new QSpinBox(box);
        spin->setObjectName(key);
        spin->setRange(option.min, option.max);
        spin->setSuffix(tr(option.suffix));
        if (option.specialText)
            spin->setSpecialValueText(tr(option.specialText));
        spin->setToolTip(tr(option.help) + u"\n"_qs + tr(".env key %1, default %2").arg(key).arg(option.defaultValue));
        spin->setAccessibleName(tr(option.label));
        spin->setAccessibleDescription(tr(option.help));
        form->addRow(tr(option.label), spin);
        m_spins.insert(key, spin);
        m_defaults.insert(key, option.defaultValue);
        connect(spin, &QSpinBox::valueChanged, this,
                [this, key](int value) { m_document->setNumber(key, value, m_defaults.value(key)); });
    }
    return box;
}

void OptionsForm::loadFromDocument()
{
    for (auto it = m_spins.cbegin(); it != m_spins.cend(); ++it)
        loadKey(it.key());
    updatePasswordChoice();
}

void OptionsForm::loadKey(const QString &key)
{
    QSpinBox *spin = m_spins.value(key);
    if (!spin)
        return;
    bool ok = false;
    const int value = m_document->value(key).trimmed().toInt(&ok);
    const QSignalBlocker block(spin);
    spin->setValue(ok ? value : m_defaults.value(key));
}

void OptionsForm::updatePasswordChoice()
{
    const bool available = m_passwords->isAvailable();
    QAbstractButton *keychain = m_passwordChoice->button(int(ProfileDocument::PasswordStorage::Keychain));
    keychain->setEnabled(available || m_document->passwordStorage() == ProfileDocument::PasswordStorage::Keychain);
    if (QAbstractButton *current = m_passwordChoice->button(int(m_document->passwordStorage()))) {
        const QSignalBlocker block(m_passwordChoice);
        current->setChecked(true);
    }
    if (m_document->passwordStorage() == ProfileDocument::PasswordStorage::Keychain) {
        m_passwordNote->setText(tr("Passwords are kept in the OS keychain and left out of the .env. A headless run "
                                   "(tablesync --headless) on this profile then needs SOURCE_DB_PASS and "
                                   "TARGET_DB_PASS in its environment."));
    } else if (!available) {
        m_passwordNote->setText(
            tr("No OS keychain answers here (%1), so passwords are saved in the .env file you chose, which only "
               "you can read.")
                .arg(m_passwords->availability() == PasswordStore::Availability::Unknown
                         ? tr("still checking")
                         : m_passwords->unavailableReason()));
    } else {
        m_passwordNote->setText(tr("Passwords are saved in the .env file, which only you can read; headless runs "
                                   "use them as they are."));
    }
}

} // namespace tablesync
