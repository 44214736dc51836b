#pragma once

#include "config/Settings.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace tablesync {

// One MySQL/MariaDB connection, born, used and removed on the thread that created it
// (QtSql's rule, FACTS-qt-mysql.md). Opening applies the session settings an exact copy needs:
// utf8mb4, time_zone +00:00 (TIMESTAMP values do not shift) and a sql_mode that accepts what
// the source holds (zero dates, an AUTO_INCREMENT key of 0).
class DbConnection
{
public:
    explicit DbConnection(ConnectionSettings settings);
    ~DbConnection();
    DbConnection(const DbConnection &) = delete;
    DbConnection &operator=(const DbConnection &) = delete;

    // Throws DbError naming the server (never the password) when the server cannot be reached,
    // or when the settings require TLS and the session is not encrypted.
    void open();
    void close();
    bool isOpen() const;

    const ConnectionSettings &settings() const { return m_settings; }
    QSqlDatabase database() const;
    QString serverVersion() const { return m_serverVersion; }
    qint64 maxAllowedPacket() const { return m_maxAllowedPacket; }
    // The session's TLS cipher (e.g. "TLS_AES_256_GCM_SHA384"); empty when it is not encrypted.
    QString sslCipher() const { return m_sslCipher; }

    // A query on this connection with DECIMAL kept exact.
    QSqlQuery newQuery() const;
    // Runs one statement; throws DbError with `what` and the server's message on failure.
    void exec(const QString &sql, const QString &what);
    // The same, returning the rows the statement affected (as the server counts them).
    qint64 execCounting(const QString &sql, const QString &what);
    // A schema change (CREATE, ALTER, RENAME, DROP): one at a time in this process. MariaDB 10.11
    // hung for good on two concurrent ALTER TABLEs of tables tied by foreign keys (both threads
    // "Committing alter table to storage engine", unkillable); workers never run two.
    void execSchemaChange(const QString &sql, const QString &what);
    // Runs a statement with positional values and returns the query positioned before the first row.
    QSqlQuery select(const QString &sql, const QVariantList &values, const QString &what);
    // The first column of the first row, or an invalid QVariant when there is no row.
    QVariant scalar(const QString &sql, const QVariantList &values, const QString &what);

    // The session's character set and sql_mode as open() set them, after a caller changed them.
    void restoreSessionSettings();

    void beginTransaction();
    void commit();
    void rollback();

private:
    void applySessionSettings();
    // `sql` with each ? outside quotes replaced by the next value as an SQL literal.
    QString withLiterals(const QString &sql, const QVariantList &values);
    QString literal(const QVariant &value);
    QString quotedText(const QString &text);
    void checkEncryption();

    ConnectionSettings m_settings;
    QString m_connectionName;
    QString m_serverVersion;
    QString m_sslCipher;
    qint64 m_maxAllowedPacket = 16 * 1024 * 1024;
};

} // namespace tablesync
