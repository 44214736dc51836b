#pragma once

#include "config/Settings.h"
#include "db/ThreadConnection.h"
#include "sync/Bookkeeping.h"
#include "sync/SyncTypes.h"
#include "sync/TableJob.h"

#include <QObject>

#include <atomic>

namespace tablesync {

class ConnectionPool;
class RunOutlook;
class SqlDialect;

// Syncs one table at a time on its own thread, with one connection per server from the pools.
// Transient errors (lost connection, deadlock, a restarted server) are retried with backoff; each
// attempt resumes from the last committed batch, because the cursor is committed with the rows.
class SyncWorker : public QObject, private SyncProgress
{
    Q_OBJECT
public:
    SyncWorker(const Settings &settings, ConnectionPool &sourcePool, ConnectionPool &targetPool,
               const SqlDialect &dialect, const std::atomic_bool &stopRequested, int copyWriters,
               BookkeepingOnce &bookkeeping, RunOutlook &outlook);
    ~SyncWorker() override;

    // Runs on the worker's thread; emits tableSyncFinished when done.
    void runTable(const TableSpec &spec, const QString &loadId);
    // Closes this thread's connections; call on the worker's thread before it ends.
    void closeConnections();

Q_SIGNALS:
    void tableSyncStarted(const QString &table, const QString &strategy);
    void tableMessage(const QString &table, const QString &message);
    void batchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal);
    void tableSyncFinished(const tablesync::TableResult &result);

private:
    TableResult attempt(const TableSpec &spec, const QString &loadId);
    // Sleeps up to `duration`, waking early when a stop is requested. Returns false if stopped.
    bool pause(std::chrono::milliseconds duration);

    void onTableMessage(const QString &table, const QString &message) override;
    void onBatchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal) override;

    const Settings &m_settings;
    ConnectionPool &m_targetPool;
    int m_copyWriters; // writer threads a large copy may add (each takes a target connection)
    const SqlDialect &m_dialect;
    const std::atomic_bool &m_stopRequested;
    BookkeepingOnce &m_bookkeeping;
    RunOutlook &m_outlook;
    ThreadConnection m_source;
    ThreadConnection m_target;
};

} // namespace tablesync
