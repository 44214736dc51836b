#include "sync/SyncService.h"

#include "sync/SyncEngine.h"

namespace tablesync {

SyncService::SyncService(Settings settings, QObject *parent)
    : QObject(parent)
    , m_engine(new SyncEngine(std::move(settings)))
{
    m_thread.setObjectName(u"sync-engine"_qs);
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

SyncService::~SyncService()
{
    m_engine->requestStop();
    m_thread.quit();
    m_thread.wait();
}

void SyncService::startSchedule()
{
    QMetaObject::invokeMethod(m_engine, &SyncEngine::startSchedule, Qt::QueuedConnection);
}

void SyncService::runOnce()
{
    QMetaObject::invokeMethod(m_engine, &SyncEngine::runOnce, Qt::QueuedConnection);
}

void SyncService::requestStop()
{
    m_engine->requestStop();
}

} // namespace tablesync
