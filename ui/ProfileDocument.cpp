#include "ProfileDocument.h"

#include "PasswordStore.h"
#include "TableListModel.h"
#include "config/ProfileWriter.h"

#include <QDir>
#include <QFileInfo>

namespace tablesync {

namespace {
const QStringList kPasswordKeys{u"SOURCE_DB_PASS"_qs, u"TARGET_DB_PASS"_qs};
// Tells a headless run (and a person reading the .env) that the passwords are in the keychain.
const QString kPasswordStoreKey = u"TABLESYNC_PASSWORD_STORE"_qs;

// "SOURCE_DB_PASS" -> "SOURCE_DB_": the prefix of the other keys of the same connection.
QString connectionPrefix(const QString &passwordKey)
{
    return passwordKey.left(passwordKey.size() - 4);
}
} // namespace

ProfileDocument::ProfileDocument(PasswordStore *passwords, QObject *parent)
    : QObject(parent)
    , m_passwords(passwords)
    , m_tables(new TableListModel(this))
{
    connect(m_tables, &TableListModel::edited, this, [this] { setDirty(true); });
    connect(m_passwords, &PasswordStore::passwordRead, this, &ProfileDocument::onPasswordRead);
    connect(m_passwords, &PasswordStore::availabilityChanged, this, [this](PasswordStore::Availability a) {
        if (a != PasswordStore::Availability::Available)
            return;
        // A profile whose .env holds no password may keep it in the keychain.
        if (hasFiles())
            readPasswordsFromKeychain();
        else if (!m_dirty)
            setPasswordStorage(PasswordStorage::Keychain);
    });
}

QStringList ProfileDocument::knownKeys()
{
    QStringList keys;
    for (const QString &role : {u"SOURCE"_qs, u"TARGET"_qs}) {
        for (const char16_t *name :
             {u"HOST", u"PORT", u"USER", u"PASS", u"NAME", u"SSL_CA", u"SSL_CERT", u"SSL_KEY", u"SSL_REQUIRE"})
            keys << role + u"_DB_"_qs + QString::fromUtf16(name);
    }
    keys << u"FETCH_LIMIT"_qs << u"INTERVAL"_qs << u"SYNC_WORKERS"_qs << u"SYNC_RETRIES"_qs << u"POOL_SIZE"_qs
         << u"MAX_OVERFLOW"_qs << u"POOL_TIMEOUT"_qs << u"POOL_RECYCLE"_qs << u"POOL_STATUS_INTERVAL"_qs
         << u"DB_CONNECT_TIMEOUT"_qs << u"DB_READ_TIMEOUT"_qs << u"DB_WRITE_TIMEOUT"_qs << u"HEALTH_HOST"_qs
         << u"HEALTH_PORT"_qs << u"HEALTH_TOKEN"_qs << u"HEALTH_TOKEN_FILE"_qs << kPasswordStoreKey;
    return keys;
}

QString ProfileDocument::displayName() const
{
    if (!hasFiles())
        return tr("Untitled profile");
    const QFileInfo env(m_profile.envPath);
    return QDir::toNativeSeparators(env.absoluteFilePath());
}

void ProfileDocument::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

void ProfileDocument::newProfile()
{
    m_profile = Profile();
    m_tables->setTables({});
    m_tables->setCatalog({});
    m_passwordStorage = m_passwords->isAvailable() ? PasswordStorage::Keychain : PasswordStorage::EnvFile;
    setDirty(false);
    Q_EMIT filesChanged();
    Q_EMIT passwordStorageChanged();
    Q_EMIT loaded();
}

ConfigErrors ProfileDocument::open(const QString &envPath, const QString &tablesPath)
{
    ConfigErrors errors;
    m_profile = Profile::load(envPath, tablesPath, errors);
    m_tables->setTables(m_profile.tables);
    m_tables->setCatalog({});
    // Where the user keeps passwords already decides: a password in the .env stays there.
    const bool passwordInFile = std::any_of(kPasswordKeys.cbegin(), kPasswordKeys.cend(),
                                            [this](const QString &k) { return !m_profile.env.value(k).isEmpty(); });
    m_passwordStorage =
        passwordInFile || !m_passwords->isAvailable() ? PasswordStorage::EnvFile : PasswordStorage::Keychain;
    if (m_passwordStorage == PasswordStorage::Keychain)
        readPasswordsFromKeychain();
    setDirty(false);
    Q_EMIT filesChanged();
    Q_EMIT passwordStorageChanged();
    Q_EMIT loaded();
    return errors;
}

KeychainEntry ProfileDocument::keychainEntry(const QString &passwordKey) const
{
    const QString prefix = connectionPrefix(passwordKey);
    return KeychainEntry::forAccount(m_profile.env.value(prefix + u"USER"_qs), m_profile.env.value(prefix + u"HOST"_qs),
                                     m_profile.env.value(prefix + u"PORT"_qs, u"3306"_qs).toInt());
}

QList<KeychainSecret> ProfileDocument::keychainSecrets() const
{
    QList<KeychainSecret> secrets;
    for (const QString &key : kPasswordKeys) {
        if (!m_profile.env.value(key).isEmpty())
            secrets << KeychainSecret{keychainEntry(key), m_profile.env.value(key)};
    }
    return secrets;
}

void ProfileDocument::readPasswordsFromKeychain()
{
    for (const QString &key : kPasswordKeys) {
        if (m_profile.env.value(key).isEmpty())
            m_passwords->read(keychainEntry(key));
    }
}

void ProfileDocument::onPasswordRead(const KeychainEntry &entry, const QString &password, bool found)
{
    if (!hasFiles())
        return;
    for (const QString &key : kPasswordKeys) {
        if (!m_profile.env.value(key).isEmpty())
            continue; // typed meanwhile, or found already
        const KeychainEntry legacy = KeychainEntry::legacy(m_profile.envPath, key);
        if (entry == keychainEntry(key) && !found) {
            m_passwords->read(legacy); // a profile saved before entries were per account
            continue;
        }
        if (!found || (entry != keychainEntry(key) && entry != legacy))
            continue;
        // Fills a password the user has not typed meanwhile; it is not an edit.
        m_profile.env.insert(key, password);
        if (m_passwordStorage != PasswordStorage::Keychain) {
            m_passwordStorage = PasswordStorage::Keychain;
            Q_EMIT passwordStorageChanged();
        }
        Q_EMIT valueChanged(key);
    }
}

QString ProfileDocument::value(const QString &key, const QString &fallback) const
{
    return m_profile.env.value(key, fallback);
}

void ProfileDocument::setValue(const QString &key, const QString &value)
{
    const bool present = m_profile.env.contains(key);
    if (value.isEmpty() && !present)
        return;
    if (present && m_profile.env.value(key) == value)
        return;
    if (value.isEmpty())
        m_profile.env.remove(key);
    else
        m_profile.env.insert(key, value);
    setDirty(true);
    Q_EMIT valueChanged(key);
}

void ProfileDocument::setNumber(const QString &key, int value, int defaultValue)
{
    if (!m_profile.env.contains(key) && value == defaultValue)
        return;
    setValue(key, QString::number(value));
}

void ProfileDocument::setPasswordStorage(PasswordStorage storage)
{
    if (m_passwordStorage == storage)
        return;
    m_passwordStorage = storage;
    setDirty(true);
    Q_EMIT passwordStorageChanged();
}

Settings ProfileDocument::settings(ConfigErrors &errors) const
{
    Profile profile = m_profile;
    // The window reads the keychain itself (a password it could not read shows as empty in its
    // field); the headless-only advice of TABLESYNC_PASSWORD_STORE would mislead here.
    profile.env.remove(kPasswordStoreKey);
    profile.tables = m_tables->tables();
    return profile.settings(errors);
}

bool ProfileDocument::save(QString *error)
{
    if (!hasFiles()) {
        *error = tr("The profile has no files yet: use Save As.");
        return false;
    }
    return saveAs(m_profile.envPath, m_profile.tablesPath, error);
}

bool ProfileDocument::saveAs(const QString &envPath, const QString &tablesPath, QString *error)
{
    // With the keychain chosen, the caller has stored and read back the passwords there
    // (keychainSecrets()) before this drops them from the file.
    QMap<QString, QString> values = m_profile.env;
    const bool keychain = m_passwordStorage == PasswordStorage::Keychain;
    values.remove(kPasswordStoreKey);
    if (keychain) {
        for (const QString &key : kPasswordKeys)
            values.remove(key);
        values.insert(kPasswordStoreKey, Settings::kKeychainStore.toString());
    }
    // Save As to a new place keeps the layout and comments of the file the profile came from.
    const QByteArray envText = ProfileWriter::renderEnv(m_profile.envText, values, knownKeys());
    const QList<TableSpec> tables = m_tables->tables();
    // tables.json first: a failure there leaves the pair as it was.
    if (!ProfileWriter::writeFile(tablesPath, ProfileWriter::renderTables(tables), error))
        return false;
    if (!ProfileWriter::writeFile(envPath, envText, error))
        return false;
    if (keychain) {
        // Now kept per account: the old entry goes only where the password was just stored
        // and read back (keychainSecrets()), never one still being read or never found.
        for (const QString &key : kPasswordKeys) {
            if (!m_profile.env.value(key).isEmpty())
                m_passwords->remove(KeychainEntry::legacy(m_profile.envPath, key));
        }
    }
    const bool moved = envPath != m_profile.envPath || tablesPath != m_profile.tablesPath;
    m_profile.envPath = envPath;
    m_profile.tablesPath = tablesPath;
    m_profile.envText = envText;
    m_profile.tables = tables;
    setDirty(false);
    if (moved)
        Q_EMIT filesChanged();
    Q_EMIT saved();
    return true;
}

} // namespace tablesync
