#pragma once

#include "config/Settings.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace tablesync {

class HealthServer;
class StatusBoard;
class SyncEngine;

// The window's health server, when the user turned it on: `/`, `/healthz`, `/status`, `/metrics`
// and `/dashboard` as in headless mode, on HEALTH_HOST of the open profile but on the window's own
// port (GuiSettings::windowHealthPort), following whichever engine the run controller creates.
// Off by default, and never on HEALTH_PORT, which belongs to the headless service. A port in use
// is reported, not fatal: the app works without it.
class HealthEndpoint : public QObject
{
    Q_OBJECT
public:
    explicit HealthEndpoint(QObject *parent = nullptr);
    ~HealthEndpoint() override;

    // (Re)starts or stops the server when the port, the address or the table list changed. Returns a
    // line for the user when something changed ("health server on http://127.0.0.1:8090/" or why
    // not), else "".
    QString apply(const Settings &settings);
    void attach(const SyncEngine *engine);

private:
    QPointer<const SyncEngine> m_engine; // the one the board follows; a new board follows it too
    std::unique_ptr<StatusBoard> m_board;
    std::unique_ptr<HealthServer> m_server;
    QString m_key; // what the running server was made for
};

} // namespace tablesync
