#pragma once

#include "config/Settings.h"
#include "sync/SyncTypes.h"

#include <QObject>

namespace tablesync {

class SyncService;

// One pass of an engine of its own, in its own thread, for the window's one-off work (verify,
// repair, the plan of the next run): the window never waits for a server. Each start() gets a
// fresh engine; what an engine that is no longer current still sends is dropped by job id, and
// retiring one lets its tables in flight finish and joins its threads.
class EngineJob : public QObject
{
    Q_OBJECT
public:
    explicit EngineJob(QObject *parent = nullptr);
    ~EngineJob() override;

    // Runs one pass over `settings.tables` in `settings.runMode`; a job still running is retired.
    void start(const Settings &settings);
    // The tables in flight finish, no other table starts; finished() follows.
    void requestStop();
    bool isRunning() const { return m_service != nullptr; }
    // Drops the engine now (its pooled connections too); nothing more is signalled for it.
    void retire();

Q_SIGNALS:
    void tableStarted(const QString &table);
    void progress(const QString &table, qint64 rowsSoFar, qint64 estimatedTotal);
    void tableMessage(const QString &table, const QString &message);
    void tableFinished(const tablesync::TableResult &result);
    void finished(const tablesync::RunSummary &summary);

private:
    SyncService *m_service = nullptr;
    quint64 m_job = 0; // the current engine's; answers carrying another are stale
};

} // namespace tablesync
