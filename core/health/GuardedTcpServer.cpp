#include "health/GuardedTcpServer.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#include <optional>
#include <string_view>

// QT_LOGGING_RULES="tablesync.health.debug=true" shows every answer the guard gives itself.
Q_LOGGING_CATEGORY(lcHealthGuard, "tablesync.health", QtInfoMsg)

namespace tablesync {

// Per-connection state, a child of its socket: it dies with the socket whoever deletes that
// (QHttpServer deletes sockets on disconnect), and m_connections holds it by QPointer.
class GuardedConnection : public QObject
{
public:
    enum class Phase { ReadingHead, Answering, Closing };

    explicit GuardedConnection(QTcpSocket *tcpSocket)
        : QObject(tcpSocket)
        , socket(tcpSocket)
    {
        deadline.setSingleShot(true);
        age.start();
    }

    QTcpSocket *const socket;
    Phase phase = Phase::ReadingHead;
    QElapsedTimer age;
    QTimer deadline;
    QMetaObject::Connection reading;
};

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

QByteArray errorResponse(int status, const QByteArray &message)
{
    const QByteArray statusText = QByteArray::number(status) + ' ' + reasonPhrase(status);
    const QByteArray body = statusText + ": " + message + '\n';
    QByteArray response = "HTTP/1.1 " + statusText +
                          "\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Length: " +
                          QByteArray::number(body.size()) +
                          "\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n";
    if (status == 405)
        response += "Allow: GET, HEAD\r\n";
    return response + "\r\n" + body;
}

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Control characters other than tab (and DEL) never belong in a request head.
bool hasControlChar(QByteArrayView text)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return true;
    }
    return false;
}

using HeadCheck = GuardedTcpServer::HeadCheck;

HeadCheck refuse(int status, const QByteArray &message)
{
    return {HeadCheck::Verdict::Reject, status, message};
}

QByteArrayView chopCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

// The request line: METHOD SP /target SP HTTP/1.x. Returns an empty check when it is acceptable.
std::optional<HeadCheck> checkRequestLine(QByteArrayView line)
{
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || hasControlChar(line))
        return refuse(400, "malformed request line");
    const QByteArray &method = parts[0];
    const QByteArray &target = parts[1];
    const QByteArray &version = parts[2];
    if (!isToken(method) || !target.startsWith('/'))
        return refuse(400, "malformed request line");
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.startsWith("HTTP/"))
            return refuse(505, "only HTTP/1.0 and HTTP/1.1 are served");
        return refuse(400, "malformed request line");
    }
    if (method != "GET" && method != "HEAD")
        return refuse(405, "only GET and HEAD are served");
    return std::nullopt;
}

} // namespace

GuardedTcpServer::HeadCheck GuardedTcpServer::checkHead(const QByteArray &received, int maxHeadBytes)
{
    const qsizetype lineEnd = received.indexOf('\n');
    if (lineEnd < 0) {
        if (received.size() > maxHeadBytes)
            return refuse(414, "request line too long");
        // Binary garbage (a TLS handshake, a stray protocol) is answered at once, not at the timeout.
        if (hasControlChar(chopCr(received)))
            return refuse(400, "malformed request line");
        return {};
    }
    if (const auto bad = checkRequestLine(chopCr(QByteArrayView(received).first(lineEnd))))
        return *bad;

    // The head ends at the first empty line; a bare LF is tolerated as a line end (RFC 9112 2.2).
    qsizetype end = received.indexOf("\r\n\r\n");
    qsizetype endLength = 4;
    const qsizetype lfEnd = received.indexOf("\n\n");
    if (lfEnd >= 0 && (end < 0 || lfEnd < end)) {
        end = lfEnd;
        endLength = 2;
    }
    if (end < 0)
        return received.size() > maxHeadBytes ? refuse(431, "request headers too large") : HeadCheck{};
    const qsizetype headLength = end + endLength;
    if (headLength > maxHeadBytes)
        return refuse(431, "request headers too large");

    const QByteArray fields = received.mid(lineEnd + 1, headLength - (lineEnd + 1));
    for (const QByteArray &rawLine : fields.split('\n')) {
        const QByteArrayView line = chopCr(rawLine);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        // A leading space is obsolete line folding, a classic request-smuggling vector.
        if (colon <= 0 || !isToken(line.first(colon)) || hasControlChar(line))
            return refuse(400, "malformed header field");
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        if ((name == "content-length" && value != "0") || name == "transfer-encoding")
            return refuse(400, "request bodies are not accepted");
    }
    // We answer one request and close; a second one already sent would be silently lost.
    if (received.size() > headLength)
        return refuse(400, "one request per connection; pipelining is not supported");
    return {HeadCheck::Verdict::Accept, 0, {}};
}

GuardedTcpServer::GuardedTcpServer(HttpLimits limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{}

GuardedTcpServer::~GuardedTcpServer() = default;

int GuardedTcpServer::activeConnections() const
{
    int n = 0;
    for (const QPointer<GuardedConnection> &c : m_connections)
        n += c && c->phase != GuardedConnection::Phase::Closing ? 1 : 0;
    return n;
}

void GuardedTcpServer::forgetClosedConnections()
{
    m_connections.removeIf([](const QPointer<GuardedConnection> &c) { return c.isNull(); });
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    forgetClosedConnections();
    auto *socket = new QTcpSocket(this);
    // Qt stops reading from the kernel once this much is buffered, so a flood costs no memory;
    // one byte over the limit is enough to tell that the head is too large.
    socket->setReadBufferSize(m_limits.maxHeadBytes + 1);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    auto *connection = new GuardedConnection(socket);
    connect(&connection->deadline, &QTimer::timeout, connection, [this, connection] { onDeadline(connection); });
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    const bool full = activeConnections() >= m_limits.maxConnections;
    m_connections.append(connection);
    if (full && !evictStalledClient()) {
        reject(connection, 503, "too many connections; try again shortly");
        return;
    }
    connection->reading =
        connect(socket, &QIODevice::readyRead, connection, [this, connection] { inspect(connection); });
    connection->deadline.start(m_limits.headTimeout);
}

bool GuardedTcpServer::evictStalledClient()
{
    GuardedConnection *oldest = nullptr;
    for (const QPointer<GuardedConnection> &c : std::as_const(m_connections)) {
        if (c && c->phase == GuardedConnection::Phase::ReadingHead &&
            c->age.elapsed() >= m_limits.stalledAfter.count() && (!oldest || c->age.elapsed() > oldest->age.elapsed()))
            oldest = c;
    }
    if (!oldest)
        return false;
    // It has had its chance: a client that means it sends its few hundred bytes at once.
    oldest->phase = GuardedConnection::Phase::Closing;
    oldest->socket->abort();
    oldest->socket->deleteLater();
    return true;
}

void GuardedTcpServer::inspect(GuardedConnection *connection)
{
    QTcpSocket *socket = connection->socket;
    const HeadCheck check = checkHead(socket->peek(socket->bytesAvailable()), m_limits.maxHeadBytes);
    switch (check.verdict) {
    case HeadCheck::Verdict::Incomplete:
        break;
    case HeadCheck::Verdict::Reject:
        reject(connection, check.status, check.message);
        break;
    case HeadCheck::Verdict::Accept:
        handOver(connection);
        break;
    }
}

void GuardedTcpServer::handOver(GuardedConnection *connection)
{
    QTcpSocket *socket = connection->socket;
    connection->phase = GuardedConnection::Phase::Answering;
    disconnect(connection->reading);
    connection->deadline.start(m_limits.answerTimeout);

    addPendingConnection(socket);
    // QTcpServer emits newConnection only from its own accept loop, and QHttpServer 6.4 listens
    // to that signal, so announce the connection ourselves...
    Q_EMIT newConnection();
    // ...and since its request is already buffered, no new readyRead would come: replay it.
    // (QHttpServer does the same when it hands a socket to its WebSocket server.)
    Q_EMIT socket->readyRead();

    // The answer is queued now (our handlers answer synchronously). One request per connection:
    // stop reading, and close once the answer is written. The deadline covers a client that
    // never reads it.
    disconnect(socket, &QIODevice::readyRead, nullptr, nullptr);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater, Qt::UniqueConnection);
    socket->disconnectFromHost();
}

void GuardedTcpServer::reject(GuardedConnection *connection, int status, const QByteArray &message)
{
    QTcpSocket *socket = connection->socket;
    connection->phase = GuardedConnection::Phase::Closing;
    disconnect(connection->reading);
    socket->write(errorResponse(status, message));
    // Drain what the client is still sending for a moment before closing: closing a socket with
    // unread input sends a reset, which can destroy the answer before the client has read it.
    socket->readAll();
    connect(socket, &QIODevice::readyRead, connection, [socket] { socket->readAll(); });
    QTimer::singleShot(m_limits.linger, connection, [socket] { socket->disconnectFromHost(); });
    connection->deadline.start(m_limits.linger + m_limits.answerTimeout);
    qCDebug(lcHealthGuard) << "answered" << status << "to" << socket->peerAddress().toString() << message;
    Q_EMIT rejected(status);
}

void GuardedTcpServer::onDeadline(GuardedConnection *connection)
{
    if (connection->phase == GuardedConnection::Phase::ReadingHead) {
        reject(connection, 408, "the request did not arrive in time");
        return;
    }
    // Answered (or refused) long ago and the client still has not taken it: drop it.
    connection->socket->abort();
    connection->socket->deleteLater();
}

} // namespace tablesync
