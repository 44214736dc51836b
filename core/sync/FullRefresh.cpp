#include "sync/FullRefresh.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/NativeHandle.h"
#include "db/SqlDialect.h"
#include "sync/BatchWriter.h"
#include "sync/PageReader.h"
#include "sync/PipelinedCopy.h"
#include "sync/SchemaSync.h"
#include "sync/SourceSnapshot.h"
#include "sync/TableJob.h"

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
    for (const QString &repaired : repairs)
        m_context.progress.onTableMessage(m_spec.table, u"repaired: "_qs + repaired);
    if (!repairs.isEmpty())
        ties = TargetTies::read(target, m_source.name); // the repaired foreign keys tie the table now
    const Method method = methodFor(ties);
    if (method == Method::InPlace) {
        m_context.progress.onTableMessage(
            m_spec.table, u"refreshing in place in one transaction, because the target table "_qs + ties.describe());
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
        m_result.rowsWritten = copy.run(reader, m_source.estimatedRows, stopped);
    } else {
        BatchWriter writer(target, dialect, m_staging, written, keys, m_context.loadId, /*upsert=*/false);
        Page page;
        while (!stopped && reader.next(page)) {
            target.beginTransaction();
            writer.write(page);
            target.commit();
            m_result.rowsWritten += page.rowCount();
            m_context.progress.onBatchCommitted(m_spec.table, page.rowCount(), m_result.rowsWritten,
                                                m_source.estimatedRows);
            stopped = m_context.stopRequested.load() && !reader.atEnd();
        }
    }
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
    target.execSchemaChange(u"DROP TABLE "_qs + retired, u"dropping the previous content of "_qs + m_source.name);
}

void FullRefresh::applyInPlace()
{
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    const QString table = dialect.quoteIdentifier(m_source.name);
    const QString staging = dialect.quoteIdentifier(m_staging);
    QStringList sameKey;
    for (const QString &key : m_spec.primaryKey) {
        const QString column = dialect.quoteIdentifier(key);
        sameKey << u"s."_qs + column + u" = t."_qs + column;
    }
    const qint64 copied = m_result.rowsWritten;
    target.beginTransaction();
    // The session checks no foreign keys (DbConnection): a parent row goes without cascading to
    // children or being refused for them; the children's own sync makes them follow the source.
    m_result.deletedRows =
        target.execCounting(u"DELETE t FROM "_qs + table + u" AS t WHERE NOT EXISTS (SELECT 1 FROM "_qs + staging +
                                u" AS s WHERE "_qs + sameKey.join(u" AND "_qs) + u')',
                            u"deleting the rows the source no longer has from "_qs + m_source.name);
    const QStringList extra{QString::fromLatin1(SchemaSync::kLoadIdColumn),
                            QString::fromLatin1(SchemaSync::kRowIdColumn)};
    const qint64 affected = target.execCounting(
        dialect.upsertFromTable(m_source.name, m_staging, TableJob::writableColumns(m_source), extra),
        u"writing the new content of "_qs + m_source.name);
    // Affected rows count 1 per insert and 2 per changed row; "Duplicates" counts the changed ones.
    const QByteArray info = lastStatementInfo(target);
    const qsizetype at = info.indexOf("Duplicates:");
    const qint64 updated = at >= 0 ? info.mid(at + 11).trimmed().split(' ').value(0).toLongLong() : 0;
    target.commit();
    const qint64 changed = std::clamp<qint64>(affected - updated, 0, copied);
    m_result.rowsWritten = changed;
    m_result.rowsRechecked = copied - changed;
    dropStaging();
}

void FullRefresh::dropStaging()
{
    m_context.target.execSchemaChange(u"DROP TABLE IF EXISTS "_qs + m_context.dialect.quoteIdentifier(m_staging),
                                      u"dropping the staging table of "_qs + m_source.name);
}

} // namespace tablesync
