#include "GuiSettings.h"

#include <QSettings>

namespace tablesync {

namespace {
// Every key of the window's settings.
const QString kGeometry = u"window/geometry"_qs;
const QString kState = u"window/state"_qs;
const QString kPage = u"window/page"_qs;
const QString kSplitters = u"splitters/"_qs;
const QString kRecent = u"profiles/recent"_qs;
const QString kTrayNotice = u"tray/noticeShown"_qs;
const QString kWindowHealthPort = u"health/windowPort"_qs;
} // namespace

QByteArray GuiSettings::windowGeometry()
{
    return QSettings().value(kGeometry).toByteArray();
}

void GuiSettings::setWindowGeometry(const QByteArray &geometry)
{
    QSettings().setValue(kGeometry, geometry);
}

QByteArray GuiSettings::windowState()
{
    return QSettings().value(kState).toByteArray();
}

void GuiSettings::setWindowState(const QByteArray &state)
{
    QSettings().setValue(kState, state);
}

QByteArray GuiSettings::splitterState(const QString &name)
{
    return QSettings().value(kSplitters + name).toByteArray();
}

void GuiSettings::setSplitterState(const QString &name, const QByteArray &state)
{
    QSettings().setValue(kSplitters + name, state);
}

int GuiSettings::lastPage()
{
    return QSettings().value(kPage, 0).toInt();
}

void GuiSettings::setLastPage(int page)
{
    QSettings().setValue(kPage, page);
}

QList<GuiSettings::RecentProfile> GuiSettings::recentProfiles()
{
    QList<RecentProfile> result;
    const QVariantList stored = QSettings().value(kRecent).toList();
    for (const QVariant &entry : stored) {
        const QStringList pair = entry.toStringList();
        if (pair.size() == 2)
            result << RecentProfile{pair[0], pair[1]};
    }
    return result;
}

void GuiSettings::addRecentProfile(const RecentProfile &profile)
{
    QList<RecentProfile> list = recentProfiles();
    list.removeAll(profile);
    list.prepend(profile);
    QVariantList stored;
    for (qsizetype i = 0; i < list.size() && i < kMaxRecent; ++i)
        stored << QStringList{list[i].envPath, list[i].tablesPath};
    QSettings().setValue(kRecent, stored);
}

void GuiSettings::clearRecentProfiles()
{
    QSettings().remove(kRecent);
}

int GuiSettings::windowHealthPort()
{
    return QSettings().value(kWindowHealthPort, 0).toInt();
}

void GuiSettings::setWindowHealthPort(int port)
{
    QSettings().setValue(kWindowHealthPort, port);
}

bool GuiSettings::trayNoticeShown()
{
    return QSettings().value(kTrayNotice, false).toBool();
}

void GuiSettings::setTrayNoticeShown(bool shown)
{
    QSettings().setValue(kTrayNotice, shown);
}

} // namespace tablesync
