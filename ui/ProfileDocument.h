#pragma once

#include "config/ConfigError.h"
#include "config/Profile.h"

#include <QObject>

namespace tablesync {

class PasswordStore;
class TableListModel;
struct KeychainEntry;
struct KeychainSecret;

// The profile open in the window: the .env values and the table list as edited, the files they
// came from, and whether they differ from what is on disk. Saving writes both files atomically
// with mode 0600 (ProfileWriter). Passwords go to the OS keychain when the user keeps them there,
// and then never into the .env; otherwise only into the .env.
class ProfileDocument : public QObject
{
    Q_OBJECT
public:
    enum class PasswordStorage { EnvFile, Keychain };

    explicit ProfileDocument(PasswordStore *passwords, QObject *parent = nullptr);

    void newProfile();
    // Opens the two files; returns what was wrong with them (what could be read is loaded anyway).
    ConfigErrors open(const QString &envPath, const QString &tablesPath);
    // Saves to the current files (false with `error` when there are none or writing failed).
    bool save(QString *error);
    bool saveAs(const QString &envPath, const QString &tablesPath, QString *error);

    bool hasFiles() const { return !m_profile.envPath.isEmpty(); }
    QString envPath() const { return m_profile.envPath; }
    QString tablesPath() const { return m_profile.tablesPath; }
    QString displayName() const;
    bool isDirty() const { return m_dirty; }

    // A .env value as the user sees it; `fallback` when the key is not set.
    QString value(const QString &key, const QString &fallback = {}) const;
    bool contains(const QString &key) const { return m_profile.env.contains(key); }
    // Sets a key; an empty value removes it (the engine's default then applies).
    void setValue(const QString &key, const QString &value);
    // Numbers from spin boxes: a key that is not in the file stays out while it has the default.
    void setNumber(const QString &key, int value, int defaultValue);

    TableListModel *tables() const { return m_tables; }

    // The settings the engine would run on, with every problem in `errors`.
    Settings settings(ConfigErrors &errors) const;

    PasswordStorage passwordStorage() const { return m_passwordStorage; }
    void setPasswordStorage(PasswordStorage storage);
    // The passwords to store in the keychain before a save with PasswordStorage::Keychain.
    QList<KeychainSecret> keychainSecrets() const;

    // Every key the GUI edits, in the order a new .env lists them.
    static QStringList knownKeys();

Q_SIGNALS:
    // Everything was replaced (new or opened profile).
    void loaded();
    void valueChanged(const QString &key);
    void dirtyChanged(bool dirty);
    void filesChanged();
    void saved();
    void passwordStorageChanged();

private:
    void setDirty(bool dirty);
    void readPasswordsFromKeychain();
    void onPasswordRead(const KeychainEntry &entry, const QString &password, bool found);
    KeychainEntry keychainEntry(const QString &passwordKey) const;

    PasswordStore *m_passwords = nullptr;
    TableListModel *m_tables = nullptr;
    Profile m_profile;
    bool m_dirty = false;
    PasswordStorage m_passwordStorage = PasswordStorage::EnvFile;
};

} // namespace tablesync
