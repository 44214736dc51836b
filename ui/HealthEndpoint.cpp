#include "HealthEndpoint.h"

#include "GuiSettings.h"
#include "health/HealthServer.h"
#include "health/StatusBoard.h"
#include "sync/SyncEngine.h"

namespace tablesync {

HealthEndpoint::HealthEndpoint(QObject *parent)
    : QObject(parent)
{}

HealthEndpoint::~HealthEndpoint()
{
    m_server.reset(); // the server reads the board: it goes first
}

QString HealthEndpoint::apply(const Settings &settings)
{
    QStringList tables;
    for (const TableSpec &spec : settings.tables)
        tables << spec.table;
    // The token is part of the key (a new token restarts the server); the key stays in memory.
    const int port = GuiSettings::windowHealthPort();
    const QString key = QStringLiteral("%1:%2|%3|%4|%5")
                            .arg(settings.healthHost)
                            .arg(port)
                            .arg(settings.intervalSeconds)
                            .arg(tables.join(u'\n'), settings.healthToken);
    if (key == m_key)
        return {};
    m_key = key;
    const bool wasListening = m_server != nullptr;
    m_server.reset();
    if (port <= 0) {
        m_board.reset();
        return wasListening ? tr("The window's health server stopped") : QString();
    }
    m_board = std::make_unique<StatusBoard>(settings);
    if (m_engine)
        m_board->attach(m_engine);
    m_server = std::make_unique<HealthServer>(*m_board);
    m_server->setAccessToken(settings.healthToken);
    QString error;
    if (!m_server->listen(settings.healthHost, port, error)) {
        m_server.reset();
        return tr("Health server not started: %1").arg(error);
    }
    return tr("Health server on http://%1/ (/healthz, /status, /metrics, /dashboard)").arg(m_server->address());
}

void HealthEndpoint::attach(const SyncEngine *engine)
{
    m_engine = engine;
    if (m_board)
        m_board->attach(engine);
}

} // namespace tablesync
