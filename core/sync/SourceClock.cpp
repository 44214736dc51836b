#include "sync/SourceClock.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/KeyToken.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QSqlQuery>
#include <QThread>

namespace tablesync::SourceClock {

namespace {
constexpr int kNoProcessPrivilege = 1227; // ER_SPECIFIC_ACCESS_DENIED_ERROR

// InnoDB serves information_schema.INNODB_TRX from a cache it refills only when it has not been
// read for 0.1 s, so a list read soon after another can miss transactions that began since. The
// list is known fresh when it holds a transaction that began just before it was asked for: our
// own, opened by reading one row of the table (which registers it in InnoDB).
// The cache's own rule also means that readers taking turns faster than that keep it stale for
// good, so the workers of a process take turns through SharedHorizons and share one list.
constexpr int kFreshListAttempts = 20;
constexpr int kRefillWaitMs = 110;
constexpr int kShareForMs = 1000;

std::optional<SourceHorizon> readFreshHorizon(DbConnection &source, const QString &quotedTable)
{
    source.exec(u"START TRANSACTION"_qs, u"opening a transaction to check the source's transaction list"_qs);
    const double canaryStart =
        source
            .scalar(u"SELECT UNIX_TIMESTAMP(NOW(6)) FROM (SELECT 1) AS one LEFT JOIN (SELECT 1 AS x FROM "_qs +
                        quotedTable + u" LIMIT 1) AS any_row ON TRUE"_qs,
                    {}, u"reading the source's clock"_qs)
            .toDouble();
    // trx_started is the server process's local time (InnoDB formats it with localtime_r, not in
    // the session's zone), whole seconds rounded down: a transaction began at or after it.
    QSqlQuery query = source.select(
        u"SELECT UNIX_TIMESTAMP(NOW(6)), UNIX_TIMESTAMP(CONVERT_TZ(t.trx_started, 'SYSTEM', '+00:00')), "
        "CAST(t.trx_id AS CHAR), t.trx_mysql_thread_id, p.USER, p.HOST, "
        "(SELECT COUNT(*) FROM information_schema.INNODB_TRX AS own WHERE own.trx_mysql_thread_id = CONNECTION_ID()) "
        "FROM (SELECT 1) AS one LEFT JOIN (information_schema.INNODB_TRX AS t "
        "LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = t.trx_mysql_thread_id) "
        "ON t.trx_is_read_only = 0 AND (t.trx_rows_modified > 0 OR t.trx_query IS NOT NULL) "
        "AND t.trx_mysql_thread_id <> CONNECTION_ID() "
        "ORDER BY t.trx_started IS NULL, t.trx_started LIMIT 1"_qs,
        {}, u"asking the source for its open transactions"_qs);
    std::optional<SourceHorizon> horizon;
    if (query.next() && query.value(6).toInt() > 0) {
        horizon.emplace();
        horizon->knowledge = SourceHorizon::Knowledge::Transactions;
        horizon->serverTime = canaryStart; // a transaction missing from the list began after this
        if (!query.value(1).isNull()) {
            horizon->oldestWriterStart = query.value(1).toDouble();
            horizon->holderTransactionId = query.value(2).toString();
            horizon->holderThreadId = query.value(3).toLongLong();
            horizon->holderUser = query.value(4).toString();
            horizon->holderHost = query.value(5).toString();
        }
    }
    query.finish();
    source.exec(u"COMMIT"_qs, u"closing the transaction that checked the source's transaction list"_qs);
    return horizon;
}

// The last horizon read per source server, and when: one reader at a time, at least 0.1 s after
// the previous read, so InnoDB's cache can refill.
class SharedHorizons
{
public:
    static SharedHorizons &instance()
    {
        static SharedHorizons shared;
        return shared;
    }

    SourceHorizon read(DbConnection &source, const QString &quotedTable, double notBefore)
    {
        // Per user too: what a user may see (PROCESS) is said to that user's runs.
        const QString server =
            source.settings().user + u'@' + source.settings().host + u':' + QString::number(source.settings().port);
        QMutexLocker lock(&m_mutex);
        Entry &entry = m_entries[server];
        if (entry.read.isValid() && entry.read.elapsed() < kShareForMs && entry.horizon.serverTime > notBefore)
            return entry.horizon;
        entry.horizon = readUnshared(source, quotedTable, entry.read);
        return entry.horizon;
    }

private:
    struct Entry
    {
        SourceHorizon horizon;
        QElapsedTimer read; // since the last list was asked for
    };

    static SourceHorizon readUnshared(DbConnection &source, const QString &quotedTable, QElapsedTimer &lastRead)
    {
        SourceHorizon horizon;
        horizon.knowledge = SourceHorizon::Knowledge::StaleList;
        try {
            for (int attempt = 0; attempt < kFreshListAttempts; ++attempt) {
                if (lastRead.isValid() && lastRead.elapsed() < kRefillWaitMs)
                    QThread::msleep(kRefillWaitMs - lastRead.elapsed()); // let InnoDB refill its cache
                std::optional<SourceHorizon> fresh = readFreshHorizon(source, quotedTable);
                lastRead.start();
                if (fresh)
                    return *fresh;
            }
        } catch (const DbError &e) {
            source.rollback();
            if (e.nativeCode() != kNoProcessPrivilege)
                throw;
            horizon.knowledge = SourceHorizon::Knowledge::NoPrivilege;
        }
        // No list: only lag protects.
        horizon.serverTime = snapshotTime(source);
        lastRead.start();
        return horizon;
    }

    QMutex m_mutex;
    QHash<QString, Entry> m_entries;
};
} // namespace

SourceHorizon readHorizon(DbConnection &source, const QString &quotedTable, double notBefore)
{
    return SharedHorizons::instance().read(source, quotedTable, notBefore);
}

double snapshotTime(DbConnection &source)
{
    return source.scalar(u"SELECT UNIX_TIMESTAMP(NOW(6))"_qs, {}, u"reading the source's clock"_qs).toDouble();
}

namespace {
// The newest row in (modifier, key) order: its modifier and key columns (read exactly), then
// `extra` when given. ORDER BY names the table's columns through its alias: a bare name there
// could mean a select-list alias of the same name.
QString newestRowStatement(const SqlDialect &dialect, const QString &table, const ColumnInfo &modifier,
                           const QList<ColumnInfo> &keys, const QString &extra = QString())
{
    QStringList select{dialect.readExpression(modifier) + u" AS tablesync_newest_m"_qs};
    QStringList order{u"src."_qs + dialect.quoteIdentifier(modifier.name) + u" DESC"_qs};
    for (int i = 0; i < keys.size(); ++i) {
        select << dialect.readExpression(keys.at(i)) + u" AS tablesync_newest_k"_qs + QString::number(i);
        order << u"src."_qs + dialect.quoteIdentifier(keys.at(i).name) + u" DESC"_qs;
    }
    if (!extra.isEmpty())
        select << extra;
    return u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(table) +
           u" AS src WHERE "_qs + dialect.quoteIdentifier(modifier.name) + u" IS NOT NULL ORDER BY "_qs +
           order.join(u", "_qs) + u" LIMIT 1"_qs;
}

// The position of that row, from `query`'s current row with the modifier at `first`.
CursorPosition positionAt(const QSqlQuery &query, int first, qsizetype keyCount)
{
    QVariantList key;
    for (int i = 0; i < keyCount; ++i)
        key << query.value(first + 1 + i);
    return CursorPosition{query.value(first).toString(), KeyToken::encode(key)};
}
} // namespace

std::optional<CursorPosition> lastPosition(DbConnection &source, const SqlDialect &dialect, const QString &table,
                                           const ColumnInfo &modifier, const QList<ColumnInfo> &keys, double *time)
{
    QSqlQuery query = source.select(
        newestRowStatement(dialect, table, modifier, keys, time ? u"UNIX_TIMESTAMP(SYSDATE(6))"_qs : QString()), {},
        u"reading the newest "_qs + modifier.name + u" of "_qs + table);
    if (!query.next()) {
        if (time)
            *time = snapshotTime(source);
        return std::nullopt;
    }
    if (time)
        *time = query.value(int(keys.size()) + 1).toDouble();
    return positionAt(query, 0, keys.size());
}

std::optional<CursorPosition> clockAndLastPosition(DbConnection &source, const SqlDialect &dialect,
                                                   const QString &table, const ColumnInfo &modifier,
                                                   const QList<ColumnInfo> &keys, double &time)
{
    // NOW(6) is when the statement began, inside the snapshot and so after its start; the join
    // gives the clock a row even when the table has none.
    QSqlQuery query =
        source.select(u"SELECT UNIX_TIMESTAMP(NOW(6)), newest.* FROM (SELECT 1) AS one LEFT JOIN ("_qs +
                          newestRowStatement(dialect, table, modifier, keys) + u") AS newest ON TRUE"_qs,
                      {}, u"reading the source's clock and the newest "_qs + modifier.name + u" of "_qs + table);
    if (!query.next())
        throw DbError(u"the source answered no row to a statement that always has one"_qs);
    time = query.value(0).toDouble();
    if (query.value(1).isNull()) // the subquery's modifier is never NULL for a row
        return std::nullopt;
    return positionAt(query, 1, keys.size());
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
