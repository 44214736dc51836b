#include "VerifyController.h"

#include "EngineJob.h"
#include "RunController.h"

namespace tablesync {

VerifyController::VerifyController(RunController *runs, QObject *parent)
    : QObject(parent)
    , m_runs(runs)
    , m_job(new EngineJob(this))
{
    connect(m_job, &EngineJob::tableStarted, this, &VerifyController::tableVerificationStarted);
    connect(m_job, &EngineJob::progress, this, &VerifyController::rowsCompared);
    connect(m_job, &EngineJob::tableMessage, this, &VerifyController::tableMessage);
    connect(m_job, &EngineJob::tableFinished, this, &VerifyController::tableVerified);
    connect(m_job, &EngineJob::finished, this, &VerifyController::onFinished);
}

VerifyController::~VerifyController() = default;

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

    m_mode = mode;
    setState(State::Running);
    Q_EMIT verificationStarted(mode, names);
    m_job->start(settings);
    return true;
}

void VerifyController::stop()
{
    if (m_state != State::Running || !m_job->isRunning())
        return;
    setState(State::Stopping);
    m_job->requestStop();
}

void VerifyController::onFinished(const RunSummary &summary)
{
    setState(State::Idle);
    Q_EMIT verificationFinished(m_mode, summary);
}

} // namespace tablesync
