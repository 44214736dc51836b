#pragma once

#include <QObject>
#include <QString>

namespace tablesync {

// Desktop notifications through the freedesktop.org notification service
// (org.freedesktop.Notifications on the session bus: GNOME Shell, KDE Plasma, dunst, mako,
// xfce4-notifyd, ...), which shows them whether or not there is a system tray. Calls are
// asynchronous; when no service answers, failed() tells the caller to fall back (the tray's
// balloon). A new notification replaces the previous one, so "synced again" takes the place of
// the failure it ends instead of piling up.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Urgency : uchar { Low = 0, Normal = 1, Critical = 2 };

    explicit DesktopNotifier(QObject *parent = nullptr);

    void notify(const QString &title, const QString &body, Urgency urgency);

Q_SIGNALS:
    // The user clicked a notification of ours.
    void activated();
    // No notification service took it (none on the bus, or it refused): `title` and `body` as given.
    void failed(const QString &title, const QString &body, tablesync::DesktopNotifier::Urgency urgency);

private:
    void onActionInvoked(uint id, const QString &action);

    uint m_lastId = 0;
};

} // namespace tablesync
