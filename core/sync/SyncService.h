#pragma once

#include "config/Settings.h"

#include <QObject>
#include <QThread>

namespace tablesync {

class SyncEngine;

// Owns the engine's thread: creates the engine, moves it there, starts it and shuts it down.
// Front ends (headless runner, GUI) talk to engine() through its signals and requestStop().
class SyncService : public QObject
{
    Q_OBJECT
public:
    explicit SyncService(Settings settings, QObject *parent = nullptr);
    ~SyncService() override;

    SyncEngine *engine() const { return m_engine; }

    void startSchedule(); // runs now, then every INTERVAL seconds
    void runOnce();       // one pass, whatever INTERVAL says
    void requestStop();

private:
    QThread m_thread;
    SyncEngine *m_engine = nullptr;
};

} // namespace tablesync
