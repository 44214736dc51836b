#include "EngineJob.h"

#include "sync/SyncEngine.h"
#include "sync/SyncService.h"

namespace tablesync {

EngineJob::EngineJob(QObject *parent)
    : QObject(parent)
{}

EngineJob::~EngineJob()
{
    retire();
}

void EngineJob::start(const Settings &settings)
{
    retire();
    const quint64 job = ++m_job;
    m_service = new SyncService(settings);
    SyncEngine *engine = m_service->engine();
    // Queued: the engine emits on its own thread. The job id drops what a retired engine still sent.
    connect(engine, &SyncEngine::tableSyncStarted, this, [this, job](const QString &table) {
        if (job == m_job)
            Q_EMIT tableStarted(table);
    });
    connect(engine, &SyncEngine::batchCommitted, this,
            [this, job](const QString &table, qint64, qint64 soFar, qint64 estimate) {
                if (job == m_job)
                    Q_EMIT progress(table, soFar, estimate);
            });
    connect(engine, &SyncEngine::tableMessage, this, [this, job](const QString &table, const QString &message) {
        if (job == m_job)
            Q_EMIT tableMessage(table, message);
    });
    connect(engine, &SyncEngine::tableSyncFinished, this, [this, job](const TableResult &result) {
        if (job == m_job)
            Q_EMIT tableFinished(result);
    });
    connect(engine, &SyncEngine::runFinished, this, [this, job](const RunSummary &summary) {
        if (job != m_job)
            return;
        // Its pooled connections are closed now rather than held until the next job.
        retire();
        Q_EMIT finished(summary);
    });
    m_service->runOnce();
}

void EngineJob::requestStop()
{
    if (m_service)
        m_service->requestStop();
}

void EngineJob::retire()
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
