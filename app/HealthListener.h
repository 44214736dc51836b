#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace tablesync {

class HealthServer;

// Gets the service's health server listening and keeps it so. A port held by another program
// (the desktop app, an instance that is still stopping) must not stop the syncing: the service logs why once, syncs
// without the endpoint, tries again after 1 s, 2 s, 4 s ... then every kLongestRetrySeconds, and logs when it is
// listening.
class HealthListener : public QObject
{
    Q_OBJECT
public:
    static constexpr int kLongestRetrySeconds = 30;
    using Log = std::function<void(const QString &line)>;

    HealthListener(HealthServer &server, QString host, int port, Log log, QObject *parent = nullptr);
    // False, with `error`, for what waiting cannot fix (an address this machine cannot have or
    // resolve): that is a configuration error. A port in use is retried.
    bool start(QString *error);

private:
    bool tryListen();
    void retryLater();

    HealthServer &m_server;
    QString m_host;
    int m_port;
    Log m_log;
    QTimer m_retry;
    int m_failures = 0;
    QString m_lastError;
};

} // namespace tablesync
