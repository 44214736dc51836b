#pragma once

#include "config/Settings.h"
#include "db/PoolStats.h"
#include "sync/SyncTypes.h"

#include <QObject>
#include <QStringList>

#include <atomic>

class QTimer;

namespace tablesync {

// Runs syncs. Lives in its own thread (see SyncService), opens its own source and target
// connections there, and reports everything it does through queued signals, which the headless
// log, the GUI and the health server consume. Stop is a flag checked between batches: the batch
// in flight is committed or rolled back, never left half-written.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    // `onlyTables`: when not empty, only these tables of the settings are synced.
    explicit SyncEngine(Settings settings, QObject *parent = nullptr);

    // Thread-safe. Finishes the batch in flight, then stops; emits stopped().
    void requestStop();
    bool isStopRequested() const { return m_stopRequested.load(); }

public Q_SLOTS:
    // One pass over every table, then runFinished().
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
    void scheduledRun();

    Settings m_settings;
    std::atomic_bool m_stopRequested{false};
    bool m_running = false;
    QTimer *m_timer = nullptr;
};

} // namespace tablesync
