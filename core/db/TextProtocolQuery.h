#pragma once

#include <QByteArray>
#include <QString>

struct st_mysql;
struct st_mysql_res;

namespace tablesync {

class DbConnection;
class TextRows;

// SELECTs through the C API of a QtSql connection's own MariaDB handle, in the text protocol, with
// `character_set_results=binary` for as long as this object lives (the destructor restores it).
// Rows stream from the server (mysql_use_result) into TextRows exactly as the server formats
// them, so the source needs no casts and the client builds no QVariants.
//
// Why: to read exact values QtSql needs casts (text AS BINARY, temporal and DECIMAL AS CHAR,
// FACTS-qt-mysql.md), which cost the source ~0.9 CPU-s per 1M benchmark rows, and turning every
// value into a QVariant was a third of tablesync's own CPU on a first load. On 2 cores shared
// with both servers, that CPU is wall time.
//
// It runs on the connection's session (its snapshot, its time zone), so while it lives that
// connection must not be used through QtSql for anything returning text. When the session
// cannot be put back, the connection is closed rather than left returning raw bytes.
class TextProtocolQuery
{
public:
    // Throws DbError when the session cannot be switched to binary results, or the connection
    // has no native handle (nativeHandle()).
    explicit TextProtocolQuery(DbConnection &connection);
    ~TextProtocolQuery();
    TextProtocolQuery(const TextProtocolQuery &) = delete;
    TextProtocolQuery &operator=(const TextProtocolQuery &) = delete;

    // Runs `sql` and appends its rows to `rows` (whose columns must be those selected).
    // Throws DbError with `what`, the server's message and its error number.
    void select(const QByteArray &sql, TextRows &rows, const QString &what);

    // A result read a part at a time: for a table without a key, which cannot be read in keyset
    // pages, one SELECT streams the whole table and each fetch() takes the next `maxRows` rows.
    // The server waits while the caller writes a part elsewhere, so the session's
    // net_write_timeout is raised for as long as the stream is open. Until fetch() returns false
    // nothing else may run on the connection. Destroyed before that, the stream is cut off
    // (mariadb_cancel) instead of read to its end, and the connection closed: the caller's
    // snapshot on it is gone then too (DbConnection::isOpen() says so).
    void startStream(const QByteArray &sql, const QString &what);
    // Appends up to `maxRows` rows; false when the stream had no more rows (it is then closed).
    bool fetch(TextRows &rows, int maxRows, const QString &what);

private:
    void endStream();     // after the last row
    void abandonStream(); // before it
    void restoreWriteTimeout();
    void closeConnection();
    // The one value a SELECT of a session variable returns, as the server's text; empty for NULL.
    QByteArray sessionValue(const QByteArray &sql, const QString &what);
    void execute(const QByteArray &sql, const QString &what);
    [[noreturn]] void fail(const QString &what);

    DbConnection &m_connection;
    st_mysql *m_handle;
    QByteArray m_previousResults; // the session's character_set_results before
    st_mysql_res *m_stream = nullptr;
    QByteArray m_previousWriteTimeout; // the session's net_write_timeout before the stream
    bool m_raisedWriteTimeout = false;
};

} // namespace tablesync
