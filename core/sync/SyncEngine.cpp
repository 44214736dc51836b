#include "sync/SyncEngine.h"

#include "sync/AccessAdvice.h"
#include "sync/HorizonNotice.h"

#include "db/ConnectionPool.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/MySqlDialect.h"
#include "db/ThreadConnection.h"
#include "sync/Bookkeeping.h"
#include "sync/LoadId.h"
#include "sync/SyncWorker.h"

#include <QThread>
#include <QTimer>

#include <algorithm>

namespace tablesync {

SyncEngine::SyncEngine(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_dialect(std::make_unique<MySqlDialect>())
{
    qRegisterMetaType<tablesync::TableResult>();
    qRegisterMetaType<tablesync::RunSummary>();
    qRegisterMetaType<tablesync::PoolStats>();
    const auto pool = [this](const ConnectionSettings &connection) {
        return std::make_unique<ConnectionPool>(connection, m_settings.poolSize, m_settings.maxOverflow,
                                                m_settings.poolTimeoutSeconds, m_settings.poolRecycleSeconds);
    };
    m_sourcePool = pool(m_settings.source);
    m_targetPool = pool(m_settings.target);
    // Never more workers than a pool can serve (each holds one connection per server), less the
    // engine's own target connection for the bookkeeping at the end of a run: so no connection
    // has to be closed and reopened to make room, which a server limiting connections per user
    // can count twice while the close is still on its way.
    m_workerCount = std::clamp(m_settings.workers, 1, std::max(1, m_targetPool->capacity() - 1));
    m_workerCount = std::min(m_workerCount, m_sourcePool->capacity());
    // A large copy adds writer threads, each with a target connection; only as many as the target
    // pool can give every worker at once (besides its own), so they never wait for each other.
    const int spareTargetConnections = m_targetPool->capacity() - m_workerCount - 1; // 1: the engine's own
    m_copyWriters = std::clamp(spareTargetConnections / m_workerCount, 0, m_settings.copyWriters);
}

SyncEngine::~SyncEngine()
{
    m_stopRequested.store(true);
    stopWorkers();
    m_bookkeepingConnection.reset();
}

PoolStats SyncEngine::sourcePoolStats() const
{
    return m_sourcePool->stats();
}

PoolStats SyncEngine::targetPoolStats() const
{
    return m_targetPool->stats();
}

void SyncEngine::startWorkers()
{
    if (!m_workers.isEmpty())
        return;
    for (int i = 0; i < m_workerCount; ++i) {
        Worker w;
        w.thread = new QThread(this);
        w.thread->setObjectName(QStringLiteral("sync-worker-%1").arg(i + 1));
        w.worker = new SyncWorker(m_settings, *m_sourcePool, *m_targetPool, *m_dialect, m_stopRequested, m_copyWriters,
                                  m_bookkeeping, m_outlook);
        w.worker->moveToThread(w.thread);
        connect(w.worker, &SyncWorker::tableSyncStarted, this, &SyncEngine::tableSyncStarted);
        connect(w.worker, &SyncWorker::tableMessage, this, &SyncEngine::tableMessage);
        connect(w.worker, &SyncWorker::batchCommitted, this, &SyncEngine::batchCommitted);
        connect(w.worker, &SyncWorker::tableSyncFinished, this,
                [this, i](const TableResult &result) { onTableSyncFinished(i, result); });
        w.thread->start();
        m_workers << w;
    }
    m_bookkeepingConnection = std::make_unique<ThreadConnection>(*m_targetPool, this);
    m_poolStatusTimer = new QTimer(this);
    connect(m_poolStatusTimer, &QTimer::timeout, this, &SyncEngine::publishPoolStats);
    if (m_settings.poolStatusIntervalSeconds > 0)
        m_poolStatusTimer->start(std::chrono::seconds(m_settings.poolStatusIntervalSeconds));
}

void SyncEngine::stopWorkers()
{
    for (Worker &w : m_workers) {
        // Connections are closed on the thread that opened them (QtSql's rule).
        SyncWorker *worker = w.worker;
        QMetaObject::invokeMethod(
            worker, [worker] { worker->closeConnections(); }, Qt::BlockingQueuedConnection);
        w.thread->quit();
        w.thread->wait();
        delete w.worker;
    }
    m_workers.clear();
}

void SyncEngine::requestStop()
{
    m_stopRequested.store(true);
    // If idle between scheduled runs, stop now; a running pass stops after its batches.
    QMetaObject::invokeMethod(this, [this] {
        if (m_scheduleTimer)
            m_scheduleTimer->stop();
        if (!m_running)
            Q_EMIT stopped();
    });
}

void SyncEngine::startSchedule()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_scheduled = true;
    if (m_settings.intervalSeconds > 0 && !m_scheduleTimer) {
        m_scheduleTimer = new QTimer(this);
        m_scheduleTimer->setSingleShot(true);
        connect(m_scheduleTimer, &QTimer::timeout, this, &SyncEngine::runOnce);
    }
    runOnce();
}

void SyncEngine::runOnce()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_running || m_stopRequested.load())
        return;
    startWorkers();
    m_running = true;
    m_runTimer.start();
    m_summary = RunSummary();
    m_summary.loadId = LoadId::next();
    m_queue = m_settings.tables;
    m_dispatched = 0;
    m_noticedNoProcess = false;
    m_noticedStaleList = false;
    m_noticedHolder = false;
    m_results = QList<std::optional<TableResult>>(m_queue.size());
    Q_EMIT runStarted(m_summary.loadId, int(m_queue.size()));
    m_sourcePool->forgetLoginRefusal(); // each run may try to log in once more
    m_targetPool->forgetLoginRefusal();
    m_bookkeeping.reset();
    m_outlook.reset(m_settings.tables);
    if (m_queue.isEmpty())
        finishRun();
    else
        dispatch();
}

void SyncEngine::dispatch()
{
    for (int i = 0; i < m_workers.size() && !m_queue.isEmpty() && !m_stopRequested.load(); ++i) {
        Worker &w = m_workers[i];
        if (w.busy)
            continue;
        w.busy = true;
        w.tableIndex = m_dispatched++;
        const TableSpec spec = m_queue.takeFirst();
        const QString loadId = m_summary.loadId;
        SyncWorker *worker = w.worker;
        QMetaObject::invokeMethod(worker, [worker, spec, loadId] { worker->runTable(spec, loadId); });
    }
}

void SyncEngine::onTableSyncFinished(int workerIndex, const TableResult &result)
{
    m_workers[workerIndex].busy = false;
    m_results[m_workers[workerIndex].tableIndex] = result;
    noticeHorizon(result);
    Q_EMIT tableSyncFinished(result);
    dispatch();
    const bool anyBusy = std::any_of(m_workers.cbegin(), m_workers.cend(), [](const Worker &w) { return w.busy; });
    if (!anyBusy && (m_queue.isEmpty() || m_stopRequested.load()))
        finishRun();
}

void SyncEngine::noticeHorizon(const TableResult &result)
{
    // Said once per run, not once per table: it is about the source, not one table.
    const HorizonView &view = result.horizon;
    if (!view.checked)
        return;
    bool &noticed = view.privilegeMissing ? m_noticedNoProcess : m_noticedStaleList;
    const QString warning = HorizonNotice::warning(view, m_settings.source.user);
    if (!warning.isEmpty() && !noticed) {
        noticed = true;
        Q_EMIT tableMessage(QString(), u"warning: "_qs + warning);
    }
    if (HorizonNotice::holderWorthNaming(view) && !m_noticedHolder) {
        m_noticedHolder = true;
        Q_EMIT tableMessage(QString(), HorizonNotice::holderSentence(view));
    }
}

void SyncEngine::finishRun()
{
    for (const std::optional<TableResult> &result : std::as_const(m_results)) {
        if (result) // tables never started (the run was stopped) have none
            m_summary.tables << *result;
    }
    // dlt's status 0 means complete: only a run where every table synced gets it. A run that
    // only read (--verify, --plan) loaded nothing and records nothing.
    if (m_settings.writesTarget())
        recordLoad();
    m_summary.elapsedMs = m_runTimer.elapsed();
    m_summary.sourceRoundTripMs = m_sourcePool->stats().roundTripMs;
    m_summary.targetRoundTripMs = m_targetPool->stats().roundTripMs;
    noticeConfigurationProblems();
    m_running = false;
    publishPoolStats();
    Q_EMIT runFinished(m_summary);

    if (m_stopRequested.load()) {
        Q_EMIT stopped();
    } else if (m_scheduled) {
        if (m_scheduleTimer) {
            const qint64 seconds = secondsUntilNextRun();
            m_scheduleTimer->start(std::chrono::seconds(seconds));
            Q_EMIT nextRunScheduled(seconds);
        } else {
            Q_EMIT stopped();
        }
    }
}

void SyncEngine::noticeConfigurationProblems()
{
    const std::pair<const ConnectionPool *, const ConnectionSettings *> servers[] = {
        {m_sourcePool.get(), &m_settings.source}, {m_targetPool.get(), &m_settings.target}};
    for (const auto &[pool, server] : servers) {
        if (const std::optional<DbError> refusal = pool->loginRefusal()) {
            m_summary.refusedLogin =
                AccessAdvice::forRefusedLogin(*server, refusal->nativeCode(), refusal->serverText());
            break;
        }
    }
    m_summary.missingPrivilege = AccessAdvice::forMissingPrivilege(m_summary);
    m_refusedRuns = m_summary.refusedLogin.isEmpty() ? 0 : m_refusedRuns + 1;
}

qint64 SyncEngine::secondsUntilNextRun() const
{
    if (m_refusedRuns == 0)
        return m_settings.intervalSeconds;
    // A refused login is retried rarely: every attempt counts against the account, and the
    // password does not fix itself. 5 min, 10, 20, 40, then hourly; "Sync now" tries at once.
    constexpr qint64 kFirstBackoffSeconds = 5 * 60;
    constexpr qint64 kLongestBackoffSeconds = 60 * 60;
    const qint64 backoff = std::min(kLongestBackoffSeconds, kFirstBackoffSeconds << std::min(m_refusedRuns - 1, 4));
    return std::max<qint64>(m_settings.intervalSeconds, backoff);
}

void SyncEngine::recordLoad()
{
    try {
        DbConnection &target = m_bookkeepingConnection->checkout();
        try {
            m_bookkeeping.ensure(target); // done already when a table made sure of them this run
            Bookkeeping(target).recordLoad(m_summary.loadId, m_summary.allSucceeded() ? 0 : 1);
            m_bookkeepingConnection->checkin();
        } catch (const DbError &) {
            m_bookkeepingConnection->checkin(true);
            throw;
        }
    } catch (const DbError &e) {
        Q_EMIT tableMessage(QString(), u"could not record the load in _dlt_loads: "_qs + e.message());
    }
}

void SyncEngine::publishPoolStats()
{
    Q_EMIT poolStatsChanged(m_sourcePool->stats(), m_targetPool->stats());
}

} // namespace tablesync
