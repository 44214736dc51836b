#include "DesktopNotifier.h"

#include <QDBusAbstractInterface>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace tablesync {

namespace {
const QString kService = u"org.freedesktop.Notifications"_qs;
const QString kPath = u"/org/freedesktop/Notifications"_qs;
const QString kInterface = u"org.freedesktop.Notifications"_qs;
} // namespace

// The service's ActionInvoked signal as a declared Qt signal, so that it is connected type-checked:
// QDBusAbstractInterface relays a D-Bus signal to the Qt signal of the same name and arguments.
class NotificationsInterface : public QDBusAbstractInterface
{
    Q_OBJECT
public:
    explicit NotificationsInterface(QObject *parent)
        : QDBusAbstractInterface(kService, kPath, kInterface.toLatin1().constData(), QDBusConnection::sessionBus(),
                                 parent)
    {}

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &action);
};

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
    auto *service = new NotificationsInterface(this);
    connect(service, &NotificationsInterface::ActionInvoked, this, &DesktopNotifier::onActionInvoked);
}

void DesktopNotifier::notify(const QString &title, const QString &body, Urgency urgency)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        Q_EMIT failed(title, body, urgency);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, u"Notify"_qs);
    const QVariantMap hints{
        {u"urgency"_qs, QVariant::fromValue(uchar(urgency))}, // the specification's type is a byte
        {u"desktop-entry"_qs, u"tablesync"_qs},               // lets the desktop find the app's icon and name
    };
    // "default" is the action of a click on the notification itself: it opens the window.
    call << u"tablesync"_qs << m_lastId << u"tablesync"_qs << title << body << QStringList{u"default"_qs, tr("Open")}
         << hints << qint32(-1);
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, title, body, urgency](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<uint> reply = *w;
                if (reply.isError()) {
                    Q_EMIT failed(title, body, urgency);
                    return;
                }
                m_lastId = reply.value();
            });
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    if (id == m_lastId && action == u"default")
        Q_EMIT activated();
}

} // namespace tablesync

#include "DesktopNotifier.moc"
