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
    TextRows previous;
    ColumnInfo name;
    name.dataType = u"varchar"_qs;
    previous.reset({name}, 64, 1);
    select("SELECT @@session.character_set_results", previous, what);
    m_previousResults = previous.rowCount() == 1 ? previous.bytes(0, 0).toByteArray() : QByteArray();
    execute("SET SESSION character_set_results = binary", what);
}

TextProtocolQuery::~TextProtocolQuery()
{
    // NULL (no conversion) is a valid setting too; anything odd goes back to what QtSql sets.
    const QByteArray restored = m_previousResults.isEmpty()        ? QByteArrayLiteral("NULL")
                                : isCharsetName(m_previousResults) ? m_previousResults
                                                                   : QByteArrayLiteral("utf8mb4");
    const QByteArray sql = "SET SESSION character_set_results = " + restored;
    // Never throws. A connection where this fails (lost, or a statement killed) is closed: QtSql
    // would otherwise read text as bytes on it, and the pool replaces a closed connection.
    if (mysql_real_query(m_handle, sql.constData(), sql.size()) != 0)
        m_connection.close();
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

void TextProtocolQuery::fail(const QString &what)
{
    const unsigned int code = mysql_errno(m_handle);
    const QString message = QString::fromUtf8(mysql_error(m_handle));
    if (code == 0)
        throw DbError(what + u": the server returned no result"_qs);
    throw DbError(QStringLiteral("%1: %2 (MySQL error %3)").arg(what, message).arg(code), int(code));
}

} // namespace tablesync
