#include "sync/TableJob.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/MySqlDialect.h"
#include "db/SchemaReader.h"
#include "sync/BatchWriter.h"
#include "sync/Bookkeeping.h"
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
// One multi-row statement's worth (BatchWriter): as cheap to read and write as a smaller page.
constexpr int kFirstIncrementalPageRows = 1000;

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
            syncIncremental(source);
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

bool TableJob::targetIsEmpty(const QString &table)
{
    return !m_context.target
                .scalar(u"SELECT 1 FROM "_qs + m_context.dialect.quoteIdentifier(table) + u" LIMIT 1"_qs, {},
                        u"checking whether the target table is empty"_qs)
                .isValid();
}

bool TableJob::worthPipelining(const TableSchema &source) const
{
    // Below this, the extra threads and connections cost more than they save. Measured on a
    // first load of 30,000 rows: 1.0 s pipelined (LOAD DATA, key order) against 1.7 s on one
    // connection (upserts), with a third of the client CPU; it was 50,000.
    constexpr qint64 kMinRowsForPipelining = 20000;
    return m_context.targetPool && m_context.copyWriters > 0 && source.estimatedRows >= kMinRowsForPipelining;
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

QList<ColumnInfo> TableJob::writableColumns(const TableSchema &source) const
{
    QList<ColumnInfo> columns;
    for (const ColumnInfo &c : source.columns) {
        if (!c.generated)
            columns << c;
    }
    return columns;
}

QList<int> TableJob::keyIndexes(const QList<ColumnInfo> &columns) const
{
    QList<int> indexes;
    for (const QString &key : m_spec.primaryKey) {
        for (int i = 0; i < columns.size(); ++i) {
            if (columns[i].name.compare(key, Qt::CaseInsensitive) == 0)
                indexes << i;
        }
    }
    return indexes;
}

int TableJob::pageRows(const TableSchema &source) const
{
    const int configured = m_spec.batchSize > 0 ? m_spec.batchSize : m_context.settings.fetchLimit;
    if (source.averageRowLength <= 0)
        return configured;
    const qint64 byBytes = std::max<qint64>(1, kPageByteBudget / source.averageRowLength);
    return int(std::min<qint64>(configured, byBytes));
}

QVariant TableJob::bindableCursor(const ColumnInfo &modifier, const QString &text) const
{
    // An integer compared with a string is compared as a double in MySQL: bind integers as such.
    if (modifier.kind() == ValueKind::Integer)
        return modifier.isUnsigned() ? QVariant(text.toULongLong()) : QVariant(text.toLongLong());
    return text;
}

void TableJob::syncIncremental(const TableSchema &source)
{
    Bookkeeping bookkeeping(m_context.target);
    const ColumnInfo modifier = *source.column(m_spec.modifier);

    const QList<ColumnInfo> written = writableColumns(source);
    QList<ColumnInfo> read = written;
    if (modifier.generated)
        read << modifier;

    std::optional<QString> start = bookkeeping.cursor(m_spec.table, modifier.name);
    if (!start && !m_spec.initialValue && worthPipelining(source)) {
        const KeyOrderFirstLoad::Outcome load = KeyOrderFirstLoad(m_context, m_spec,
                                                                  {source, written, read, keyIndexes(written),
                                                                   pageRows(source), targetIsEmpty(source.name)})
                                                    .run();
        m_result.rowsWritten += load.rowsWritten;
        if (load.stopped)
            m_result.outcome = TableOutcome::Stopped;
        if (load.cursor)
            m_result.cursor = *load.cursor;
        if (load.stopped || !load.cursor || !load.resumed)
            return;
        // The keys before the resume point were read by an earlier run: what changed since
        // then is read now, by an ordinary pass from the cursor the load ended with.
        start = load.cursor;
    }
    const bool hasStoredCursor = start.has_value();
    if (!start && m_spec.initialValue)
        start = *m_spec.initialValue;
    m_context.progress.onTableMessage(m_spec.table, start
                                                        ? u"reading rows with "_qs + modifier.name + u" >= "_qs + *start
                                                        : u"no cursor yet: reading every row"_qs);
    int modifierIndex = 0;
    for (int i = 0; i < read.size(); ++i) {
        if (read[i].name == modifier.name)
            modifierIndex = i;
    }
    QList<ColumnInfo> order{modifier};
    for (const QString &key : m_spec.primaryKey)
        order << *source.column(key);

    std::optional<QVariant> lowerBound;
    if (start)
        lowerBound = bindableCursor(modifier, *start);
    // Rows changed while this runs are read by the next run: their new modifier value is past
    // every value this snapshot holds.
    SourceSnapshot snapshot(m_context.source);
    PageReader reader(m_context.source, m_context.dialect, source.name, read, order, pageRows(source), lowerBound);
    // A row without a modifier value has no place in the cursor's order: it is never synced
    // incrementally (as with the old pipeline). A lower bound leaves it out by itself.
    if (modifier.nullable && !lowerBound)
        reader.setCondition(m_context.dialect.quoteIdentifier(modifier.name) + u" IS NOT NULL"_qs);
    const bool canPipeline = m_context.targetPool && m_context.copyWriters > 0;
    if (hasStoredCursor && canPipeline) {
        // Most runs find a few changes; a backlog is found after one small page and then shared
        // by the writers, instead of first going through one connection a whole page at a time.
        reader.setFirstPageRows(kFirstIncrementalPageRows);
    }

    // Source and target working in parallel: for the rest of the pages of `reader`.
    const auto continuePipelined = [&](bool bulkLoad, const QString &why) {
        m_context.progress.onTableMessage(
            m_spec.table, why + QStringLiteral(": reading and writing in parallel with %1 writer connection(s)")
                                    .arg(m_context.copyWriters));
        PipelinedCopy copy(*m_context.targetPool, m_context.dialect,
                           {source.name, written, keyIndexes(written), m_context.loadId, /*upsert=*/true, bulkLoad},
                           m_context.copyWriters, m_context.stopRequested, m_context.progress, m_spec.table);
        const QString table = m_spec.table;
        const QString loadId = m_context.loadId;
        const QString modifierName = modifier.name;
        copy.setProgressMark(
            [modifierIndex](const Page &page) { return page.valueAt(page.rowCount() - 1, modifierIndex).toString(); },
            [table, modifierName, loadId](DbConnection &connection, const QString &cursor) {
                Bookkeeping(connection).saveCursor(table, modifierName, cursor, loadId);
            });
        bool stopped = false;
        // A backlog's size is unknown; a first load's is the table's.
        m_result.rowsWritten += copy.run(reader, hasStoredCursor ? -1 : source.estimatedRows, stopped);
        if (!copy.savedMark().isEmpty())
            m_result.cursor = copy.savedMark();
        if (stopped)
            m_result.outcome = TableOutcome::Stopped;
    };

    // Only with initial_value: every other large first load went by key order above.
    if (!hasStoredCursor && worthPipelining(source)) {
        continuePipelined(targetIsEmpty(source.name), u"large first load from initial_value"_qs);
    } else {
        BatchWriter writer(m_context.target, m_context.dialect, source.name, written, keyIndexes(written),
                           m_context.loadId, /*upsert=*/true);
        // The cursor is inclusive, so rows still holding the stored cursor value are read again.
        // Most were synced with it and are unchanged: leave those untouched. Not all, though: the
        // batch that set the cursor may have ended inside a group of rows sharing that value (one
        // UPDATE stamps many rows alike), or a writer committed another such row later. Those
        // exist in the target with old values, so "insert if missing" would lose their update.
        BatchWriter boundaryWriter(m_context.target, m_context.dialect, source.name, written, keyIndexes(written),
                                   m_context.loadId, /*upsert=*/true);
        boundaryWriter.setUpdateOnlyChanged(true);
        bool inBoundary = hasStoredCursor;
        Page page;
        while (reader.next(page)) {
            const QString cursor = page.value(page.rowCount() - 1, modifierIndex).toString();
            int boundaryRows = 0;
            while (inBoundary && boundaryRows < page.rowCount() &&
                   page.value(boundaryRows, modifierIndex).toString() == *start)
                ++boundaryRows;
            inBoundary = inBoundary && boundaryRows == page.rowCount();
            m_context.target.beginTransaction();
            boundaryWriter.write(page, 0, boundaryRows);
            writer.write(page, boundaryRows, page.rowCount() - boundaryRows);
            bookkeeping.saveCursor(m_spec.table, modifier.name, cursor, m_context.loadId);
            m_context.target.commit();
            m_result.rowsWritten += page.rowCount();
            m_result.cursor = cursor;
            m_context.progress.onBatchCommitted(m_spec.table, page.rowCount(), m_result.rowsWritten, -1);
            if (reader.atEnd())
                break;
            if (stopRequested()) {
                m_result.outcome = TableOutcome::Stopped;
                snapshot.end();
                return;
            }
            // A full page and more to come: a backlog worth the extra writer connections. Not
            // inside the group of rows at the stored cursor value: only this loop writes those
            // so that unchanged ones keep their load id.
            if (canPipeline && !inBoundary) {
                continuePipelined(false, u"more than one batch of changes"_qs);
                break;
            }
        }
    }
    snapshot.end();
    if (m_result.cursor.isEmpty() && start)
        m_result.cursor = *start;
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
        QList<ColumnInfo> order;
        for (const QString &key : m_spec.primaryKey)
            order << *source.column(key);
        PageReader reader(m_context.source, dialect, source.name, written, order, pageRows(source), std::nullopt);
        bool stopped = false;
        if (worthPipelining(source)) {
            reader.preferTextProtocol(); // LOAD DATA takes the pages as the server's text
            m_context.progress.onTableMessage(
                m_spec.table, QStringLiteral("large copy: reading and writing in parallel with %1 writer connection(s)")
                                  .arg(m_context.copyWriters));
            PipelinedCopy copy(*m_context.targetPool, dialect,
                               {staging, written, keyIndexes(written), m_context.loadId, /*upsert=*/false,
                                /*bulkLoad=*/true},
                               m_context.copyWriters, m_context.stopRequested, m_context.progress, m_spec.table);
            m_result.rowsWritten = copy.run(reader, source.estimatedRows, stopped);
        } else {
            BatchWriter writer(target, dialect, staging, written, keyIndexes(written), m_context.loadId,
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
