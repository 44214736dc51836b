#pragma once

#include "config/Settings.h"
#include "db/PoolStats.h"
#include "sync/Bookkeeping.h"
#include "sync/RunOutlook.h"
#include "sync/SyncTypes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace tablesync {

class ConnectionPool;
class MySqlDialect;
class SyncWorker;
class ThreadConnection;

// Runs syncs. Lives in its own thread (see SyncService) and hands tables to SYNC_WORKERS worker
// threads, each with its own connections from the two pools, so one huge table does not hold up
// the small ones. Everything it does is reported through queued signals, which the headless log,
// the GUI and the health server consume. Stop is a flag checked between batches: the batch in
// flight is committed or rolled back, never left half-written.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    explicit SyncEngine(Settings settings, QObject *parent = nullptr);
    ~SyncEngine() override;

    // Thread-safe. Finishes the batches in flight, then stops; emits stopped().
    void requestStop();
    bool isStopRequested() const { return m_stopRequested.load(); }
    // Thread-safe snapshots.
    PoolStats sourcePoolStats() const;
    PoolStats targetPoolStats() const;
    int workerCount() const { return m_workerCount; }

public Q_SLOTS:
    // One pass over every table; returns at once, runFinished() follows. Ignored while a run goes on.
    void runOnce();
    // Runs now and then every INTERVAL seconds until requestStop(); INTERVAL 0 means once.
    void startSchedule();

Q_SIGNALS:
    void runStarted(const QString &loadId, int tableCount);
    void tableSyncStarted(const QString &table, const QString &strategy);
    void tableMessage(const QString &table, const QString &message);
    void batchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal);
    void tableSyncFinished(const tablesync::TableResult &result);
    void runFinished(const tablesync::RunSummary &summary);
    void nextRunScheduled(qint64 secondsFromNow);
    // Periodically and at the end of each run: both pools' statistics.
    void poolStatsChanged(const tablesync::PoolStats &source, const tablesync::PoolStats &target);
    // The engine has stopped for good (after requestStop(), or after a single run with INTERVAL 0).
    void stopped();

private:
    struct Worker
    {
        QThread *thread = nullptr;
        SyncWorker *worker = nullptr;
        bool busy = false;
        int tableIndex = -1; // position in the run's table list of the table it works on
    };

    void startWorkers();
    void stopWorkers();
    void dispatch();
    void onTableSyncFinished(int workerIndex, const TableResult &result);
    void noticeHorizon(const TableResult &result);
    void finishRun();
    void noticeConfigurationProblems();
    qint64 secondsUntilNextRun() const;
    void recordLoad();
    void publishPoolStats();

    Settings m_settings;
    std::unique_ptr<MySqlDialect> m_dialect;
    std::unique_ptr<ConnectionPool> m_sourcePool;
    std::unique_ptr<ConnectionPool> m_targetPool;
    std::unique_ptr<ThreadConnection> m_bookkeepingConnection; // the engine thread's own target connection
    int m_workerCount = 1;
    int m_copyWriters = 0;
    QList<Worker> m_workers;
    std::atomic_bool m_stopRequested{false};
    BookkeepingOnce m_bookkeeping; // the bookkeeping tables, made sure of once per run
    RunOutlook m_outlook;          // every table's state and definitions, read once per run

    bool m_running = false;
    bool m_scheduled = false;
    bool m_noticedNoProcess = false; // this run has said the source lacks PROCESS
    bool m_noticedStaleList = false; // this run has said the transaction list stayed stale
    bool m_noticedHolder = false;    // this run has named a long transaction
    int m_refusedRuns = 0;           // consecutive runs in which a server refused the login
    RunSummary m_summary;
    QList<TableSpec> m_queue;
    int m_dispatched = 0;                        // tables handed to workers this run
    QList<std::optional<TableResult>> m_results; // by position in the table list, for a summary in config order
    QElapsedTimer m_runTimer;
    QTimer *m_scheduleTimer = nullptr;
    QTimer *m_poolStatusTimer = nullptr;
};

} // namespace tablesync
