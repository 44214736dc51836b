#include "TrayController.h"

#include "DesktopNotifier.h"
#include "Icons.h"
#include "Plural.h"
#include "RunController.h"

#include <QAction>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>

namespace tablesync {

TrayController::TrayController(RunController *controller, QAction *runNow, QAction *pauseSchedule, QAction *open,
                               QAction *quit, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_notifier(new DesktopNotifier(this))
{
    connect(m_notifier, &DesktopNotifier::activated, this, &TrayController::activated);
    connect(m_notifier, &DesktopNotifier::failed, this,
            [this](const QString &title, const QString &text, DesktopNotifier::Urgency urgency) {
                if (m_icon)
                    m_icon->showMessage(title, text,
                                        urgency == DesktopNotifier::Urgency::Critical ? QSystemTrayIcon::Critical
                                                                                      : QSystemTrayIcon::Information,
                                        8000);
            });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_menu = new QMenu;
        m_menu->addAction(open);
        m_menu->addSeparator();
        m_menu->addAction(runNow);
        m_menu->addAction(pauseSchedule);
        m_menu->addSeparator();
        m_menu->addAction(quit);
        m_icon = new QSystemTrayIcon(this);
        m_icon->setContextMenu(m_menu);
        connect(this, &QObject::destroyed, m_menu, &QObject::deleteLater);
        connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT activated();
        });
        connect(m_icon, &QSystemTrayIcon::messageClicked, this, &TrayController::activated);
    }
    connect(m_controller, &RunController::stateChanged, this, &TrayController::update);
    connect(m_controller, &RunController::scheduleChanged, this, &TrayController::update);
    connect(m_controller, &RunController::runFinished, this, &TrayController::onRunFinished);
    update();
    if (m_icon)
        m_icon->show();
}

void TrayController::notify(const QString &title, const QString &text, bool critical)
{
    m_lastNotification = title + u": "_qs + text;
    m_notifier->notify(title, text, critical ? DesktopNotifier::Urgency::Critical : DesktopNotifier::Urgency::Normal);
}

void TrayController::onRunFinished(const RunSummary &summary)
{
    QStringList failed;
    QString firstError;
    for (const TableResult &t : summary.tables) {
        if (t.outcome == TableOutcome::Failed) {
            failed << t.table;
            if (firstError.isEmpty())
                firstError = t.error;
        }
    }
    if (!failed.isEmpty() && failed != m_failedTables && !summary.refusedLogin.isEmpty()) {
        // One cause for every table: say it, not the list of tables it failed.
        notify(tr("tablesync: login refused"), summary.refusedLogin, true);
    } else if (!failed.isEmpty() && failed != m_failedTables) {
        notify(plural(failed.size(), tr("tablesync: %1 table failed"), tr("tablesync: %1 tables failed")),
               failed.join(u", "_qs) + u"\n"_qs + firstError.left(200), true);
    } else if (failed.isEmpty() && m_failing) {
        notify(tr("tablesync: synced again"), tr("Every table synced; the failure is over."));
    }
    m_failing = !failed.isEmpty();
    m_failedTables = failed;
    update();
}

void TrayController::update()
{
    Status status = Status::Idle;
    if (m_controller->isRunning())
        status = Status::Running;
    else if (m_failing)
        status = Status::Error;
    else if (m_controller->isSchedulePaused() || !m_controller->problem().isEmpty())
        status = Status::Paused;

    QString tip;
    switch (status) {
    case Status::Running:
        tip = tr("tablesync: syncing");
        break;
    case Status::Error:
        tip = tr("tablesync: failing (%1)").arg(m_failedTables.join(u", "_qs));
        break;
    case Status::Paused:
        tip = m_controller->problem().isEmpty() ? tr("tablesync: schedule paused")
                                                : tr("tablesync: cannot sync: %1").arg(m_controller->problem());
        break;
    case Status::Idle:
        tip = tr("tablesync: idle");
        break;
    }
    const QDateTime next = m_controller->nextRunAt();
    if (next.isValid() && status != Status::Running)
        tip += u"\n"_qs + tr("next run at %1").arg(QLocale().toString(next.time(), QLocale::ShortFormat));
    m_toolTip = tip;
    if (m_icon) {
        static const char16_t *const icons[] = {u"tray-idle", u"tray-running", u"tray-error", u"tray-paused"};
        m_icon->setIcon(Icons::get(QString::fromUtf16(icons[int(status)])));
        m_icon->setToolTip(tip);
    }
    if (status != m_status) {
        m_status = status;
        Q_EMIT statusChanged(status);
    }
}

} // namespace tablesync
