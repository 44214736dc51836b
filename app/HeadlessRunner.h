#pragma once

#include "config/Settings.h"
#include "sync/SyncTypes.h"

#include <QObject>
#include <QTextStream>

namespace tablesync {

class SyncService;

// The headless front end: runs the engine on its schedule, prints readable log lines for
// what it does, stops cleanly on SIGTERM/SIGINT and decides the exit status.
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessRunner(const Settings &settings, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    void start();
    void stop(int signalNumber);
    // 0: no table of the last run failed (stopped syncs did not); 1: one failed, or a verification
    // was stopped before the end; 3: --verify found differences that remain.
    int exitStatus() const { return m_exitStatus; }

Q_SIGNALS:
    void finished(int exitStatus);

private:
    void log(const QString &line);
    void logVerification(const TableResult &result);
    void onRunFinished(const RunSummary &summary);

    SyncService *m_service = nullptr;
    QTextStream m_out;
    int m_exitStatus = 0;
    int m_tableCount = 0;
    bool m_planOnly = false; // --plan: tables are planned, nothing is synced
    Settings::RunMode m_runMode = Settings::RunMode::Sync;
    qint64 m_intervalSeconds = 0;
    bool m_loginRefused = false; // the last run ended with a refused login (the engine backs off)
};

} // namespace tablesync
