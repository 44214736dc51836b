#include "sync/SyncEngine.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/MySqlDialect.h"
#include "sync/Bookkeeping.h"
#include "sync/LoadId.h"
#include "sync/TableJob.h"

#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

namespace tablesync {

namespace {
// Forwards a table job's progress to the engine's signals.
class SignalProgress final : public SyncProgress
{
public:
    explicit SignalProgress(SyncEngine &engine)
        : m_engine(engine)
    {}
    void tableMessage(const QString &table, const QString &message) override
    {
        Q_EMIT m_engine.tableMessage(table, message);
    }
    void batchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal) override
    {
        Q_EMIT m_engine.batchCommitted(table, rowsInBatch, rowsSoFar, estimatedTotal);
    }

private:
    SyncEngine &m_engine;
};
} // namespace

SyncEngine::SyncEngine(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    qRegisterMetaType<tablesync::TableResult>();
    qRegisterMetaType<tablesync::RunSummary>();
}

void SyncEngine::requestStop()
{
    m_stopRequested.store(true);
    // If idle between scheduled runs, stop now; a running pass stops after its batch.
    QMetaObject::invokeMethod(this, [this] {
        if (m_timer)
            m_timer->stop();
        if (!m_running)
            Q_EMIT stopped();
    });
}

void SyncEngine::startSchedule()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_settings.intervalSeconds > 0) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &SyncEngine::scheduledRun);
    }
    scheduledRun();
}

void SyncEngine::scheduledRun()
{
    if (m_stopRequested.load())
        return;
    runOnce();
    if (!m_timer || m_stopRequested.load()) {
        Q_EMIT stopped();
        return;
    }
    m_timer->start(std::chrono::seconds(m_settings.intervalSeconds));
    Q_EMIT nextRunScheduled(m_settings.intervalSeconds);
}

void SyncEngine::runOnce()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_running = true;
    QElapsedTimer timer;
    timer.start();
    RunSummary summary;
    summary.loadId = LoadId::next();
    Q_EMIT runStarted(summary.loadId, int(m_settings.tables.size()));

    MySqlDialect dialect;
    DbConnection source(m_settings.source);
    DbConnection target(m_settings.target);
    QString connectionError;
    try {
        source.open();
        target.open();
        Bookkeeping(target).ensureTables();
    } catch (const DbError &e) {
        connectionError = e.message();
    }

    SignalProgress progress(*this);
    SyncContext context{source, target, dialect, m_settings, summary.loadId, m_stopRequested, progress};
    for (const TableSpec &spec : std::as_const(m_settings.tables)) {
        if (m_stopRequested.load())
            break;
        TableResult result;
        if (!connectionError.isEmpty()) {
            result.table = spec.table;
            result.strategy = spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs;
            result.outcome = TableOutcome::Failed;
            result.error = connectionError;
        } else {
            Q_EMIT tableSyncStarted(spec.table, spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs);
            result = TableJob(context, spec).run();
        }
        summary.tables << result;
        Q_EMIT tableSyncFinished(result);
    }

    if (connectionError.isEmpty()) {
        try {
            Bookkeeping(target).recordLoad(summary.loadId, summary.allSucceeded() ? 0 : 1);
        } catch (const DbError &e) {
            Q_EMIT tableMessage(QString(), u"could not record the load: "_qs + e.message());
        }
    }
    summary.elapsedMs = timer.elapsed();
    m_running = false;
    Q_EMIT runFinished(summary);
}

} // namespace tablesync
