#include "db/DbTaskRunner.h"

#include "db/TableDiscovery.h"

namespace tablesync {

DbTaskRunner::DbTaskRunner(QObject *parent)
    : QObject(parent)
{
    // Source and target tested at once plus a discovery; more would only queue behind a dead host.
    m_pool.setMaxThreadCount(3);
    // Each job's connection is removed when the job ends; an idle thread has nothing to keep.
    m_pool.setExpiryTimeout(5000);
}

DbTaskRunner::~DbTaskRunner()
{
    m_pool.waitForDone();
}

void DbTaskRunner::jobStarted()
{
    ++m_active;
    Q_EMIT activeJobsChanged(m_active);
}

void DbTaskRunner::jobFinished()
{
    --m_active;
    Q_EMIT activeJobsChanged(m_active);
}

int DbTaskRunner::testConnection(const ConnectionSettings &settings)
{
    const int id = m_nextJobId++;
    jobStarted();
    // `this` outlives the job: the destructor waits for the pool. The answer is queued to this
    // object's thread and dropped with the object if it is destroyed first.
    m_pool.start([this, id, settings] {
        ConnectionProbeResult result = ConnectionProbe::run(settings);
        QMetaObject::invokeMethod(this, [this, id, result] {
            jobFinished();
            Q_EMIT connectionTested(id, result);
        });
    });
    return id;
}

int DbTaskRunner::discoverTables(const ConnectionSettings &settings)
{
    const int id = m_nextJobId++;
    jobStarted();
    m_pool.start([this, id, settings] {
        DiscoveryResult result = TableDiscovery::run(settings);
        QMetaObject::invokeMethod(this, [this, id, result] {
            jobFinished();
            Q_EMIT tablesDiscovered(id, result);
        });
    });
    return id;
}

} // namespace tablesync
