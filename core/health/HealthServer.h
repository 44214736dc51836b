#pragma once

#include "health/HttpLimits.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QString>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace tablesync {

class GuardedTcpServer;
class StatusBoard;

// The health server: GET / ("We are Groot!"), /healthz, /status, /metrics and /dashboard, answered
// from a StatusBoard in the same thread. See README.md ("Health server") for every answer.
class HealthServer : public QObject
{
    Q_OBJECT
public:
    explicit HealthServer(const StatusBoard &board, HttpLimits limits = {}, QObject *parent = nullptr);
    ~HealthServer() override;

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
    void answer(const QHttpServerRequest &request, QHttpServerResponder &responder, const Reply &reply);
    Reply rootReply() const;
    Reply healthReply() const;
    Reply statusReply() const;
    Reply metricsReply() const;
    Reply dashboardReply() const;
    Reply notFoundReply(const QHttpServerRequest &request) const;

    const StatusBoard &m_board;
    HttpLimits m_limits;
    std::unique_ptr<QHttpServer> m_http;
    GuardedTcpServer *m_tcp = nullptr; // owned by m_http once bound
    QByteArray m_dashboard;
    QMap<int, qint64> m_responses;
};

} // namespace tablesync
