#include "sync/IncrementalPass.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/BatchWriter.h"
#include "sync/KeyOrderFirstLoad.h"
#include "sync/KeyToken.h"
#include "sync/PageReader.h"
#include "sync/PipelinedCopy.h"
#include "sync/SourceClock.h"
#include "sync/SourceSnapshot.h"
#include "sync/TableJob.h"

#include <QDateTime>
#include <QSqlRecord>

namespace tablesync {

namespace {
// One multi-row statement's worth (BatchWriter): as cheap to read and write as a smaller page.
constexpr int kFirstIncrementalPageRows = 1000;
// A progress mark through PipelinedCopy is one string: the position's two parts with a separator
// neither can hold (modifier values are digits, dates and signs; key tokens are tagged hex).
constexpr QChar kMarkSeparator = u'\x1f';
} // namespace

IncrementalPass::IncrementalPass(SyncContext &context, const TableSpec &spec, const TableSchema &source,
                                 TableResult &result)
    : m_context(context)
    , m_spec(spec)
    , m_source(source)
    , m_result(result)
    , m_modifier(*source.column(spec.modifier))
    , m_written(TableJob::writableColumns(source))
    , m_keyIndexes(TableJob::keyIndexes(m_spec, m_written))
    , m_safe(clockOf(m_modifier), lagFor(spec, context.settings.lag, m_modifier))
{
    m_read = m_written;
    if (m_modifier.generated)
        m_read << m_modifier;
    for (int i = 0; i < m_read.size(); ++i) {
        if (m_read[i].name == m_modifier.name)
            m_modifierIndex = i;
    }
    for (const QString &key : m_spec.primaryKey)
        m_keys << *source.column(key);
}

SafeCursor::Clock IncrementalPass::clockOf(const ColumnInfo &modifier)
{
    if (modifier.kind() != ValueKind::Temporal)
        return SafeCursor::Clock::Counter;
    return modifier.dataType == u"date" ? SafeCursor::Clock::Date : SafeCursor::Clock::Time;
}

qint64 IncrementalPass::lagFor(const TableSpec &spec, int settingsLag, const ColumnInfo &modifier)
{
    if (spec.lag)
        return *spec.lag;
    if (settingsLag >= 0)
        return settingsLag;
    return clockOf(modifier) == SafeCursor::Clock::Counter ? SafeCursor::kDefaultCounterLag
                                                           : SafeCursor::kDefaultTimeLag;
}

QVariant IncrementalPass::bindable(const QString &modifierText) const
{
    // An integer compared with a string is compared as a double in MySQL: bind integers as such.
    if (m_modifier.kind() == ValueKind::Integer)
        return m_modifier.isUnsigned() ? QVariant(modifierText.toULongLong()) : QVariant(modifierText.toLongLong());
    return modifierText;
}

bool IncrementalPass::worthPipelining() const
{
    return TableJob::worthPipelining(m_context, m_source);
}

bool IncrementalPass::targetIsEmpty()
{
    return !m_context.target
                .scalar(u"SELECT 1 FROM "_qs + m_context.dialect.quoteIdentifier(m_source.name) + u" LIMIT 1"_qs, {},
                        u"checking whether the target table is empty"_qs)
                .isValid();
}

void IncrementalPass::readBeforeSnapshot(const std::optional<Bookkeeping::CursorState> &state)
{
    // A counter has no clock to compare with the horizon, so its first pass needs a mark from
    // before the horizon was asked: the newest row now. Later passes have their own marks.
    m_firstMark.reset();
    if (m_safe.clock() == SafeCursor::Clock::Counter && (!state || state->history.isEmpty())) {
        double time = 0;
        if (const auto last = SourceClock::lastPosition(m_context.source, m_context.dialect, m_source.name, m_modifier,
                                                        m_keys, &time))
            m_firstMark = CursorMark{time, *last};
    }
    // A list asked before that mark would never let it be promoted.
    m_horizon = SourceClock::readHorizon(m_context.source, m_context.dialect.quoteIdentifier(m_source.name),
                                         m_firstMark ? m_firstMark->snapshotTime : 0);
    m_result.horizon.checked = true;
    m_result.horizon.known = m_horizon.knowledge == SourceHorizon::Knowledge::Transactions;
    m_result.horizon.privilegeMissing = m_horizon.knowledge == SourceHorizon::Knowledge::NoPrivilege;
    m_result.horizon.heldBackSeconds = m_horizon.heldBackSeconds();
    m_result.horizon.holder = SourceClock::holderText(m_horizon);
}

Bookkeeping::CursorState IncrementalPass::decideInSnapshot(const std::optional<CursorPosition> &start,
                                                           QList<CursorMark> history)
{
    double snapshotTime = 0;
    const std::optional<CursorPosition> last = SourceClock::clockAndLastPosition(
        m_context.source, m_context.dialect, m_source.name, m_modifier, m_keys, snapshotTime);
    m_result.sourceSnapshotTime = snapshotTime;
    std::optional<CursorMark> thisRead;
    if (last) {
        thisRead = CursorMark{snapshotTime, *last};
        warnOfAFutureStamp(last->modifier, snapshotTime);
    }
    if (m_firstMark)
        history.append(*m_firstMark);
    const SafeCursor::Decision decision = m_safe.decide(start, history, m_horizon, thisRead);
    return {decision.start, decision.history};
}

void IncrementalPass::warnOfAFutureStamp(const QString &newest, double serverTime)
{
    // A cursor follows the newest value: one row stamped far ahead (a typo, a wrong clock) moves
    // every later start past the rows stamped normally. A day ahead is wrong in any time zone.
    if (m_safe.clock() == SafeCursor::Clock::Counter)
        return;
    const QDateTime dayAhead = QDateTime::fromMSecsSinceEpoch(qint64((serverTime + 86400) * 1000), Qt::UTC);
    const QString limit =
        dayAhead.toString(m_safe.clock() == SafeCursor::Clock::Date ? u"yyyy-MM-dd"_qs : u"yyyy-MM-dd HH:mm:ss"_qs);
    if (newest > limit) {
        m_context.progress.onTableMessage(
            m_spec.table, QStringLiteral("warning: the newest %1 in the source is %2, more than a day ahead of the "
                                         "source's clock: the cursor follows it, so rows stamped with the real time "
                                         "are not read again until that time comes; correct that row's %1")
                              .arg(m_modifier.name, newest));
    }
}

void IncrementalPass::describeStart(const std::optional<CursorPosition> &start)
{
    QString text;
    if (!start)
        text = u"no cursor yet: reading every row"_qs;
    else if (start->afterKey.isEmpty())
        text = u"reading rows with "_qs + m_modifier.name + u" >= "_qs + start->modifier;
    else
        text = u"reading rows after "_qs + m_modifier.name + u" = "_qs + start->modifier + u" and the key read last"_qs;
    m_context.progress.onTableMessage(m_spec.table, text);
}

void IncrementalPass::run()
{
    Bookkeeping bookkeeping(m_context.target);
    std::optional<Bookkeeping::CursorState> state = bookkeeping.cursorState(m_spec.table, m_modifier.name);

    if (!state && !m_spec.initialValue && worthPipelining()) {
        readBeforeSnapshot(state);
        KeyOrderFirstLoad::Input input{m_source,
                                       m_written,
                                       m_read,
                                       m_keyIndexes,
                                       TableJob::pageRows(m_context, m_spec, m_source),
                                       targetIsEmpty(),
                                       [this] { return decideInSnapshot(std::nullopt, {}); }};
        m_context.aboutToWriteRows();
        const KeyOrderFirstLoad::Outcome load = KeyOrderFirstLoad(m_context, m_spec, std::move(input)).run();
        m_result.rowsWritten += load.rowsWritten;
        if (load.stopped)
            m_result.outcome = TableOutcome::Stopped;
        if (load.cursor)
            m_result.cursor = *load.cursor;
        if (load.stopped || !load.cursor || !load.resumed)
            return;
        // The keys before the resume point were read by an earlier run: what changed since
        // then is read now, by an ordinary pass from the state the load ended with.
        state = bookkeeping.cursorState(m_spec.table, m_modifier.name);
    }

    m_hasState = state.has_value();
    m_stored = state;
    std::optional<CursorPosition> start = state ? state->start : std::nullopt;
    if (!start && m_spec.initialValue)
        start = CursorPosition{*m_spec.initialValue, QString()};
    readBeforeSnapshot(state);
    // Rows changed while this runs are read by the next run, from the start decided here.
    SourceSnapshot snapshot(m_context.source);
    m_decided = decideInSnapshot(start, state ? state->history : QList<CursorMark>());
    describeStart(start);

    QList<ColumnInfo> order{m_modifier};
    order << m_keys;
    const std::optional<QVariantList> afterKey = resumeKey(start);
    std::optional<QVariant> lowerBound;
    if (start && !afterKey)
        lowerBound = bindable(start->modifier); // every row at the start value is read again
    PageReader reader(m_context.source, m_context.dialect, m_source.name, m_read, order,
                      TableJob::pageRows(m_context, m_spec, m_source), lowerBound);
    if (afterKey)
        reader.startAfter(*afterKey);
    // A row without a modifier value has no place in the cursor's order: it is never synced
    // incrementally (as with the old pipeline). A start leaves it out by itself.
    if (!start && m_modifier.nullable)
        reader.setCondition(m_context.dialect.quoteIdentifier(m_modifier.name) + u" IS NOT NULL"_qs);
    const bool finished = copyFrom(reader, start);
    snapshot.end();
    if (!finished) {
        m_result.outcome = TableOutcome::Stopped;
        return;
    }
    // A table with nothing new keeps its stored state: no statement on the target at all.
    if (decisionDiffersFromStored() && !m_decisionSaved)
        bookkeeping.saveCursorState(m_spec.table, m_modifier.name, m_decided, m_context.loadId);
    if (m_decided.start)
        m_result.cursor = m_decided.start->modifier;
}

bool IncrementalPass::decisionDiffersFromStored() const
{
    return !m_stored || m_stored->start != m_decided.start || m_stored->history != m_decided.history || m_progressSaved;
}

std::optional<QVariantList> IncrementalPass::resumeKey(const std::optional<CursorPosition> &start) const
{
    if (!start || start->afterKey.isEmpty())
        return std::nullopt;
    const std::optional<QVariantList> key = KeyToken::decode(start->afterKey);
    if (!key || key->size() != m_keys.size())
        return std::nullopt; // a key of another primary key: read the whole value again
    QVariantList position{bindable(start->modifier)};
    position << *key;
    return position;
}

CursorPosition IncrementalPass::positionOfLastRow(const Page &page) const
{
    const int row = page.rowCount() - 1;
    QVariantList key;
    for (int index : m_keyIndexes) // m_read begins with m_written, so its key positions are the same
        key << page.valueAt(row, index);
    return CursorPosition{page.valueAt(row, m_modifierIndex).toString(), KeyToken::encode(key)};
}

void IncrementalPass::saveProgress(DbConnection &target, const CursorPosition &progress)
{
    // Killed after this batch, the next pass starts no later than here, nor later than this pass's
    // own safe start: rows an open transaction commits may lie before the rows read so far.
    Bookkeeping::CursorState state{m_safe.progressStart(progress, m_decided.start), m_decided.history};
    Bookkeeping(target).saveCursorState(m_spec.table, m_modifier.name, state, m_context.loadId);
    m_progressSaved = true;
}

bool IncrementalPass::copyFrom(PageReader &reader, const std::optional<CursorPosition> &start)
{
    const bool canPipeline = m_context.targetPool && m_context.copyWriters > 0;
    if (m_hasState && canPipeline) {
        // Most runs find a few changes; a backlog is found after one small page and then shared
        // by the writers, instead of first going through one connection a whole page at a time.
        reader.setFirstPageRows(kFirstIncrementalPageRows);
    }
    // Only with initial_value: every other large first load went by key order.
    if (!m_hasState && worthPipelining()) {
        // Into an empty table, LOAD DATA's inserts are what is needed (a page meeting rows already
        // there falls back to upserts by itself).
        return copyPipelined(reader, start ? u"large first load from initial_value"_qs : u"large first load"_qs,
                             targetIsEmpty(), start ? estimateBacklog(*start) : m_source.estimatedRows);
    }

    BatchWriter writer(m_context.target, m_context.dialect, m_source.name, m_written, m_keyIndexes, m_context.loadId,
                       /*upsert=*/true);
    // Rows read again (the window after the safe start) are mostly unchanged: leave those as they
    // are, load id included. A row at the start's value that a writer changed still gets its update.
    writer.setUpdateOnlyChanged(true);
    Page page;
    qint64 rowsRead = 0;
    // A first load knows its size (the table's estimate); a backlog is estimated once a full page
    // shows there is one.
    qint64 estimate = m_hasState ? -1 : m_source.estimatedRows;
    while (reader.next(page)) {
        if (start && m_hasState && rowsRead == 0 && !reader.atEnd()) // the first page, and more to come
            estimate = estimateBacklog(*start);
        const qint64 changedBefore = writer.rowsChanged();
        m_context.aboutToWriteRows(); // an upsert fires triggers even when it changes nothing
        m_context.target.beginTransaction();
        writer.write(page);
        const qint64 changed = writer.rowsChanged() - changedBefore;
        if (reader.atEnd() && (changed > 0 || decisionDiffersFromStored())) {
            // The last page: the pass's decision goes with its rows, one statement fewer.
            Bookkeeping(m_context.target).saveCursorState(m_spec.table, m_modifier.name, m_decided, m_context.loadId);
            m_decisionSaved = true;
        } else if (changed > 0) { // with the rows it covers; a page of re-checked rows needs no new state
            saveProgress(m_context.target, positionOfLastRow(page));
        }
        m_context.target.commit();
        rowsRead += page.rowCount();
        m_result.rowsWritten += changed;
        m_result.rowsRechecked += page.rowCount() - changed;
        m_context.progress.onBatchCommitted(m_spec.table, page.rowCount(), rowsRead,
                                            estimate < 0 ? -1 : std::max(estimate, rowsRead));
        if (reader.atEnd())
            return true;
        if (m_context.stopRequested.load())
            return false;
        // A full page and more to come: a backlog worth the extra writer connections.
        if (canPipeline) {
            return copyPipelined(reader, u"a backlog of changes"_qs, /*bulkLoad=*/false, estimate, rowsRead);
        }
    }
    return true;
}

qint64 IncrementalPass::estimateBacklog(const CursorPosition &start)
{
    try {
        QSqlQuery plan = m_context.source.select(u"EXPLAIN SELECT 1 FROM "_qs +
                                                     m_context.dialect.quoteIdentifier(m_source.name) + u" WHERE "_qs +
                                                     m_context.dialect.quoteIdentifier(m_modifier.name) + u" >= ?"_qs,
                                                 {bindable(start.modifier)}, u"estimating the backlog"_qs);
        if (!plan.next())
            return -1;
        const QSqlRecord columns = plan.record();
        const int type = columns.indexOf(u"type"_qs);
        const int rowsColumn = columns.indexOf(u"rows"_qs);
        if (type < 0 || rowsColumn < 0 || plan.value(type).toString() != u"range")
            return -1; // another plan, or another EXPLAIN format (MySQL's explain_format=JSON)
        bool ok = false;
        const qint64 rows = plan.value(rowsColumn).toLongLong(&ok);
        return ok ? rows : -1;
    } catch (const DbError &) {
        return -1; // only progress depends on it
    }
}

bool IncrementalPass::copyPipelined(PageReader &reader, const QString &why, bool bulkLoad, qint64 estimatedTotal,
                                    qint64 rowsBefore)
{
    m_context.progress.onTableMessage(
        m_spec.table, why + QStringLiteral(": reading and writing in parallel with %1 writer connection(s)")
                                .arg(m_context.copyWriters));
    PipelinedCopy::Target target{m_source.name, m_written, m_keyIndexes, m_context.loadId, /*upsert=*/true, bulkLoad};
    target.updateOnlyChanged = true;
    PipelinedCopy copy(*m_context.targetPool, m_context.dialect, target, m_context.copyWriters, m_context.stopRequested,
                       m_context.progress, m_spec.table);
    copy.setBeforeEachPage([this] { m_context.stillHoldingTheTable(); });
    copy.setProgressMark(
        [this](const Page &page) -> QString {
            const CursorPosition position = positionOfLastRow(page);
            return position.modifier + kMarkSeparator + position.afterKey;
        },
        [this](DbConnection &connection, const QString &mark) {
            const qsizetype at = mark.indexOf(kMarkSeparator);
            saveProgress(connection, CursorPosition{mark.left(at), mark.mid(at + 1)});
        });
    bool stopped = false;
    m_context.aboutToWriteRows();
    copy.setRowsBefore(rowsBefore);
    const qint64 rows = copy.run(reader, estimatedTotal, stopped);
    m_result.rowsWritten += copy.rowsChanged();
    m_result.rowsRechecked += rows - copy.rowsChanged();
    return !stopped;
}

} // namespace tablesync
