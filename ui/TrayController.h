#pragma once

#include "sync/SyncTypes.h"

#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace tablesync {

class RunController;

// The tray icon: idle / running / error / paused at a glance, a menu with Run now, Pause/Resume
// schedule, Open and Quit, and a notification when a table starts failing and when all tables
// sync again (not on every failing run: one message per change). Without a system tray it does
// nothing visible, and the window stays open instead.
class TrayController : public QObject
{
    Q_OBJECT
public:
    enum class Status { Idle, Running, Error, Paused };

    TrayController(RunController *controller, QAction *runNow, QAction *pauseSchedule, QAction *open, QAction *quit,
                   QObject *parent = nullptr);

    bool isAvailable() const { return m_icon != nullptr; }
    Status status() const { return m_status; }
    QString toolTip() const { return m_toolTip; }
    // The last notification raised (title and text), for tests and the status bar.
    QString lastNotification() const { return m_lastNotification; }
    void notify(const QString &title, const QString &text, bool critical = false);

Q_SIGNALS:
    void activated();
    void statusChanged(tablesync::TrayController::Status status);

private:
    void update();
    void onRunFinished(const RunSummary &summary);

    RunController *m_controller = nullptr;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    Status m_status = Status::Idle;
    bool m_failing = false;
    QStringList m_failedTables;
    QString m_toolTip;
    QString m_lastNotification;
};

} // namespace tablesync
