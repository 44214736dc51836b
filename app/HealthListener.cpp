#include "HealthListener.h"

#include "health/HealthServer.h"

#include <algorithm>

namespace tablesync {

HealthListener::HealthListener(HealthServer &server, QString host, int port, Log log, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_host(std::move(host))
    , m_port(port)
    , m_log(std::move(log))
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!tryListen())
            retryLater();
    });
}

bool HealthListener::start(QString *error)
{
    if (tryListen())
        return true;
    if (!m_lastError.contains(u"already in use"_qs)) { // HealthServer::listen's words for EADDRINUSE
        *error = m_lastError;
        return false;
    }
    retryLater();
    return true;
}

void HealthListener::retryLater()
{
    const int seconds = std::min(kLongestRetrySeconds, 1 << std::min(m_failures - 1, 5));
    m_retry.start(std::chrono::seconds(seconds));
}

bool HealthListener::tryListen()
{
    QString &error = m_lastError;
    error.clear();
    if (m_server.listen(m_host, m_port, error)) {
        m_log(QStringLiteral("health server on http://%1/ (/healthz, /status, /metrics, /dashboard)")
                  .arg(m_server.address()));
        return true;
    }
    if (m_failures++ == 0 && error.contains(u"already in use"_qs)) {
        m_log(QStringLiteral("warning: %1. Syncing goes on without it; tablesync keeps trying (at least every %2 s)")
                  .arg(error)
                  .arg(kLongestRetrySeconds));
    }
    return false;
}

} // namespace tablesync
