#pragma once

#include <QList>
#include <QObject>
#include <QString>

namespace tablesync {

// Where one password lives in the OS keychain. An entry belongs to a database account
// (user@host:port), not to a profile's files: the same account has the same password whatever
// profile or folder names it, so moving or copying a profile keeps its passwords, and a person
// browsing the keychain (Seahorse, KWalletManager) reads whose password an entry holds, since
// QtKeychain shows the service as the entry's label.
struct KeychainEntry
{
    QString service;
    QString key;

    static KeychainEntry forAccount(const QString &user, const QString &host, int port);
    // Where profiles saved by tablesync 0.1 kept a password: keyed by the .env's absolute path.
    // Still read, so those passwords are found; replaced by forAccount() at the next save.
    static KeychainEntry legacy(const QString &envPath, const QString &variable);
    bool operator==(const KeychainEntry &other) const = default;
};

// One password to store, and the entry it goes to.
struct KeychainSecret
{
    KeychainEntry entry;
    QString password;
};

// Stores passwords and reads each one back: finished() carries "" only when the keychain gave
// back exactly what was stored. A Secret Service that answers but cannot store (no default
// collection, a locked keyring, a write error) is caught here, before a caller drops the
// password from anywhere else.
class KeychainSave : public QObject
{
    Q_OBJECT
public:
    KeychainSave(QList<KeychainSecret> secrets, QObject *parent);
    void start();

Q_SIGNALS:
    // `problem` is empty on success, else what went wrong in words. Emitted once.
    void finished(const QString &problem);

private:
    void write(qsizetype index);
    void readBack(qsizetype index);
    void fail(const QString &problem);

    QList<KeychainSecret> m_secrets;
    bool m_done = false;
};

// The OS keychain through QtKeychain (Secret Service, KWallet, macOS Keychain, Windows
// Credential Store). Whether one answers is found out at run time: a desktop without a Secret
// Service, a container or an SSH session has none, and then passwords stay in the .env the user
// chose. QtKeychain's plain-text QSettings fallback is never enabled: secrets do not go there.
// Every call is asynchronous; answers come back as signals.
class PasswordStore : public QObject
{
    Q_OBJECT
public:
    enum class Availability { Unknown, Available, Unavailable };

    explicit PasswordStore(QObject *parent = nullptr);

    // Asks the keychain once; availabilityChanged() follows. TABLESYNC_KEYCHAIN=off in the
    // environment skips it (tests, or a user who wants the .env only).
    void probe();
    Availability availability() const { return m_availability; }
    bool isAvailable() const { return m_availability == Availability::Available; }
    QString unavailableReason() const { return m_reason; }

    void read(const KeychainEntry &entry);
    // Writes and reads back every secret; the job deletes itself after finished().
    KeychainSave *save(const QList<KeychainSecret> &secrets);
    void remove(const KeychainEntry &entry);
    // Saves not finished yet: the process waits for them before it quits.
    int pendingWrites() const { return m_pendingWrites; }

Q_SIGNALS:
    void availabilityChanged(tablesync::PasswordStore::Availability availability);
    void passwordRead(const tablesync::KeychainEntry &entry, const QString &password, bool found);
    // No save is in flight any more (safe to quit).
    void writesFinished();

private:
    void setAvailability(Availability availability, const QString &reason);

    Availability m_availability = Availability::Unknown;
    QString m_reason;
    int m_pendingWrites = 0;
};

} // namespace tablesync
