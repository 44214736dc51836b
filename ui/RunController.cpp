#include "RunController.h"

#include "sync/SyncEngine.h"
#include "sync/SyncService.h"

#include <QTimer>

namespace tablesync {

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_scheduleTimer(new QTimer(this))
    , m_poolTimer(new QTimer(this))
{
    m_scheduleTimer->setSingleShot(true);
    connect(m_scheduleTimer, &QTimer::timeout, this, &RunController::runNow);
    m_poolTimer->setInterval(1000);
    connect(m_poolTimer, &QTimer::timeout, this, [this] {
        if (m_service)
            Q_EMIT poolSampled(m_service->engine()->sourcePoolStats(), m_service->engine()->targetPoolStats());
    });
    m_poolTimer->start();
}

RunController::~RunController()
{
    // SyncService's destructor stops the engine (after the batch in flight) and joins its threads.
    delete m_service;
}

void RunController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RunController::setSettings(const Settings &settings, const QString &problem)
{
    const bool intervalChanged = settings.intervalSeconds != m_settings.intervalSeconds;
    const bool problemChanged = problem != m_problem;
    m_settings = settings;
    m_problem = problem;
    m_settingsChanged = true;
    if (intervalChanged || problemChanged || !m_scheduleTimer->isActive())
        armSchedule();
}

void RunController::ensureService()
{
    if (m_service && !m_settingsChanged)
        return;
    retireService();
    m_service = new SyncService(m_settings);
    m_settingsChanged = false;
    SyncEngine *engine = m_service->engine();
    Q_EMIT engineCreated(engine);
    // Queued: the engine emits on its own thread, these run on ours.
    connect(engine, &SyncEngine::runStarted, this,
            [this](const QString &loadId, int) { Q_EMIT runStarted(loadId, m_runTables); });
    connect(engine, &SyncEngine::tableSyncStarted, this, &RunController::tableSyncStarted);
    connect(engine, &SyncEngine::tableMessage, this, &RunController::tableMessage);
    connect(engine, &SyncEngine::batchCommitted, this, &RunController::batchCommitted);
    connect(engine, &SyncEngine::tableSyncFinished, this, &RunController::tableSyncFinished);
    connect(engine, &SyncEngine::runFinished, this, &RunController::onRunFinished);
    connect(engine, &SyncEngine::poolStatsChanged, this, &RunController::poolStatusReported);
    connect(engine, &SyncEngine::stopped, this, &RunController::onEngineStopped);
}

void RunController::retireService()
{
    if (!m_service)
        return;
    // Idle or stopped: joining its threads only closes pooled connections.
    SyncService *service = m_service;
    m_service = nullptr;
    QObject::disconnect(service->engine(), nullptr, this, nullptr);
    delete service;
}

bool RunController::runNow()
{
    if (!canRun())
        return false;
    m_scheduleTimer->stop();
    ensureService();
    m_runTables.clear();
    for (const TableSpec &spec : std::as_const(m_settings.tables))
        m_runTables << spec.table;
    m_runStartedAt = QDateTime::currentDateTime();
    setState(State::Running);
    Q_EMIT scheduleChanged();
    m_service->runOnce();
    return true;
}

void RunController::stop()
{
    if (m_state != State::Running || !m_service)
        return;
    setState(State::Stopping);
    m_service->requestStop();
}

void RunController::shutDown()
{
    m_shuttingDown = true;
    m_scheduleTimer->stop();
    if (m_state == State::Running) {
        stop();
        return; // onEngineStopped() finishes the job
    }
    if (m_state == State::Stopping)
        return;
    retireService();
    Q_EMIT shutDownFinished();
}

void RunController::onRunFinished(const RunSummary &summary)
{
    if (m_state == State::Running)
        setState(State::Idle);
    Q_EMIT runFinished(summary);
    armSchedule();
}

void RunController::onEngineStopped()
{
    // After Stop the engine takes no more runs: the next run gets a fresh one.
    retireService();
    m_settingsChanged = true;
    setState(State::Idle);
    if (m_shuttingDown) {
        Q_EMIT shutDownFinished();
        return;
    }
    armSchedule();
}

void RunController::setSchedulePaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    armSchedule();
}

void RunController::setVerificationRunning(bool running)
{
    if (m_verificationRunning == running)
        return;
    m_verificationRunning = running;
    armSchedule(); // emits scheduleChanged(), so Run now follows
}

void RunController::armSchedule()
{
    const bool wanted = !m_paused && !m_shuttingDown && !m_verificationRunning && m_problem.isEmpty() &&
                        m_settings.intervalSeconds > 0 && m_state == State::Idle;
    if (wanted)
        m_scheduleTimer->start(std::chrono::seconds(m_settings.intervalSeconds));
    else
        m_scheduleTimer->stop();
    Q_EMIT scheduleChanged();
}

QDateTime RunController::nextRunAt() const
{
    if (!m_scheduleTimer->isActive())
        return {};
    return QDateTime::currentDateTime().addMSecs(m_scheduleTimer->remainingTime());
}

} // namespace tablesync
