#pragma once

#include "sync/SyncTypes.h"

#include <QObject>
#include <QStringList>

namespace tablesync {

class RunController;
class SyncService;

// The desktop app's --verify and --repair: compares source and target (and, for a repair,
// rewrites the rows that differ) on an engine of its own in its own thread, so the window never
// waits for a server. It uses the settings of the RunController and takes turns with it: it
// starts only when no sync runs, and holds syncs back while it works. Each verification gets a
// fresh engine with the chosen tables and mode, retired when it has finished; answers of an
// engine that is no longer current are dropped by job id.
class VerifyController : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Verify, Repair };
    Q_ENUM(Mode)
    enum class State { Idle, Running, Stopping };
    Q_ENUM(State)

    explicit VerifyController(RunController *runs, QObject *parent = nullptr);
    ~VerifyController() override;

    State state() const { return m_state; }
    bool isRunning() const { return m_state != State::Idle; }
    Mode mode() const { return m_mode; }
    // Why start() would refuse now; empty when it would not.
    QString whyNot() const;
    bool canStart() const { return whyNot().isEmpty(); }

    // Verifies (or repairs) `tables`, in the configured order; empty means every configured table.
    // False, and nothing happens, when canStart() is false or none of `tables` is configured.
    bool start(Mode mode, const QStringList &tables = {});
    // The tables in flight finish, no other table starts; verificationFinished() follows.
    void stop();

Q_SIGNALS:
    void stateChanged(tablesync::VerifyController::State state);
    void verificationStarted(tablesync::VerifyController::Mode mode, const QStringList &tables);
    void tableVerificationStarted(const QString &table);
    void rowsCompared(const QString &table, qint64 rowsSoFar, qint64 estimatedTotal);
    void tableMessage(const QString &table, const QString &message);
    void tableVerified(const tablesync::TableResult &result);
    void verificationFinished(tablesync::VerifyController::Mode mode, const tablesync::RunSummary &summary);

private:
    void setState(State state);
    void onFinished(const RunSummary &summary);
    void retireService();

    RunController *m_runs = nullptr;
    SyncService *m_service = nullptr;
    State m_state = State::Idle;
    Mode m_mode = Mode::Verify;
    quint64 m_job = 0; // the current engine's; answers carrying another are stale
};

} // namespace tablesync
