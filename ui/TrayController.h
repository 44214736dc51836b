#pragma once

#include "sync/SyncTypes.h"

#include <QObject>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace tablesync {

class DesktopNotifier;
class RunController;

// The tray icon: idle / running / error / paused at a glance, a menu with Run now, Pause/Resume
// schedule, Open and Quit; and a desktop notification when a table starts failing and when all
// tables sync again (not on every failing run: one message per change). Notifications go to the
// desktop's notification service (DesktopNotifier), with or without a tray; the tray's balloon
// only stands in where no such service runs. Without a system tray the window stays open instead.
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
    DesktopNotifier *m_notifier = nullptr;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    Status m_status = Status::Idle;
    bool m_failing = false;
    QStringList m_failedTables;
    QString m_toolTip;
    QString m_lastNotification;
};

} // namespace tablesync
