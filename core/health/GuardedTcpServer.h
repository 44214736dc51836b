#pragma once

#include "health/HttpLimits.h"

#include <QByteArray>
#include <QList>
#include <QPointer>
#include <QTcpServer>

namespace tablesync {

class GuardedConnection;

// The QTcpServer the health server's QHttpServer is bound to. It holds each connection until the
// request head has arrived whole and looks sane, and only then hands the socket over.
//
// Why a guard at all: QHttpServer 6.4 (Debian 12) buffers a request head of any size, keeps every
// connection open for ever (even after "Connection: close"), has no timeouts and no connection
// limit, and answers unknown methods and request bodies by routing them like GET. A client that
// stalls, floods or simply never disconnects would pile up sockets and memory. So, in front of it:
//   - a connection limit; when full, a client silent for `stalledAfter` is evicted, else 503;
//   - the head must arrive within `headTimeout` (408) and fit `maxHeadBytes` (431, or 414);
//   - only well-formed GET/HEAD requests without a body pass (400, 405, 505 otherwise);
//   - one request per connection: after the answer is written the connection is closed, and
//     whatever happens, a connection is gone `answerTimeout` after its answer was queued.
// QHttpServer then parses, routes and writes the answer as usual.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(HttpLimits limits, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    const HttpLimits &limits() const { return m_limits; }
    // Connections being read or answered (not those being closed after an error answer).
    int activeConnections() const;

    // What the guard makes of the bytes of a request received so far.
    struct HeadCheck
    {
        enum class Verdict { Incomplete, Accept, Reject };
        Verdict verdict = Verdict::Incomplete;
        int status = 0;     // for Reject
        QByteArray message; // for Reject: one line for the client
    };
    static HeadCheck checkHead(const QByteArray &received, int maxHeadBytes);

Q_SIGNALS:
    // The guard answered a connection itself with this status (400, 405, 408, 414, 431, 503, 505).
    void rejected(int status);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void inspect(GuardedConnection *connection);
    void handOver(GuardedConnection *connection);
    void reject(GuardedConnection *connection, int status, const QByteArray &message);
    void onDeadline(GuardedConnection *connection);
    bool evictStalledClient();
    void forgetClosedConnections();

    HttpLimits m_limits;
    QList<QPointer<GuardedConnection>> m_connections;
};

} // namespace tablesync
