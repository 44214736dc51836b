#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tablesync {

// The window's own preferences (geometry, last page, recent profiles, notices already shown),
// in QSettings under typed keys with their defaults in one place. Nothing secret goes here:
// passwords live in the OS keychain or the profile's .env.
class GuiSettings
{
public:
    struct RecentProfile
    {
        QString envPath;
        QString tablesPath;
        bool operator==(const RecentProfile &other) const = default;
    };
    static constexpr int kMaxRecent = 8;

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray &geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray &state);
    static QByteArray splitterState(const QString &name);
    static void setSplitterState(const QString &name, const QByteArray &state);
    static int lastPage();
    static void setLastPage(int page);
    static QList<RecentProfile> recentProfiles();
    // Moves (or adds) the profile to the top of the list.
    static void addRecentProfile(const RecentProfile &profile);
    static void clearRecentProfiles();
    static bool trayNoticeShown();
    static void setTrayNoticeShown(bool shown);
    // The port the window serves the health endpoints on while it is open; 0 (the default): it
    // does not. Not HEALTH_PORT: that one belongs to the headless service, which must never find
    // its port taken by the desktop app on the same machine.
    static constexpr int kSuggestedWindowHealthPort = 8090;
    static int windowHealthPort();
    static void setWindowHealthPort(int port);
};

} // namespace tablesync
