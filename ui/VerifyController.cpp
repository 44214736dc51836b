#include "VerifyController.h"

#include "RunController.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"

namespace tablesync {

VerifyController::VerifyController(RunController *runs, QObject *parent)
    : QObject(parent)
    , m_runs(runs)
{}

VerifyController::~VerifyController()
{
    // SyncService's destructor lets the tables in flight finish and joins the engine's threads.
    retireService();
}

void VerifyController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    // Syncs wait for us (and we for them): they would move the rows being compared.
    m_runs->setVerificationRunning(state != State::Idle);
    Q_EMIT stateChanged(state);
}

QString VerifyController::whyNot() const
{
    if (isRunning())
        return tr("a verification is running");
    if (m_runs->isRunning())
        return tr("a sync is running");
    if (!m_runs->problem().isEmpty())
        return m_runs->problem();
    if (m_runs->settings().tables.isEmpty())
        return tr("no tables are configured");
    return {};
}

bool VerifyController::start(Mode mode, const QStringList &tables)
{
    if (!canStart())
        return false;
    Settings settings = m_runs->settings();
    settings.runMode = mode == Mode::Repair ? Settings::RunMode::Repair : Settings::RunMode::Verify;
    if (!tables.isEmpty()) {
        QList<TableSpec> chosen;
        for (const TableSpec &spec : std::as_const(settings.tables)) {
            if (tables.contains(spec.table, Qt::CaseInsensitive))
                chosen << spec;
        }
        settings.tables = chosen;
    }
    if (settings.tables.isEmpty())
        return false;
    QStringList names;
    for (const TableSpec &spec : std::as_const(settings.tables))
        names << spec.table;

    retireService();
    m_mode = mode;
    const quint64 job = ++m_job;
    m_service = new SyncService(settings);
    SyncEngine *engine = m_service->engine();
    // Queued: the engine emits on its own thread. The job id drops what a retired engine still sent.
    connect(engine, &SyncEngine::tableSyncStarted, this, [this, job](const QString &table) {
        if (job == m_job)
            Q_EMIT tableVerificationStarted(table);
    });
    connect(engine, &SyncEngine::batchCommitted, this,
            [this, job](const QString &table, qint64, qint64 soFar, qint64 estimate) {
                if (job == m_job)
                    Q_EMIT rowsCompared(table, soFar, estimate);
            });
    connect(engine, &SyncEngine::tableMessage, this, [this, job](const QString &table, const QString &message) {
        if (job == m_job)
            Q_EMIT tableMessage(table, message);
    });
    connect(engine, &SyncEngine::tableSyncFinished, this, [this, job](const TableResult &result) {
        if (job == m_job)
            Q_EMIT tableVerified(result);
    });
    connect(engine, &SyncEngine::runFinished, this, [this, job](const RunSummary &summary) {
        if (job == m_job)
            onFinished(summary);
    });
    setState(State::Running);
    Q_EMIT verificationStarted(mode, names);
    m_service->runOnce();
    return true;
}

void VerifyController::stop()
{
    if (m_state != State::Running || !m_service)
        return;
    setState(State::Stopping);
    m_service->requestStop();
}

void VerifyController::onFinished(const RunSummary &summary)
{
    // Its pooled connections are closed now rather than held until the next verification.
    retireService();
    setState(State::Idle);
    Q_EMIT verificationFinished(m_mode, summary);
}

void VerifyController::retireService()
{
    if (!m_service)
        return;
    SyncService *service = m_service;
    m_service = nullptr;
    ++m_job;
    QObject::disconnect(service->engine(), nullptr, this, nullptr);
    delete service;
}

} // namespace tablesync
