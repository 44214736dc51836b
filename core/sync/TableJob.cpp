#include "sync/TableJob.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/MySqlDialect.h"
#include "db/SchemaReader.h"
#include "sync/BatchWriter.h"
#include "sync/Bookkeeping.h"
#include "sync/IncrementalPass.h"
#include "sync/KeyOrderFirstLoad.h"
#include "sync/PageReader.h"
#include "sync/PipelinedCopy.h"
#include "sync/SchemaSync.h"
#include "sync/SourceSnapshot.h"
#include "sync/TableVerifier.h"

#include <QCryptographicHash>

#include <algorithm>

namespace tablesync {

namespace {
// A page is bounded in bytes as well as rows: wide rows get fewer per page.
constexpr qint64 kPageByteBudget = 64LL * 1024 * 1024;

// A configuration that does not match the source: the table fails, the others go on.
class ConfigMismatch : public std::runtime_error
{
public:
    explicit ConfigMismatch(const QString &message)
        : std::runtime_error(message.toStdString())
        , text(message)
    {}
    QString text;
};

// Names for the full-refresh staging tables, within MySQL's 64-character limit.
QString helperTableName(const QString &prefix, const QString &table)
{
    if (prefix.size() + table.size() <= 64)
        return prefix + table;
    const QByteArray digest = QCryptographicHash::hash(table.toUtf8(), QCryptographicHash::Md5).toHex();
    return prefix + QString::fromLatin1(digest);
}
} // namespace

TableJob::TableJob(SyncContext &context, TableSpec spec)
    : m_context(context)
    , m_spec(std::move(spec))
{
    m_result.table = m_spec.table;
    m_result.strategy = m_spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs;
}

TableResult TableJob::run()
{
    m_timer.start();
    try {
        const TableSchema source = checkAgainstSource();
        if (m_context.settings.runMode != Settings::RunMode::Sync) {
            // Verification changes no schema; a repair only rewrites rows.
            TableVerifier(m_context, m_spec, source, m_result)
                .verify(m_context.settings.runMode == Settings::RunMode::Repair);
            m_result.elapsedMs = m_timer.elapsed();
            return m_result;
        }
        bool columnsAdded = false;
        SchemaSync schemaSync(m_context.source, m_context.target, m_context.dialect);
        Bookkeeping bookkeeping(m_context.target);
        const SchemaSync::Result schema = schemaSync.apply(source, m_spec, [&] {
            // Rows already in the target need the new column filled: read them all again.
            // The cursor goes before the ALTER, so a crash in between cannot skip the refill.
            columnsAdded = true;
            if (m_spec.isIncremental())
                bookkeeping.resetCursor(m_spec.table);
        });
        for (const QString &note : schema.notes)
            m_context.progress.onTableMessage(m_spec.table, u"schema: "_qs + note);
        for (const QString &drift : schema.drift)
            m_context.progress.onTableMessage(m_spec.table, u"schema drift: "_qs + drift);
        if (columnsAdded && m_spec.isIncremental())
            m_context.progress.onTableMessage(m_spec.table, u"re-reading every row to fill the new column(s)"_qs);

        if (m_spec.isIncremental())
            IncrementalPass(m_context, m_spec, source, m_result).run();
        else
            syncFullRefresh(source);
        // A full refresh drops deleted rows by itself; the cursor of an incremental one cannot see them.
        if (m_spec.isIncremental() && m_spec.deletes != TableSpec::Deletes::Keep &&
            m_result.outcome == TableOutcome::Succeeded)
            TableVerifier(m_context, m_spec, source, m_result).propagateDeletes();
    } catch (const ConfigMismatch &e) {
        m_result.outcome = TableOutcome::Failed;
        m_result.error = e.text;
    } catch (const DbError &e) {
        m_context.target.rollback();
        m_result.outcome = TableOutcome::Failed;
        m_result.error = e.message();
        m_result.errorCode = e.nativeCode();
    }
    m_result.elapsedMs = m_timer.elapsed();
    return m_result;
}

TableSchema TableJob::checkAgainstSource()
{
    const TableSchema source = SchemaReader::readTable(m_context.source, m_spec.table);
    const QString where = QStringLiteral("tables.json entry %1 (%2): ").arg(m_spec.entryIndex).arg(m_spec.table);
    if (!source.exists) {
        throw ConfigMismatch(where + QStringLiteral("table %1 does not exist in the source database %2")
                                         .arg(m_spec.table, m_context.settings.source.database));
    }
    auto columnList = [&] {
        QStringList names;
        for (const ColumnInfo &c : source.columns)
            names << c.name;
        return names.join(u", "_qs);
    };
    for (const QString &key : m_spec.primaryKey) {
        if (!source.column(key)) {
            throw ConfigMismatch(where + QStringLiteral("primary_key column %1 does not exist in the source "
                                                        "table (its columns: %2)")
                                             .arg(key, columnList()));
        }
    }
    if (m_spec.isIncremental()) {
        const ColumnInfo *modifier = source.column(m_spec.modifier);
        if (!modifier) {
            throw ConfigMismatch(where + QStringLiteral("modifier column %1 does not exist in the source "
                                                        "table (its columns: %2)")
                                             .arg(m_spec.modifier, columnList()));
        }
        if (!modifier->canOrderRows()) {
            throw ConfigMismatch(where + QStringLiteral("modifier column %1 is %2, which cannot order rows "
                                                        "reliably; use an integer, DECIMAL, DATE, DATETIME "
                                                        "or TIMESTAMP column")
                                             .arg(m_spec.modifier, modifier->columnType));
        }
        warnWithoutModifierIndex(source.name, modifier->name);
        if (m_spec.initialValue) {
            const QVariant cast =
                m_context.source.scalar(u"SELECT CAST(? AS "_qs + MySqlDialect::castTypeFor(*modifier) + u")"_qs,
                                        {*m_spec.initialValue}, u"checking initial_value"_qs);
            if (cast.isNull()) {
                throw ConfigMismatch(where + QStringLiteral("initial_value \"%1\" is not a valid %2 value")
                                                 .arg(*m_spec.initialValue, modifier->columnType));
            }
        }
    }
    return source;
}

bool TableJob::worthPipelining(const SyncContext &context, const TableSchema &source)
{
    // Below this, the extra threads and connections cost more than they save. Measured on a
    // first load of 30,000 rows: 1.0 s pipelined (LOAD DATA, key order) against 1.7 s on one
    // connection (upserts), with a third of the client CPU; it was 50,000.
    constexpr qint64 kMinRowsForPipelining = 20000;
    return context.targetPool && context.copyWriters > 0 && source.estimatedRows >= kMinRowsForPipelining;
}

void TableJob::warnWithoutModifierIndex(const QString &table, const QString &modifier)
{
    // Without an index that starts with the modifier, every incremental page scans the table.
    const QVariant indexed =
        m_context.source.scalar(u"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                                "AND TABLE_NAME = ? AND COLUMN_NAME = ? AND SEQ_IN_INDEX = 1"_qs,
                                {table, modifier}, u"looking for an index on the modifier"_qs);
    if (indexed.toInt() == 0) {
        m_context.progress.onTableMessage(
            m_spec.table,
            QStringLiteral("warning: no index starts with the modifier column %1, so every batch "
                           "scans the whole source table; consider CREATE INDEX ON %2 (%1)")
                .arg(m_context.dialect.quoteIdentifier(modifier), m_context.dialect.quoteIdentifier(table)));
    }
}

QList<ColumnInfo> TableJob::writableColumns(const TableSchema &source)
{
    QList<ColumnInfo> columns;
    for (const ColumnInfo &c : source.columns) {
        if (!c.generated)
            columns << c;
    }
    return columns;
}

QList<int> TableJob::keyIndexes(const TableSpec &spec, const QList<ColumnInfo> &columns)
{
    QList<int> indexes;
    for (const QString &key : spec.primaryKey) {
        for (int i = 0; i < columns.size(); ++i) {
            if (columns[i].name.compare(key, Qt::CaseInsensitive) == 0)
                indexes << i;
        }
    }
    return indexes;
}

int TableJob::pageRows(const SyncContext &context, const TableSpec &spec, const TableSchema &source)
{
    const int configured = spec.batchSize > 0 ? spec.batchSize : context.settings.fetchLimit;
    if (source.averageRowLength <= 0)
        return configured;
    const qint64 byBytes = std::max<qint64>(1, kPageByteBudget / source.averageRowLength);
    return int(std::min<qint64>(configured, byBytes));
}

void TableJob::syncFullRefresh(const TableSchema &source)
{
    DbConnection &target = m_context.target;
    const SqlDialect &dialect = m_context.dialect;
    const QString staging = helperTableName(u"_tsnew_"_qs, source.name);
    const QString retired = helperTableName(u"_tsold_"_qs, source.name);
    const QString quotedTable = dialect.quoteIdentifier(source.name);
    const QString quotedStaging = dialect.quoteIdentifier(staging);
    const QString quotedRetired = dialect.quoteIdentifier(retired);

    // Leftovers of a run that was killed are dropped before anything else.
    target.exec(u"DROP TABLE IF EXISTS "_qs + quotedStaging + u", "_qs + quotedRetired,
                u"dropping leftover staging tables of "_qs + source.name);
    target.exec(u"CREATE TABLE "_qs + quotedStaging + u" LIKE "_qs + quotedTable,
                u"creating the staging table for "_qs + source.name);

    // One consistent snapshot of the source for the whole copy.
    SourceSnapshot snapshot(m_context.source);
    try {
        const QList<ColumnInfo> written = writableColumns(source);
        const QList<int> keys = keyIndexes(m_spec, written);
        QList<ColumnInfo> order;
        for (const QString &key : m_spec.primaryKey)
            order << *source.column(key);
        PageReader reader(m_context.source, dialect, source.name, written, order, pageRows(m_context, m_spec, source),
                          std::nullopt);
        bool stopped = false;
        if (worthPipelining(m_context, source)) {
            reader.preferTextProtocol(); // LOAD DATA takes the pages as the server's text
            m_context.progress.onTableMessage(
                m_spec.table, QStringLiteral("large copy: reading and writing in parallel with %1 writer connection(s)")
                                  .arg(m_context.copyWriters));
            PipelinedCopy copy(*m_context.targetPool, dialect,
                               {staging, written, keys, m_context.loadId, /*upsert=*/false,
                                /*bulkLoad=*/true},
                               m_context.copyWriters, m_context.stopRequested, m_context.progress, m_spec.table);
            m_result.rowsWritten = copy.run(reader, source.estimatedRows, stopped);
        } else {
            BatchWriter writer(target, dialect, staging, written, keys, m_context.loadId,
                               /*upsert=*/false);
            Page page;
            while (!stopped && reader.next(page)) {
                target.beginTransaction();
                writer.write(page);
                target.commit();
                m_result.rowsWritten += page.rowCount();
                m_context.progress.onBatchCommitted(m_spec.table, page.rowCount(), m_result.rowsWritten,
                                                    source.estimatedRows);
                stopped = stopRequested() && !reader.atEnd();
            }
        }
        snapshot.end();
        if (stopped) {
            target.exec(u"DROP TABLE IF EXISTS "_qs + quotedStaging, u"dropping the staging table"_qs);
            m_result.outcome = TableOutcome::Stopped;
            return;
        }
    } catch (const DbError &) {
        target.rollback();
        try {
            target.exec(u"DROP TABLE IF EXISTS "_qs + quotedStaging, u"dropping the staging table"_qs);
        } catch (const DbError &) {
            // The next run drops it before it starts.
        }
        throw;
    }
    // One RENAME of both tables is atomic: readers see the old content or the new, never neither.
    target.exec(u"RENAME TABLE "_qs + quotedTable + u" TO "_qs + quotedRetired + u", "_qs + quotedStaging + u" TO "_qs +
                    quotedTable,
                u"swapping in the new content of "_qs + source.name);
    target.exec(u"DROP TABLE "_qs + quotedRetired, u"dropping the previous content of "_qs + source.name);
}

} // namespace tablesync
