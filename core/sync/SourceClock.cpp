#include "sync/SourceClock.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/KeyToken.h"

#include <QSqlQuery>

namespace tablesync::SourceClock {

namespace {
constexpr int kNoProcessPrivilege = 1227; // ER_SPECIFIC_ACCESS_DENIED_ERROR
}

SourceHorizon readHorizon(DbConnection &source)
{
    SourceHorizon horizon;
    try {
        // trx_started is the server process's local time (InnoDB formats it with localtime_r, not
        // in the session's zone), whole seconds rounded down: the transaction began at or after it.
        // Our own session is not in a transaction.
        QSqlQuery query =
            source.select(u"SELECT UNIX_TIMESTAMP(NOW(6)), UNIX_TIMESTAMP(CONVERT_TZ(t.trx_started, 'SYSTEM', "
                          "'+00:00')), CAST(t.trx_id AS CHAR), t.trx_mysql_thread_id, p.USER, p.HOST "
                          "FROM (SELECT 1) AS one LEFT JOIN (information_schema.INNODB_TRX AS t "
                          "LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = t.trx_mysql_thread_id) "
                          "ON t.trx_is_read_only = 0 AND (t.trx_rows_modified > 0 OR t.trx_query IS NOT NULL) "
                          "AND t.trx_mysql_thread_id <> CONNECTION_ID() "
                          "ORDER BY t.trx_started IS NULL, t.trx_started LIMIT 1"_qs,
                          {}, u"asking the source for its open transactions"_qs);
        if (query.next()) {
            horizon.knowsTransactions = true;
            horizon.serverTime = query.value(0).toDouble();
            if (!query.value(1).isNull()) {
                horizon.oldestWriterStart = query.value(1).toDouble();
                horizon.holderTransactionId = query.value(2).toString();
                horizon.holderThreadId = query.value(3).toLongLong();
                horizon.holderUser = query.value(4).toString();
                horizon.holderHost = query.value(5).toString();
            }
            return horizon;
        }
    } catch (const DbError &e) {
        if (e.nativeCode() != kNoProcessPrivilege)
            throw;
    }
    horizon.serverTime =
        source.scalar(u"SELECT UNIX_TIMESTAMP(NOW(6))"_qs, {}, u"reading the source's clock"_qs).toDouble();
    return horizon;
}

double snapshotTime(DbConnection &source)
{
    return source.scalar(u"SELECT UNIX_TIMESTAMP(NOW(6))"_qs, {}, u"reading the source's clock"_qs).toDouble();
}

std::optional<CursorPosition> lastPosition(DbConnection &source, const SqlDialect &dialect, const QString &table,
                                           const ColumnInfo &modifier, const QList<ColumnInfo> &keys, double *time)
{
    QStringList select{dialect.readExpression(modifier)};
    QStringList order{dialect.quoteIdentifier(modifier.name) + u" DESC"_qs};
    for (const ColumnInfo &key : keys) {
        select << dialect.readExpression(key);
        order << dialect.quoteIdentifier(key.name) + u" DESC"_qs;
    }
    if (time)
        select << u"UNIX_TIMESTAMP(SYSDATE(6))"_qs;
    QSqlQuery query =
        source.select(u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(table) +
                          u" WHERE "_qs + dialect.quoteIdentifier(modifier.name) + u" IS NOT NULL ORDER BY "_qs +
                          order.join(u", "_qs) + u" LIMIT 1"_qs,
                      {}, u"reading the newest "_qs + modifier.name + u" of "_qs + table);
    if (!query.next()) {
        if (time)
            *time = snapshotTime(source);
        return std::nullopt;
    }
    QVariantList key;
    for (int i = 0; i < keys.size(); ++i)
        key << query.value(i + 1);
    if (time)
        *time = query.value(int(keys.size()) + 1).toDouble();
    return CursorPosition{query.value(0).toString(), KeyToken::encode(key)};
}

QString holderText(const SourceHorizon &horizon)
{
    if (!horizon.oldestWriterStart)
        return {};
    return QStringLiteral("transaction %1 (connection %2, %3@%4) has been open for %5 s")
        .arg(horizon.holderTransactionId)
        .arg(horizon.holderThreadId)
        .arg(horizon.holderUser, horizon.holderHost)
        .arg(qint64(horizon.heldBackSeconds()));
}

} // namespace tablesync::SourceClock
