#pragma once

#include "health/HealthAccess.h"
#include "health/HttpLimits.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace tablesync {

class GuardedTcpServer;
class StatusBoard;

// The health server: GET / ("We are Groot!"), /healthz, /status, /metrics and /dashboard, answered
// from a StatusBoard in the same thread. See docs/health-and-metrics.md for every answer.
class HealthServer : public QObject
{
    Q_OBJECT
public:
    explicit HealthServer(const StatusBoard &board, HttpLimits limits = {}, QObject *parent = nullptr);
    ~HealthServer() override;

    // With a token, /status, /metrics and /dashboard answer 401 to a request without it (see
    // HealthAccess); / and /healthz stay open. Call before listen(), which warns when the server is
    // reachable from other machines without a token.
    void setAccessToken(const QString &token);

    // Starts listening. On failure returns false and says in `error` what and where, e.g.
    // "cannot listen on 127.0.0.1:8089: address already in use (another program has it; ...)".
    // `host` is an address or "localhost"; port 0 picks a free port (tests).
    bool listen(const QString &host, int port, QString &error);
    bool isListening() const;
    quint16 port() const;
    // "127.0.0.1:8089", for log lines.
    QString address() const;

    // Connections being read or answered right now.
    int activeConnections() const;
    const QMap<int, qint64> &responsesByStatus() const { return m_responses; }

private:
    struct Reply
    {
        int status = 200;
        QByteArray contentType;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    enum class Access { Open, TokenRequired };
    void answer(const QHttpServerRequest &request, QHttpServerResponder &responder, const Reply &reply);
    // The 401 for a request the token check refused; nullopt when it may go on.
    std::optional<Reply> refusal(const QHttpServerRequest &request) const;
    Reply rootReply() const;
    Reply healthReply() const;
    Reply statusReply() const;
    Reply metricsReply() const;
    Reply dashboardReply() const;
    Reply notFoundReply(const QHttpServerRequest &request) const;

    const StatusBoard &m_board;
    HttpLimits m_limits;
    HealthAccess m_access;
    std::unique_ptr<QHttpServer> m_http;
    GuardedTcpServer *m_tcp = nullptr; // owned by m_http once bound
    QByteArray m_dashboard;
    QMap<int, qint64> m_responses;
};

} // namespace tablesync
