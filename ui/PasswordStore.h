#pragma once

#include <QObject>
#include <QString>

namespace tablesync {

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

    void read(const QString &key);
    void write(const QString &key, const QString &password);
    void remove(const QString &key);
    int pendingWrites() const { return m_pendingWrites; }

    // The keychain entry for one password of a profile: its .env path and the variable.
    static QString entryKey(const QString &envPath, const QString &variable);

Q_SIGNALS:
    void availabilityChanged(tablesync::PasswordStore::Availability availability);
    void passwordRead(const QString &key, const QString &password, bool found);
    void writeFailed(const QString &key, const QString &error);
    // No write is in flight any more (safe to quit).
    void writesFinished();

private:
    void setAvailability(Availability availability, const QString &reason);

    Availability m_availability = Availability::Unknown;
    QString m_reason;
    int m_pendingWrites = 0;
};

} // namespace tablesync
