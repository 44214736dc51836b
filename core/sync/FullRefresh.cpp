#include "sync/FullRefresh.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/BackgroundConnection.h"
#include "sync/BatchWriter.h"
#include "sync/KeyedRows.h"
#include "sync/PageReader.h"
#include "sync/PipelinedCopy.h"
#include "sync/SchemaSync.h"
#include "sync/SourceSnapshot.h"
#include "sync/TableComparer.h"
#include "sync/TableJob.h"
#include "sync/TableVerifier.h"

namespace tablesync {

FullRefresh::FullRefresh(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result)
    : m_context(context)
    , m_spec(spec)
    , m_source(source)
    , m_result(result)
    , m_staging(stagingTableName(source.name))
{}

void FullRefresh::run()
{
    DbConnection &target = m_context.target;
    TargetTies ties = TargetTies::read(target, m_source.name);
    const QStringList repairs = ties.repairLeftovers(target, m_context.dialect, m_source.name);
    for (const QString &line : repairs)
        m_context.progress.onTableMessage(m_spec.table, line);
    if (!repairs.isEmpty())
        ties = TargetTies::read(target, m_source.name); // the repaired foreign keys tie the table now
    if (ties.tiedOnlyByTriggers()) {
        // Only triggers tie it: suspended, they come back on whichever table then has the name,
        // so it can be swapped. Triggers that cannot be suspended stay, and keep it in place.
        m_context.aboutToWriteRows();
        ties = TargetTies::read(target, m_source.name);
    }
    const Method method = methodFor(ties);
    if (method == Method::InPlace) {
        m_context.progress.onTableMessage(
            m_spec.table, u"refreshing in place in one transaction, because the target table "_qs + ties.describe());
        if (!m_spec.primaryKey.isEmpty() && applyDifferences())
            return;
    }
    target.execSchemaChange(u"CREATE TABLE "_qs + m_context.dialect.quoteIdentifier(m_staging) + u" LIKE "_qs +
                                m_context.dialect.quoteIdentifier(m_source.name),
                            u"creating the staging table for "_qs + m_source.name);
    try {
        if (!copyIntoStaging()) {
            dropStaging();
            m_result.outcome = TableOutcome::Stopped;
            return;
        }
        m_context.aboutToWriteRows(); // the table's triggers must not fire on what comes now
        if (method == Method::Swap)
            swapIn();
        else
            applyInPlace();
    } catch (const DbError &) {
        target.rollback();
        try {
            dropStaging();
        } catch (const DbError &) {
            // The next run drops it before it starts.
        }
        throw;
    }
}

bool FullRefresh::copyIntoStaging()
{
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    // One consistent snapshot of the source for the whole copy.
    SourceSnapshot snapshot(m_context.source);
    const QList<ColumnInfo> written = TableJob::writableColumns(m_source);
    const QList<int> keys = TableJob::keyIndexes(m_spec, written);
    QList<ColumnInfo> order;
    for (const QString &key : m_spec.primaryKey)
        order << *m_source.column(key);
    PageReader reader(m_context.source, dialect, m_source.name, written, order,
                      TableJob::pageRows(m_context, m_spec, m_source), std::nullopt);
    bool stopped = false;
    if (TableJob::worthPipelining(m_context, m_source)) {
        reader.preferTextProtocol(); // LOAD DATA takes the pages as the server's text
        m_context.progress.onTableMessage(
            m_spec.table, QStringLiteral("large copy: reading and writing in parallel with %1 writer connection(s)")
                              .arg(m_context.copyWriters));
        PipelinedCopy copy(*m_context.targetPool, dialect,
                           {m_staging, written, keys, m_context.loadId, /*upsert=*/false, /*bulkLoad=*/true},
                           m_context.copyWriters, m_context.stopRequested, m_context.progress, m_spec.table);
        copy.setBeforeEachPage([this] { m_context.stillHoldingTheTable(); });
        m_result.rowsWritten = copy.run(reader, m_source.estimatedRows, stopped);
    } else {
        BatchWriter writer(target, dialect, m_staging, written, keys, m_context.loadId, /*upsert=*/false);
        Page page;
        while (!stopped && reader.next(page)) {
            page.convertToValues(); // a table without a key is read as text (PageReader.h)
            target.beginTransaction();
            writer.write(page);
            target.commit();
            m_result.rowsWritten += page.rowCount();
            m_context.progress.onBatchCommitted(m_spec.table, page.rowCount(), m_result.rowsWritten,
                                                m_source.estimatedRows);
            stopped = m_context.stopRequested.load() && !reader.atEnd();
        }
    }
    if (stopped)
        reader.abandon();
    if (m_context.source.isOpen()) // a streamed read cut off closed it, and its snapshot with it
        snapshot.end();
    return !stopped;
}

void FullRefresh::swapIn()
{
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    const QString table = dialect.quoteIdentifier(m_source.name);
    const QString retired = dialect.quoteIdentifier(retiredTableName(m_source.name));
    // One RENAME of both tables is atomic: readers see the old content or the new, never neither.
    target.execSchemaChange(u"RENAME TABLE "_qs + table + u" TO "_qs + retired + u", "_qs +
                                dialect.quoteIdentifier(m_staging) + u" TO "_qs + table,
                            u"swapping in the new content of "_qs + m_source.name);
    // Dropped with foreign keys checked: if a key tablesync cannot see (another database's, or
    // hidden by the user's privileges) points at the table, it moved to the retired copy and the
    // drop is refused. Then the swap is undone and the table refreshed in place instead.
    try {
        TargetTies::dropUnreferenced(target, retired, u"dropping the previous content of "_qs + m_source.name);
    } catch (const DbError &refused) {
        target.execSchemaChange(u"RENAME TABLE "_qs + table + u" TO "_qs + dialect.quoteIdentifier(m_staging) +
                                    u", "_qs + retired + u" TO "_qs + table,
                                u"undoing the swap of "_qs + m_source.name);
        m_context.progress.onTableMessage(
            m_spec.table, u"the previous content could not be dropped after the swap ("_qs + refused.message() +
                              u"); the swap was undone and the table is refreshed in place"_qs);
        applyInPlace();
    }
}

void FullRefresh::replaceAllInPlace()
{
    // Without a key no row of the old content can be matched with one of the new: all of it goes
    // and the staging rows come in, in one transaction. `_dlt_id` comes from the whole row, so an
    // unchanged row gets its id back.
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    const QString table = dialect.quoteIdentifier(m_source.name);
    QStringList columns;
    for (const ColumnInfo &c : TableJob::writableColumns(m_source))
        columns << dialect.quoteIdentifier(c.name);
    columns << dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kLoadIdColumn))
            << dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kRowIdColumn));
    target.beginTransaction();
    m_result.deletedRows =
        target.execCounting(u"DELETE FROM "_qs + table, u"deleting the previous content of "_qs + m_source.name);
    m_result.rowsWritten =
        target.execCounting(u"INSERT INTO "_qs + table + u" ("_qs + columns.join(u", "_qs) + u") SELECT "_qs +
                                columns.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(m_staging),
                            u"writing the new content of "_qs + m_source.name);
    target.commit();
    dropStaging();
}

void FullRefresh::applyInPlace()
{
    if (m_spec.primaryKey.isEmpty()) {
        replaceAllInPlace();
        return;
    }
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    const QString table = dialect.quoteIdentifier(m_source.name);
    const QString staging = dialect.quoteIdentifier(m_staging);
    // Aliases no table name can collide with. `<=>`: a key column may be nullable when the key is
    // a superset of a unique NOT NULL one.
    QStringList sameKey;
    for (const QString &key : m_spec.primaryKey) {
        const QString column = dialect.quoteIdentifier(key);
        sameKey << u"_ts_new."_qs + column + u" <=> _ts_old."_qs + column;
    }
    // Equal means equal value and equal bytes (a case-insensitive collation calls 'a' and 'A'
    // equal; FLOAT's text has 6 digits), as for the upserts (MySqlDialect::updateIfChanged).
    QStringList sameRow;
    QStringList columns;
    for (const ColumnInfo &c : TableJob::writableColumns(m_source)) {
        const QString column = dialect.quoteIdentifier(c.name);
        sameRow << u"_ts_new."_qs + column + u" <=> _ts_old."_qs + column + u" AND CAST(_ts_new."_qs + column +
                       u" AS BINARY) <=> CAST(_ts_old."_qs + column + u" AS BINARY)"_qs;
        columns << column;
    }
    columns << dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kLoadIdColumn))
            << dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kRowIdColumn));
    const QString notInStaging = u" WHERE NOT EXISTS (SELECT 1 FROM "_qs + staging + u" AS _ts_new WHERE "_qs;

    const qint64 copied = m_result.rowsWritten;
    target.beginTransaction();
    // Rows the source no longer has, then rows whose content changed, go; then what is missing
    // comes from the staging table. Deleting a changed row before inserting its new version (not
    // an upsert) keeps a second UNIQUE key from refusing values two rows swapped. The session
    // checks no foreign keys (DbConnection): a parent row goes without cascading to children or
    // being refused for them, and the children's own sync makes them follow the source.
    m_result.deletedRows = target.execCounting(u"DELETE _ts_old FROM "_qs + table + u" AS _ts_old"_qs + notInStaging +
                                                   sameKey.join(u" AND "_qs) + u')',
                                               u"deleting the rows the source no longer has from "_qs + m_source.name);
    // Every row left has its key in the staging table: without an identical row there, it changed.
    target.execCounting(u"DELETE _ts_old FROM "_qs + table + u" AS _ts_old"_qs + notInStaging +
                            sameRow.join(u" AND "_qs) + u')',
                        u"deleting the changed rows of "_qs + m_source.name);
    const qint64 inserted = target.execCounting(u"INSERT INTO "_qs + table + u" ("_qs + columns.join(u", "_qs) +
                                                    u") SELECT "_qs + columns.join(u", "_qs) + u" FROM "_qs + staging +
                                                    u" AS _ts_new WHERE NOT EXISTS "_qs + u"(SELECT 1 FROM "_qs +
                                                    table + u" AS _ts_old WHERE "_qs + sameKey.join(u" AND "_qs) + u')',
                                                u"writing the new content of "_qs + m_source.name);
    target.commit();
    m_result.rowsWritten = inserted;
    m_result.rowsRechecked = std::max<qint64>(0, copied - inserted);
    dropStaging();
}

bool FullRefresh::applyDifferences()
{
    DbConnection &target = m_context.target;
    const QList<ColumnInfo> columns = TableJob::writableColumns(m_source);
    QList<ColumnInfo> keys;
    for (const int index : TableJob::keyIndexes(m_spec, columns))
        keys << columns.at(index);
    // Rows are matched with `=` here; a key column that allows NULL needs the staging path's `<=>`.
    for (const ColumnInfo &key : std::as_const(keys)) {
        if (key.nullable)
            return false;
    }
    // Beyond this many differing rows, copying the table into a staging table costs less than
    // fetching the rows key by key (and keeps the keys held in memory bounded).
    constexpr qint64 kMostDifferingRows = 100000;
    const qint64 mostDiffering = std::clamp<qint64>(m_source.estimatedRows / 10, 1000, kMostDifferingRows);

    // Every chunk of the source from one snapshot, so the rows applied are one consistent state.
    SourceSnapshot snapshot(m_context.source);
    TableComparer comparer(m_context.source, target, m_context.dialect, m_source.name, columns, m_spec.primaryKey,
                           TableComparer::Scope::Content);
    // The target checksums a chunk while the source does the next; it writes nothing meanwhile.
    const std::unique_ptr<BackgroundConnection> background = TableVerifier::backgroundTarget(m_context);
    comparer.setBackgroundTarget(background.get());
    std::atomic_bool giveUp = false;
    comparer.setStopFlag(&giveUp);
    QList<QVariantList> gone, changed, missing;
    qint64 compared = 0;
    comparer.run(
        [&](const TableComparer::Difference &d) {
            gone << d.extra;
            changed << d.different;
            missing << d.missing;
            if (gone.size() + changed.size() + missing.size() > mostDiffering)
                giveUp = true;
        },
        [&](qint64 rows) {
            compared = rows;
            if (m_context.stopRequested.load())
                giveUp = true;
            m_context.progress.onBatchCommitted(m_spec.table, 0, rows, m_source.estimatedRows);
        });
    if (comparer.stopped()) {
        snapshot.end();
        if (m_context.stopRequested.load()) {
            m_result.outcome = TableOutcome::Stopped; // nothing was written
            return true;
        }
        m_context.progress.onTableMessage(
            m_spec.table,
            QStringLiteral("more than %1 row(s) differ: copying the table to apply them").arg(mostDiffering));
        return false;
    }
    if (gone.isEmpty() && changed.isEmpty() && missing.isEmpty()) {
        snapshot.end();
        m_result.rowsRechecked = compared;
        m_context.progress.onTableMessage(
            m_spec.table, QStringLiteral("compared %1 chunk(s) with the source: identical, nothing written")
                              .arg(comparer.chunksCompared()));
        return true;
    }
    m_context.aboutToWriteRows();
    // Changed rows go before any comes back, so that a second UNIQUE key does not refuse values
    // that two rows swapped.
    target.beginTransaction();
    KeyedRows::deleteFromTarget(target, m_context.dialect, m_source.name, keys, gone + changed);
    const qint64 copied = KeyedRows::copyFromSource(m_context.source, target, m_context.dialect, m_source.name, columns,
                                                    keys, changed + missing, m_context.loadId);
    target.commit();
    snapshot.end();
    m_result.deletedRows = gone.size();
    m_result.rowsWritten = copied;
    m_result.rowsRechecked = std::max<qint64>(0, compared - copied);
    m_context.progress.onTableMessage(
        m_spec.table, QStringLiteral("compared %1 chunk(s) with the source, %2 differed: %3 row(s) deleted, %4 written")
                          .arg(comparer.chunksCompared())
                          .arg(comparer.chunksDiffering())
                          .arg(gone.size())
                          .arg(copied));
    return true;
}

void FullRefresh::dropStaging()
{
    m_context.target.execSchemaChange(u"DROP TABLE IF EXISTS "_qs + m_context.dialect.quoteIdentifier(m_staging),
                                      u"dropping the staging table of "_qs + m_source.name);
}

} // namespace tablesync
