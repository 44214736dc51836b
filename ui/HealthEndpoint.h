#pragma once

#include "config/Settings.h"

#include <QObject>

#include <memory>

namespace tablesync {

class HealthServer;
class StatusBoard;
class SyncEngine;

// The health server while the desktop app runs, as in headless mode: `/`, `/healthz`, `/status`,
// `/metrics` and `/dashboard` on HEALTH_HOST:HEALTH_PORT of the open profile, following whichever
// engine the run controller creates. A port in use (e.g. by the headless service on the same
// machine) is reported, not fatal: the app works without it.
class HealthEndpoint : public QObject
{
    Q_OBJECT
public:
    explicit HealthEndpoint(QObject *parent = nullptr);
    ~HealthEndpoint() override;

    // (Re)starts the server when the address or the table list changed. Returns a line for the
    // user when something changed ("health server on http://127.0.0.1:8089/" or why not), else "".
    QString apply(const Settings &settings);
    void attach(const SyncEngine *engine);

private:
    std::unique_ptr<StatusBoard> m_board;
    std::unique_ptr<HealthServer> m_server;
    QString m_key; // what the running server was made for
};

} // namespace tablesync
