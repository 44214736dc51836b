#pragma once

#include "config/Settings.h"
#include "db/ConnectionProbe.h"
#include "db/DiscoveredTable.h"

#include <QObject>
#include <QThreadPool>

namespace tablesync {

// Runs short database chores for a front end (Test connection, Discover tables) on threads of
// its own, so the caller's thread never blocks on a slow or dead server. Each job opens its own
// connection, uses it and removes it on the one pool thread that runs it (QtSql's rule); results
// come back as signals on the runner's thread, tagged with the job id the call returned, so a
// caller can drop answers that are no longer wanted.
class DbTaskRunner : public QObject
{
    Q_OBJECT
public:
    explicit DbTaskRunner(QObject *parent = nullptr);
    // Waits for jobs in flight: each is bounded by the connection's timeouts.
    ~DbTaskRunner() override;

    int testConnection(const ConnectionSettings &settings);
    int discoverTables(const ConnectionSettings &settings);
    int activeJobs() const { return m_active; }

Q_SIGNALS:
    void connectionTested(int jobId, const tablesync::ConnectionProbeResult &result);
    void tablesDiscovered(int jobId, const tablesync::DiscoveryResult &result);
    void activeJobsChanged(int count);

private:
    void jobStarted();
    void jobFinished();

    QThreadPool m_pool;
    int m_nextJobId = 1;
    int m_active = 0;
};

} // namespace tablesync
