#include "db/TextProtocolQuery.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/NativeHandle.h"
#include "db/TextRows.h"

#include <mysql.h>

#include <memory>

namespace tablesync {

namespace {
struct ResultDeleter
{
    void operator()(MYSQL_RES *result) const { mysql_free_result(result); }
};
using Result = std::unique_ptr<MYSQL_RES, ResultDeleter>;

// A character set name as the server reports it, safe to put back into a SET statement.
bool isCharsetName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (char c : name) {
        if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_')
            return false;
    }
    return true;
}
} // namespace

TextProtocolQuery::TextProtocolQuery(DbConnection &connection)
    : m_connection(connection)
    , m_handle(nativeHandle(connection))
{
    const QString what = u"switching the source session to binary results"_qs;
    if (!m_handle)
        throw DbError(what + u": the connection has no MariaDB handle"_qs);
    m_previousResults = sessionValue("SELECT @@session.character_set_results", what);
    execute("SET SESSION character_set_results = binary", what);
}

TextProtocolQuery::~TextProtocolQuery()
{
    // A stream not read to its end (a stop, an error while writing elsewhere) is cut off rather
    // than read to the end: that could take as long as the rest of the table.
    if (m_stream)
        abandonStream();
    else
        restoreWriteTimeout();
    if (!m_handle)
        return; // the connection was closed
    // NULL (no conversion) is a valid setting too; anything odd goes back to what QtSql sets.
    const QByteArray restored = m_previousResults.isEmpty()        ? QByteArrayLiteral("NULL")
                                : isCharsetName(m_previousResults) ? m_previousResults
                                                                   : QByteArrayLiteral("utf8mb4");
    const QByteArray sql = "SET SESSION character_set_results = " + restored;
    // Never throws. A connection where this fails (lost, or a statement killed) is closed: QtSql
    // would otherwise read text as bytes on it, and the pool replaces a closed connection.
    if (mysql_real_query(m_handle, sql.constData(), sql.size()) != 0)
        closeConnection();
}

void TextProtocolQuery::closeConnection()
{
    m_connection.close(); // frees the handle
    m_handle = nullptr;
}

QByteArray TextProtocolQuery::sessionValue(const QByteArray &sql, const QString &what)
{
    TextRows value;
    ColumnInfo text;
    text.dataType = u"varchar"_qs;
    value.reset({text}, 64, 1);
    select(sql, value, what);
    return value.rowCount() == 1 ? value.bytes(0, 0).toByteArray() : QByteArray();
}

void TextProtocolQuery::execute(const QByteArray &sql, const QString &what)
{
    if (mysql_real_query(m_handle, sql.constData(), sql.size()) != 0)
        fail(what);
}

void TextProtocolQuery::select(const QByteArray &sql, TextRows &rows, const QString &what)
{
    execute(sql, what);
    // Streamed: the rows go from the socket into `rows`, never buffered whole by the client.
    Result result(mysql_use_result(m_handle));
    if (!result)
        fail(what);
    if (int(mysql_num_fields(result.get())) != rows.columnCount())
        throw DbError(what + u": the server sent a different number of columns"_qs);
    while (MYSQL_ROW row = mysql_fetch_row(result.get()))
        rows.appendRow(row, mysql_fetch_lengths(result.get()));
    // No more rows, or an error cut them short (a lost connection, a timeout, a kill).
    if (mysql_errno(m_handle) != 0)
        fail(what);
}

void TextProtocolQuery::startStream(const QByteArray &sql, const QString &what)
{
    Q_ASSERT(!m_stream);
    m_previousWriteTimeout = sessionValue("SELECT @@session.net_write_timeout", what);
    // A part of a large table may take minutes to write to the target; the default 60 s would
    // have the server give up on sending the next one.
    execute("SET SESSION net_write_timeout = GREATEST(@@session.net_write_timeout, 3600)", what);
    m_raisedWriteTimeout = true;
    execute(sql, what);
    m_stream = mysql_use_result(m_handle);
    if (!m_stream)
        fail(what);
}

bool TextProtocolQuery::fetch(TextRows &rows, int maxRows, const QString &what)
{
    Q_ASSERT(m_stream);
    if (int(mysql_num_fields(m_stream)) != rows.columnCount())
        throw DbError(what + u": the server sent a different number of columns"_qs);
    for (int taken = 0; taken < maxRows; ++taken) {
        MYSQL_ROW row = mysql_fetch_row(m_stream);
        if (!row) {
            if (mysql_errno(m_handle) != 0)
                fail(what);
            endStream();
            return false;
        }
        rows.appendRow(row, mysql_fetch_lengths(m_stream));
    }
    return true;
}

void TextProtocolQuery::endStream()
{
    if (!m_stream)
        return;
    mysql_free_result(m_stream); // every row was read: nothing is left to drain
    m_stream = nullptr;
    restoreWriteTimeout();
}

void TextProtocolQuery::abandonStream()
{
    // mysql_free_result() would first read every row left; cancelling makes those reads fail at
    // once. The connection is then of no further use, so it is closed (the pool replaces it).
    mariadb_cancel(m_handle);
    mysql_free_result(m_stream);
    m_stream = nullptr;
    m_raisedWriteTimeout = false;
    closeConnection();
}

void TextProtocolQuery::restoreWriteTimeout()
{
    if (!m_raisedWriteTimeout || !m_handle)
        return;
    m_raisedWriteTimeout = false;
    bool isNumber = !m_previousWriteTimeout.isEmpty();
    for (char c : std::as_const(m_previousWriteTimeout))
        isNumber = isNumber && c >= '0' && c <= '9';
    const QByteArray sql = "SET SESSION net_write_timeout = " + (isNumber ? m_previousWriteTimeout : "60");
    if (mysql_real_query(m_handle, sql.constData(), sql.size()) != 0)
        closeConnection();
}

void TextProtocolQuery::fail(const QString &what)
{
    const unsigned int code = mysql_errno(m_handle);
    const QString message = QString::fromUtf8(mysql_error(m_handle));
    if (code == 0)
        throw DbError(what + u": the server returned no result"_qs);
    throw DbError(QStringLiteral("%1: %2 (MySQL error %3)").arg(what, message).arg(code), int(code));
}

} // namespace tablesync
