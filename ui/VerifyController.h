#pragma once

#include "sync/SyncTypes.h"

#include <QObject>
#include <QStringList>

namespace tablesync {

class EngineJob;
class RunController;

// The desktop app's --verify and --repair: compares source and target (and, for a repair,
// rewrites the rows that differ) on an engine of its own in its own thread, so the window never
// waits for a server (EngineJob). It uses the settings of the RunController and takes turns with
// it: it starts only when no sync runs, and holds syncs back while it works.
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

    RunController *m_runs = nullptr;
    EngineJob *m_job = nullptr;
    State m_state = State::Idle;
    Mode m_mode = Mode::Verify;
};

} // namespace tablesync
