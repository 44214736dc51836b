#pragma once

#include "config/Settings.h"
#include "db/PoolStats.h"
#include "sync/SyncTypes.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace tablesync {

class SyncEngine;

enum class EngineState { Starting, Running, Idle, Stopped };
// Never run: not yet synced by this process. Queued: waiting its turn in the current run.
enum class TableState { NeverRun, Queued, Running, Succeeded, Failed, Stopped };

QString engineStateName(EngineState state);
QString tableStateName(TableState state);

// What the health server knows about one table: the current run's progress and what the
// runs of this process did.
struct TableStatus
{
    QString name;
    QString strategy; // "incremental" or "full refresh"
    TableState state = TableState::NeverRun;
    TableState lastOutcome = TableState::NeverRun; // Succeeded, Failed or Stopped once run

    // The current (or, between runs, the last) run of this table.
    qint64 rowsThisRun = 0;     // read from the source and committed to the target
    qint64 estimatedTotal = -1; // the engine's estimate of the rows this run will copy; -1 unknown
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 elapsedMs = 0; // final once finished, else up to the last committed batch
    QString lastMessage;

    QDateTime lastSuccessAt;
    int attempts = 0; // of the last run: 1 + retries after transient errors
    QString lastError;
    int lastErrorCode = 0; // the server's error number, when there was one
    QDateTime lastErrorAt;
    QString cursor; // incremental: the stored cursor after the last run
    int consecutiveFailures = 0;
    qint64 rowsRecheckedThisRun = 0; // read again and found unchanged (the re-read window)

    // Incremental: the source's open transactions, as the last run saw them (SafeCursor.h).
    HorizonView horizon;
    QDateTime sourceSnapshotAt; // the source as of this moment is in the target

    // Since the process started.
    qint64 rowsWrittenTotal = 0;
    qint64 rowsRecheckedTotal = 0;
    qint64 succeededRuns = 0;
    qint64 failedRuns = 0;
    qint64 stoppedRuns = 0;
    qint64 retriesTotal = 0;
};

struct RunRecord
{
    QString loadId;
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;
    int tables = 0;
    int failedTables = 0;
    qint64 rowsWritten = 0;
};

struct ErrorRecord
{
    QDateTime at;
    QString table; // empty: the engine itself
    QString message;
};

struct HealthVerdict
{
    bool healthy = true;
    QStringList reasons; // why not, one sentence each
};

// The health server's picture of the engine, built from the engine's signals. It lives in the
// health server's thread (the main thread) and is connected to the engine by queued connections
// only, so the sync never waits for an HTTP client and HTTP clients never touch the engine: they
// read this, which changes only in this thread between two requests.
class StatusBoard : public QObject
{
    Q_OBJECT
public:
    // /healthz turns 503 when a table failed this many runs in a row.
    static constexpr int kFailedRunsUnhealthy = 3;
    // ...or when no run finished for this many intervals (and nothing was committed meanwhile),
    // but never sooner than kMinStaleSeconds.
    static constexpr int kStaleIntervals = 3;
    static constexpr int kMinStaleSeconds = 60;
    static constexpr int kRecentErrors = 20;

    explicit StatusBoard(const Settings &settings, QObject *parent = nullptr);

    // Follows `engine` through queued connections; the engine may live in any thread.
    void attach(const SyncEngine *engine);

    // Tests run the clock.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock(); }

    EngineState engineState() const { return m_engineState; }
    QDateTime startedAt() const { return m_startedAt; }
    int intervalSeconds() const { return m_intervalSeconds; }
    QString sourceName() const { return m_sourceName; }
    QString targetName() const { return m_targetName; }
    const QList<TableStatus> &tables() const { return m_tables; }
    std::optional<RunRecord> currentRun() const { return m_currentRun; }
    std::optional<RunRecord> lastRun() const { return m_lastRun; }
    QDateTime nextRunAt() const { return m_nextRunAt; }
    QDateTime lastProgressAt() const { return m_lastProgressAt; }
    qint64 runsCompleted() const { return m_runsCompleted; }
    qint64 runsWithFailures() const { return m_runsWithFailures; }
    const QList<ErrorRecord> &recentErrors() const { return m_recentErrors; }
    std::optional<PoolStats> sourcePool() const { return m_sourcePool; }
    std::optional<PoolStats> targetPool() const { return m_targetPool; }
    QDateTime poolsUpdatedAt() const { return m_poolsUpdatedAt; }

    HealthVerdict health(const QDateTime &now) const;

    // The engine's signals, in the same shapes. Tests drive the board through these directly.
    void onRunStarted(const QString &loadId, int tableCount);
    void onTableSyncStarted(const QString &table, const QString &strategy);
    void onTableMessage(const QString &table, const QString &message);
    void onBatchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal);
    void onTableSyncFinished(const TableResult &result);
    void onRunFinished(const RunSummary &summary);
    void onNextRunScheduled(qint64 secondsFromNow);
    void onPoolStatsChanged(const PoolStats &source, const PoolStats &target);
    void onStopped();

Q_SIGNALS:
    // Something changed (for tests and for anything that wants to push updates).
    void changed();

private:
    TableStatus &table(const QString &name);
    QString redacted(QString text) const;
    void recordError(const QString &table, const QString &message);

    std::function<QDateTime()> m_clock;
    QStringList m_secrets;
    int m_intervalSeconds = 0;
    QString m_sourceName;
    QString m_targetName;
    QDateTime m_startedAt;
    EngineState m_engineState = EngineState::Starting;
    QList<TableStatus> m_tables;
    std::optional<RunRecord> m_currentRun;
    std::optional<RunRecord> m_lastRun;
    QDateTime m_nextRunAt;
    QDateTime m_lastProgressAt;
    qint64 m_runsCompleted = 0;
    qint64 m_runsWithFailures = 0;
    QList<ErrorRecord> m_recentErrors; // newest first
    std::optional<PoolStats> m_sourcePool;
    std::optional<PoolStats> m_targetPool;
    QDateTime m_poolsUpdatedAt;
};

} // namespace tablesync
