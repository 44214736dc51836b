#pragma once

#include "config/Settings.h"
#include "db/PoolStats.h"
#include "sync/SyncTypes.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

class QTimer;

namespace tablesync {

class SyncEngine;
class SyncService;

// The desktop app's side of the engine: starts runs (Run now, or every INTERVAL seconds while
// the schedule is not paused), stops them, and passes the engine's queued signals on. The engine
// lives in its own thread (SyncService) with the settings it was made with; when the profile's
// settings change, the next run gets a new engine. A stopped engine is finished for good, so
// Stop also retires it. Pool statistics are sampled every second for the live chart.
// While a verification or repair works on the target (VerifyController), no sync starts: the
// two would write the same rows, and a repair must compare against a target nobody else moves.
class RunController : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Stopping };
    Q_ENUM(State)

    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // What the next run uses. `problem` empty means the settings are valid; otherwise runs are
    // refused and the schedule waits, with `problem` as the reason shown to the user.
    void setSettings(const Settings &settings, const QString &problem);
    QString problem() const { return m_problem; }
    const Settings &settings() const { return m_settings; }

    State state() const { return m_state; }
    bool isRunning() const { return m_state != State::Idle; }
    bool canRun() const { return m_state == State::Idle && m_problem.isEmpty() && !m_verificationRunning; }
    // Starts a run; false (and nothing happens) while one goes on or the settings are invalid.
    bool runNow();
    // Finishes the batches in flight, then stops; runFinished() follows.
    void stop();
    // Stops a run in flight, retires the engine and emits shutDownFinished(); for quitting.
    void shutDown();

    // Holds syncs (Run now and the schedule) while a verification runs; the schedule restarts after it.
    void setVerificationRunning(bool running);
    bool isVerificationRunning() const { return m_verificationRunning; }

    bool isSchedulePaused() const { return m_paused; }
    void setSchedulePaused(bool paused);
    // When the next scheduled run starts; invalid when none is scheduled.
    QDateTime nextRunAt() const;
    QDateTime lastRunStartedAt() const { return m_runStartedAt; }

Q_SIGNALS:
    void stateChanged(tablesync::RunController::State state);
    void scheduleChanged();
    void runStarted(const QString &loadId, const QStringList &tables);
    void tableSyncStarted(const QString &table, const QString &strategy);
    void tableMessage(const QString &table, const QString &message);
    void batchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal);
    void tableSyncFinished(const tablesync::TableResult &result);
    void runFinished(const tablesync::RunSummary &summary);
    // The engine's pool status report (after each run and every POOL_STATUS_INTERVAL).
    void poolStatusReported(const tablesync::PoolStats &source, const tablesync::PoolStats &target);
    // Every second while an engine exists: for the live pool view.
    void poolSampled(const tablesync::PoolStats &source, const tablesync::PoolStats &target);
    void shutDownFinished();
    // A new engine exists (after the first run or a change of settings): for the health server.
    void engineCreated(const tablesync::SyncEngine *engine);

private:
    void setState(State state);
    void ensureService();
    void retireService();
    void onRunFinished(const RunSummary &summary);
    void onEngineStopped();
    void armSchedule();

    Settings m_settings;
    QString m_problem;
    bool m_settingsChanged = true;
    SyncService *m_service = nullptr;
    State m_state = State::Idle;
    bool m_paused = false;
    bool m_shuttingDown = false;
    bool m_verificationRunning = false;
    QTimer *m_scheduleTimer = nullptr;
    QTimer *m_poolTimer = nullptr;
    QDateTime m_runStartedAt;
    QStringList m_runTables;
};

} // namespace tablesync
