#include "sync/TableJob.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/MySqlDialect.h"
#include "db/SchemaReader.h"
#include "sync/Bookkeeping.h"
#include "sync/FullRefresh.h"
#include "sync/IncrementalPass.h"
#include "sync/KeyOrderFirstLoad.h"
#include "sync/RunOutlook.h"
#include "sync/SchemaSync.h"
#include "sync/TableLock.h"
#include "sync/TablePlanner.h"
#include "sync/TableVerifier.h"
#include "sync/TriggerSuspension.h"

#include <algorithm>
#include <optional>

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

// While it lives, the first write of the table's rows suspends its triggers (SyncContext).
class WritingRows
{
public:
    WritingRows(SyncContext &context, TriggerSuspension &triggers)
        : m_context(context)
    {
        m_context.beforeWritingRows = [&triggers] { triggers.suspend(); };
    }
    ~WritingRows() { m_context.beforeWritingRows = {}; }
    WritingRows(const WritingRows &) = delete;
    WritingRows &operator=(const WritingRows &) = delete;

private:
    SyncContext &m_context;
};

// While it lives, long copies confirm between pages that the table's lock is still held.
class ConfirmingTheLock
{
public:
    ConfirmingTheLock(SyncContext &context, TableLock *lock)
        : m_context(context)
    {
        if (lock)
            m_context.confirmTableLock = [lock] { lock->confirmHeld(); };
    }
    ~ConfirmingTheLock() { m_context.confirmTableLock = {}; }
    ConfirmingTheLock(const ConfirmingTheLock &) = delete;
    ConfirmingTheLock &operator=(const ConfirmingTheLock &) = delete;

private:
    SyncContext &m_context;
};

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
        // Quiet (RunOutlook.h): nothing to read, nothing left suspended, definitions in line.
        if (m_context.settings.runMode == Settings::RunMode::Sync && m_spec.isIncremental() && finishQuietly()) {
            m_result.elapsedMs = m_timer.elapsed();
            return m_result;
        }
        // From here on the table's target side may change: one tablesync process at a time.
        std::optional<TableLock> lock;
        if (m_context.settings.runMode != Settings::RunMode::Plan) {
            lock.emplace(m_context.target, m_context.settings.target.database, m_spec.table);
            if (!lock->acquired()) {
                m_result.outcome = TableOutcome::Failed;
                m_result.error = QStringLiteral("another tablesync is working on target table %1 right now (%2); "
                                                "left to it this run. Two services or a service and the desktop "
                                                "app syncing one target? Let one of them do it.")
                                     .arg(m_spec.table, lock->holder());
                m_result.elapsedMs = m_timer.elapsed();
                return m_result;
            }
        }
        // Triggers a killed run left suspended come back first, whatever happens to the table next;
        // the target's triggers must not act on tablesync's writes (TriggerSuspension.h).
        TriggerSuspension triggers(m_context.target, m_context.dialect, m_spec.table, m_context.progress);
        if (m_context.settings.runMode != Settings::RunMode::Plan)
            triggers.restoreLeftovers();
        // A verification only reads: it holds the lock just long enough to put back what a killed
        // run left suspended, then leaves the table to the syncs while it compares (an hour's
        // comparison would otherwise fail every scheduled sync of the table meanwhile).
        if (m_context.settings.runMode == Settings::RunMode::Verify)
            lock.reset();
        const ConfirmingTheLock confirming(m_context, lock ? &*lock : nullptr);
        const TableSchema source = checkAgainstSource();
        if (m_context.settings.runMode == Settings::RunMode::Plan) {
            TablePlanner(m_context, m_spec, source, m_result).plan();
            m_result.elapsedMs = m_timer.elapsed();
            return m_result;
        }
        if (m_context.settings.runMode != Settings::RunMode::Sync) {
            // Verification changes no schema; a repair only rewrites rows.
            const bool repair = m_context.settings.runMode == Settings::RunMode::Repair;
            const WritingRows writing(m_context, triggers);
            TableVerifier(m_context, m_spec, source, m_result).verify(repair);
            triggers.resume();
            m_result.elapsedMs = m_timer.elapsed();
            return m_result;
        }
        bool everyRowAgain = false;
        SchemaSync schemaSync(m_context.source, m_context.target, m_context.dialect);
        Bookkeeping bookkeeping(m_context.target);
        const SchemaSync::Result schema = schemaSync.apply(source, m_spec, [&] {
            // A new column must be filled in the rows already there, and a table created anew
            // (dropped in the target since its last sync) needs every row: read them all again.
            // The cursor goes before the DDL, so a crash in between cannot skip the refill.
            everyRowAgain = true;
            const bool noCursor = m_context.outlook && m_context.outlook->knowsNoCursor(m_spec.table);
            if (m_spec.isIncremental() && !noCursor)
                bookkeeping.resetCursor(m_spec.table);
        });
        for (const QString &note : schema.notes)
            m_context.progress.onTableMessage(m_spec.table, u"schema: "_qs + note);
        for (const QString &drift : schema.drift)
            m_context.progress.onTableMessage(m_spec.table, u"schema drift: "_qs + drift);
        if (everyRowAgain && !schema.created && m_spec.isIncremental())
            m_context.progress.onTableMessage(m_spec.table, u"re-reading every row to fill the new column(s)"_qs);

        const WritingRows writing(m_context, triggers);
        if (m_spec.isIncremental())
            IncrementalPass(m_context, m_spec, source, m_result).run();
        else
            FullRefresh(m_context, m_spec, source, m_result).run();
        // A full refresh drops deleted rows by itself; the cursor of an incremental one cannot see them.
        if (m_spec.isIncremental() && m_spec.deletes != TableSpec::Deletes::Keep &&
            m_result.outcome == TableOutcome::Succeeded)
            TableVerifier(m_context, m_spec, source, m_result).propagateDeletes();
        triggers.resume();
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
    validate(source, /*checkInitialValue=*/true);
    return source;
}

void TableJob::validate(const TableSchema &source, bool checkInitialValue)
{
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
    if (!m_spec.primaryKey.isEmpty()) // without one, the whole table is replaced (FullRefresh.h)
        requireUniqueKey(source, where);
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
        warnWithoutModifierIndex(source, modifier->name);
        if (m_spec.initialValue && checkInitialValue) {
            const QVariant cast =
                m_context.source.scalar(u"SELECT CAST(? AS "_qs + MySqlDialect::castTypeFor(*modifier) + u")"_qs,
                                        {*m_spec.initialValue}, u"checking initial_value"_qs);
            if (cast.isNull()) {
                throw ConfigMismatch(where + QStringLiteral("initial_value \"%1\" is not a valid %2 value")
                                                 .arg(*m_spec.initialValue, modifier->columnType));
            }
        }
    }
}

bool TableJob::finishQuietly()
{
    if (!m_context.outlook)
        return false;
    const std::optional<RunOutlook::QuietTable> quiet =
        m_context.outlook->quiet(m_context.source, m_context.target, m_context.dialect, m_spec.table);
    if (!quiet)
        return false;
    // The same checks as every run, on the definitions the outlook read: a source table that
    // lost its modifier or key still fails loudly, a new source column still reaches the target.
    validate(quiet->source, /*checkInitialValue=*/false); // a stored cursor makes initial_value moot
    SchemaSync schemaSync(m_context.source, m_context.target, m_context.dialect);
    schemaSync.setPlanOnly(true);
    const SchemaSync::Result schema = schemaSync.apply(quiet->source, m_spec, {}, &quiet->target);
    if (!schema.statements.isEmpty())
        return false;
    for (const QString &drift : schema.drift)
        m_context.progress.onTableMessage(m_spec.table, u"schema drift: "_qs + drift);
    m_context.progress.onTableMessage(m_spec.table, u"nothing after "_qs + m_spec.modifier + u" = "_qs +
                                                        quiet->start.modifier + u" and the key read last"_qs);
    m_result.cursor = quiet->start.modifier;
    m_result.sourceSnapshotTime = quiet->sourceTime;
    m_result.quiet = true;
    return true;
}

void TableJob::requireUniqueKey(const TableSchema &source, const QString &where)
{
    // The target's unique key on these columns makes rows that share values overwrite each other:
    // rows would be lost while the run reports them written. Refuse before writing anything.
    if (source.rowsAreUniqueOn(m_spec.primaryKey))
        return;
    const QStringList keys = source.describeUniqueKeys();
    QString advice;
    if (!source.primaryKey.isEmpty()) {
        QStringList quoted;
        for (const QString &column : source.primaryKey)
            quoted << u'"' + column + u'"';
        advice =
            QStringLiteral("Its keys: %1. Use \"primary_key\": [%2]").arg(keys.join(u"; "_qs), quoted.join(u", "_qs));
    } else if (!keys.isEmpty()) {
        advice = u"Its keys: "_qs + keys.join(u"; "_qs) + u". Use the columns of one whose columns are NOT NULL"_qs;
    } else {
        advice = u"The table has no PRIMARY KEY or UNIQUE index on the source; add one there"_qs;
    }
    throw ConfigMismatch(where + QStringLiteral("primary_key (%1) is not a unique key of the source table, so rows "
                                                "that share its values would overwrite each other in the target "
                                                "and be lost. %2.")
                                     .arg(m_spec.primaryKey.join(u", "_qs), advice));
}

bool TableJob::worthPipelining(const SyncContext &context, const TableSchema &source)
{
    // Below this, the extra threads and connections cost more than they save. Measured on a
    // first load of 30,000 rows: 1.0 s pipelined (LOAD DATA, key order) against 1.7 s on one
    // connection (upserts), with a third of the client CPU; it was 50,000.
    constexpr qint64 kMinRowsForPipelining = 20000;
    return context.targetPool && context.copyWriters > 0 && source.estimatedRows >= kMinRowsForPipelining;
}

void TableJob::warnWithoutModifierIndex(const TableSchema &source, const QString &modifier)
{
    // Without an index that starts with the modifier, every incremental page scans the table.
    for (const QString &leader : source.indexLeaders) {
        if (leader.compare(modifier, Qt::CaseInsensitive) == 0)
            return;
    }
    m_context.progress.onTableMessage(
        m_spec.table,
        QStringLiteral("warning: no index starts with the modifier column %1, so every batch "
                       "scans the whole source table; consider CREATE INDEX ON %2 (%1)")
            .arg(m_context.dialect.quoteIdentifier(modifier), m_context.dialect.quoteIdentifier(source.name)));
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
    // A table without a key: the whole row is what identifies it, so `_dlt_id` is derived from
    // every column and an unchanged row keeps its id from one refresh to the next.
    if (spec.primaryKey.isEmpty()) {
        for (int i = 0; i < columns.size(); ++i)
            indexes << i;
        return indexes;
    }
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

} // namespace tablesync
