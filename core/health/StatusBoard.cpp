#include "health/StatusBoard.h"

#include "sync/SyncEngine.h"

#include <algorithm>

namespace tablesync {

namespace {
// Masking every occurrence of a very short password would garble messages for nothing: a 3-letter
// password is the real problem. Anything longer is masked wherever it appears.
constexpr qsizetype kMinRedactedLength = 4;
} // namespace

QString engineStateName(EngineState state)
{
    switch (state) {
    case EngineState::Starting:
        return u"starting"_qs;
    case EngineState::Running:
        return u"running"_qs;
    case EngineState::Idle:
        return u"idle"_qs;
    case EngineState::Stopped:
        return u"stopped"_qs;
    }
    return {};
}

QString tableStateName(TableState state)
{
    switch (state) {
    case TableState::NeverRun:
        return u"never_run"_qs;
    case TableState::Queued:
        return u"queued"_qs;
    case TableState::Running:
        return u"running"_qs;
    case TableState::Succeeded:
        return u"succeeded"_qs;
    case TableState::Failed:
        return u"failed"_qs;
    case TableState::Stopped:
        return u"stopped"_qs;
    }
    return {};
}

StatusBoard::StatusBoard(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
    , m_intervalSeconds(settings.intervalSeconds)
    , m_sourceName(settings.source.displayName())
    , m_targetName(settings.target.displayName())
{
    m_startedAt = now();
    for (const QString &secret : {settings.source.password, settings.target.password}) {
        if (secret.size() >= kMinRedactedLength && !m_secrets.contains(secret))
            m_secrets << secret;
    }
    // The configured tables are listed from the start, so /status shows what will be synced.
    for (const TableSpec &spec : settings.tables) {
        TableStatus t;
        t.name = spec.table;
        t.strategy = spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs;
        m_tables << t;
    }
}

void StatusBoard::attach(const SyncEngine *engine)
{
    qRegisterMetaType<tablesync::TableResult>();
    qRegisterMetaType<tablesync::RunSummary>();
    qRegisterMetaType<tablesync::PoolStats>();
    // Queued even when the engine lives in this thread: the engine must never run our code.
    const auto queued = Qt::QueuedConnection;
    connect(engine, &SyncEngine::runStarted, this, &StatusBoard::onRunStarted, queued);
    connect(engine, &SyncEngine::tableSyncStarted, this, &StatusBoard::onTableSyncStarted, queued);
    connect(engine, &SyncEngine::tableMessage, this, &StatusBoard::onTableMessage, queued);
    connect(engine, &SyncEngine::batchCommitted, this, &StatusBoard::onBatchCommitted, queued);
    connect(engine, &SyncEngine::tableSyncFinished, this, &StatusBoard::onTableSyncFinished, queued);
    connect(engine, &SyncEngine::runFinished, this, &StatusBoard::onRunFinished, queued);
    connect(engine, &SyncEngine::nextRunScheduled, this, &StatusBoard::onNextRunScheduled, queued);
    connect(engine, &SyncEngine::poolStatsChanged, this, &StatusBoard::onPoolStatsChanged, queued);
    connect(engine, &SyncEngine::stopped, this, &StatusBoard::onStopped, queued);
}

TableStatus &StatusBoard::table(const QString &name)
{
    for (TableStatus &t : m_tables) {
        if (t.name == name)
            return t;
    }
    TableStatus t; // not configured (cannot happen today): show it rather than lose it
    t.name = name;
    m_tables << t;
    return m_tables.last();
}

QString StatusBoard::redacted(QString text) const
{
    for (const QString &secret : m_secrets)
        text.replace(secret, u"***"_qs);
    return text;
}

void StatusBoard::recordError(const QString &table, const QString &message)
{
    m_recentErrors.prepend({now(), table, message});
    if (m_recentErrors.size() > kRecentErrors)
        m_recentErrors.resize(kRecentErrors);
}

void StatusBoard::onRunStarted(const QString &loadId, int tableCount)
{
    const QDateTime t = now();
    m_engineState = EngineState::Running;
    m_currentRun = RunRecord{loadId, t, {}, 0, tableCount, 0, 0};
    m_nextRunAt = {};
    m_lastProgressAt = t;
    for (TableStatus &table : m_tables) {
        table.state = TableState::Queued;
        table.rowsThisRun = 0;
        table.estimatedTotal = -1;
        table.elapsedMs = 0;
        table.startedAt = {};
        table.finishedAt = {};
    }
    Q_EMIT changed();
}

void StatusBoard::onTableSyncStarted(const QString &name, const QString &strategy)
{
    TableStatus &t = table(name);
    t.state = TableState::Running;
    t.strategy = strategy;
    t.startedAt = now();
    t.rowsThisRun = 0;
    t.elapsedMs = 0;
    m_lastProgressAt = t.startedAt;
    Q_EMIT changed();
}

void StatusBoard::onTableMessage(const QString &name, const QString &message)
{
    if (name.isEmpty()) {
        // Engine-level messages are about bookkeeping going wrong ("could not record the load").
        recordError({}, redacted(message));
    } else {
        table(name).lastMessage = redacted(message);
    }
    Q_EMIT changed();
}

void StatusBoard::onBatchCommitted(const QString &name, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal)
{
    Q_UNUSED(rowsInBatch)
    TableStatus &t = table(name);
    const QDateTime at = now();
    t.rowsThisRun = rowsSoFar;
    t.estimatedTotal = estimatedTotal > 0 ? estimatedTotal : -1;
    if (t.startedAt.isValid())
        t.elapsedMs = t.startedAt.msecsTo(at);
    m_lastProgressAt = at;
    Q_EMIT changed();
}

void StatusBoard::onTableSyncFinished(const TableResult &result)
{
    TableStatus &t = table(result.table);
    const QDateTime at = now();
    if (!result.strategy.isEmpty())
        t.strategy = result.strategy;
    t.rowsThisRun = result.rowsWritten;
    t.elapsedMs = result.elapsedMs;
    t.finishedAt = at;
    // The engine's result is the authority on what was written (a failed full refresh's staging
    // rows were committed batch by batch but never swapped in), so the counter counts results.
    t.rowsWrittenTotal += result.rowsWritten;
    t.rowsRecheckedThisRun = result.rowsRechecked;
    t.rowsRecheckedTotal += result.rowsRechecked;
    if (result.horizon.checked)
        t.horizon = result.horizon;
    if (result.outcome == TableOutcome::Succeeded && result.sourceSnapshotTime > 0)
        t.sourceSnapshotAt = QDateTime::fromMSecsSinceEpoch(qint64(result.sourceSnapshotTime * 1000), Qt::UTC);
    t.attempts = result.attempts;
    t.retriesTotal += std::max(0, result.attempts - 1);
    if (!result.cursor.isEmpty())
        t.cursor = redacted(result.cursor);
    switch (result.outcome) {
    case TableOutcome::Succeeded:
        t.state = TableState::Succeeded;
        t.lastSuccessAt = at;
        t.consecutiveFailures = 0;
        ++t.succeededRuns;
        break;
    case TableOutcome::Failed:
        t.state = TableState::Failed;
        t.lastError = redacted(result.error);
        t.lastErrorCode = result.errorCode;
        t.lastErrorAt = at;
        ++t.consecutiveFailures;
        ++t.failedRuns;
        recordError(t.name, t.lastError);
        break;
    case TableOutcome::Stopped:
        // Stopped by a signal: neither a success nor a failure.
        t.state = TableState::Stopped;
        ++t.stoppedRuns;
        break;
    }
    t.lastOutcome = t.state;
    m_lastProgressAt = at;
    Q_EMIT changed();
}

void StatusBoard::onRunFinished(const RunSummary &summary)
{
    RunRecord run = m_currentRun.value_or(RunRecord{});
    run.loadId = summary.loadId;
    run.finishedAt = now();
    run.durationMs = summary.elapsedMs;
    if (!run.startedAt.isValid())
        run.startedAt = run.finishedAt.addMSecs(-summary.elapsedMs);
    run.tables = int(summary.tables.size());
    run.failedTables = summary.failedCount();
    run.rowsWritten = 0;
    for (const TableResult &t : summary.tables)
        run.rowsWritten += t.rowsWritten;
    m_lastRun = run;
    m_currentRun.reset();
    ++m_runsCompleted;
    m_runsWithFailures += run.failedTables > 0 ? 1 : 0;
    m_lastProgressAt = run.finishedAt;
    // Tables this run never reached (a stop request) go back to what they were.
    for (TableStatus &t : m_tables) {
        if (t.state == TableState::Queued || t.state == TableState::Running)
            t.state = t.lastOutcome;
    }
    if (m_engineState != EngineState::Stopped)
        m_engineState = EngineState::Idle;
    Q_EMIT changed();
}

void StatusBoard::onNextRunScheduled(qint64 secondsFromNow)
{
    m_nextRunAt = now().addSecs(secondsFromNow);
    if (m_engineState != EngineState::Stopped)
        m_engineState = EngineState::Idle;
    Q_EMIT changed();
}

void StatusBoard::onPoolStatsChanged(const PoolStats &source, const PoolStats &target)
{
    m_sourcePool = source;
    m_targetPool = target;
    m_poolsUpdatedAt = now();
    Q_EMIT changed();
}

void StatusBoard::onStopped()
{
    m_engineState = EngineState::Stopped;
    m_nextRunAt = {};
    Q_EMIT changed();
}

HealthVerdict StatusBoard::health(const QDateTime &at) const
{
    HealthVerdict verdict;
    if (m_engineState == EngineState::Stopped)
        verdict.reasons << u"the sync engine has stopped"_qs;
    for (const TableStatus &t : m_tables) {
        if (t.consecutiveFailures >= kFailedRunsUnhealthy)
            verdict.reasons << QStringLiteral("table %1 failed its last %2 runs: %3")
                                   .arg(t.name)
                                   .arg(t.consecutiveFailures)
                                   .arg(t.lastError.left(300));
    }
    if (m_intervalSeconds > 0 && m_engineState != EngineState::Stopped) {
        // A long first load that keeps committing batches is progressing, not stuck: a liveness
        // probe restarting it would make sure it never finishes. So both must be old.
        const qint64 staleAfter = std::max<qint64>(qint64(kStaleIntervals) * m_intervalSeconds, kMinStaleSeconds);
        const QDateTime lastFinished = m_lastRun ? m_lastRun->finishedAt : m_startedAt;
        const qint64 sinceFinished = lastFinished.secsTo(at);
        const qint64 sinceProgress = m_lastProgressAt.isValid() ? m_lastProgressAt.secsTo(at) : sinceFinished;
        if (sinceFinished > staleAfter && sinceProgress > staleAfter)
            verdict.reasons << QStringLiteral("no run finished for %1 s (%2 intervals of %3 s) and nothing was "
                                              "committed for %4 s")
                                   .arg(sinceFinished)
                                   .arg(kStaleIntervals)
                                   .arg(m_intervalSeconds)
                                   .arg(sinceProgress);
    }
    verdict.healthy = verdict.reasons.isEmpty();
    return verdict;
}

} // namespace tablesync
