#include "health/HealthServer.h"

#include "health/GuardedTcpServer.h"
#include "health/MetricsText.h"
#include "health/StatusBoard.h"
#include "health/StatusDocument.h"

#include <QFile>
#include <QHostInfo>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QThread>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcHealthServer, "tablesync.health", QtInfoMsg)

// Q_INIT_RESOURCE must be used outside any namespace; the dashboard is compiled into the static
// core library, and this call is what keeps the linker from dropping it.
static void initHealthResources()
{
    Q_INIT_RESOURCE(health);
}

namespace tablesync {

namespace {
using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;
constexpr auto kGetOrHead = QHttpServerRequest::Methods(Method::Get) | Method::Head;

// The page is static and needs nothing but itself and /status: the policy makes sure of that.
constexpr char kDashboardPolicy[] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                    "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'";
const QString kDashboardPath = u"/dashboard"_qs;
} // namespace

HealthServer::HealthServer(const StatusBoard &board, HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_board(board)
    , m_limits(limits)
    , m_http(std::make_unique<QHttpServer>())
{
    Q_ASSERT(board.thread() == thread()); // handlers read the board without locks
    initHealthResources();
    QFile page(u":/health/dashboard.html"_qs);
    if (page.open(QIODevice::ReadOnly))
        m_dashboard = page.readAll();
    Q_ASSERT(!m_dashboard.isEmpty());

    auto route = [this](const QString &path, Access access, Reply (HealthServer::*make)() const) {
        m_http->route(path, kGetOrHead,
                      [this, access, make](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                          if (access == Access::TokenRequired) {
                              if (const std::optional<Reply> refused = refusal(request)) {
                                  answer(request, responder, *refused);
                                  return;
                              }
                          }
                          answer(request, responder, (this->*make)());
                      });
    };
    // Monitors and load balancers probe / and /healthz without credentials; they tell only whether
    // the service is healthy (and why not).
    route(u"/"_qs, Access::Open, &HealthServer::rootReply);
    route(u"/healthz"_qs, Access::Open, &HealthServer::healthReply);
    route(u"/status"_qs, Access::TokenRequired, &HealthServer::statusReply);
    route(u"/metrics"_qs, Access::TokenRequired, &HealthServer::metricsReply);
    route(kDashboardPath, Access::TokenRequired, &HealthServer::dashboardReply);
    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        answer(request, responder, notFoundReply(request));
    });
}

HealthServer::~HealthServer() = default;

void HealthServer::setAccessToken(const QString &token)
{
    m_access = HealthAccess(token.toUtf8());
}

std::optional<HealthServer::Reply> HealthServer::refusal(const QHttpServerRequest &request) const
{
    // A browser cannot add a header when it follows a link, so the dashboard page alone also
    // takes the token from its URL; its script then sends the header (docs/security.md: "Access token").
    QByteArray queryToken;
    if (request.url().path() == kDashboardPath)
        queryToken = request.query().queryItemValue(u"token"_qs, QUrl::FullyDecoded).toUtf8();
    const HealthAccess::Verdict verdict = m_access.check(request.value("Authorization"), queryToken);
    if (verdict == HealthAccess::Verdict::Allowed)
        return std::nullopt;
    // RFC 6750 3: a challenge, with error="invalid_token" when a token came and was wrong.
    const QByteArray challenge = verdict == HealthAccess::Verdict::Wrong
                                     ? R"(Bearer realm="tablesync", error="invalid_token")"
                                     : R"(Bearer realm="tablesync")";
    QByteArray body = verdict == HealthAccess::Verdict::Wrong ? "401 Unauthorized: wrong token.\n"
                                                              : "401 Unauthorized: this page needs the health token.\n";
    body += "Send `Authorization: Bearer <HEALTH_TOKEN>`";
    if (request.url().path() == kDashboardPath)
        body += ", or open /dashboard?token=<HEALTH_TOKEN> in a browser";
    body += ". / and /healthz need no token.\n";
    return Reply{401, "text/plain; charset=utf-8", body, {{"WWW-Authenticate", challenge}}};
}

bool HealthServer::listen(const QString &host, int port, QString &error)
{
    Q_ASSERT(!m_tcp);
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)) {
        // A name: resolved once, at start-up, before anything else runs.
        const QList<QHostAddress> found = QHostInfo::fromName(host).addresses();
        if (found.isEmpty()) {
            error = QStringLiteral("health server: HEALTH_HOST \"%1\" is not an address this machine can resolve "
                                   "(use e.g. 127.0.0.1, or 0.0.0.0 for every interface)")
                        .arg(host);
            return false;
        }
        address = found.first();
    }
    auto tcp = std::make_unique<GuardedTcpServer>(m_limits);
    // A burst of connections waits in the kernel's queue until the event loop accepts it.
    tcp->setListenBacklogSize(m_limits.maxConnections);
    if (!tcp->listen(address, quint16(port))) {
        const bool inUse = tcp->serverError() == QAbstractSocket::AddressInUseError;
        error = QStringLiteral("health server: cannot listen on %1:%2: %3")
                    .arg(address.toString())
                    .arg(port)
                    .arg(inUse ? u"the port is already in use by another program (or another tablesync); choose "
                                 "another with HEALTH_PORT or --health-port"_qs
                               : tcp->errorString());
        return false;
    }
    connect(tcp.get(), &GuardedTcpServer::rejected, this, [this](int status) { ++m_responses[status]; });
    m_tcp = tcp.release();
    m_http->bind(m_tcp); // takes ownership
    if (!m_access.requiresToken() && !isLoopbackAddress(m_tcp->serverAddress())) {
        qCWarning(lcHealthServer).noquote()
            << QStringLiteral("health server on %1 is reachable from other machines and HEALTH_TOKEN is not set: "
                              "anyone who can reach it reads /status, /metrics and /dashboard; set HEALTH_TOKEN (or "
                              "HEALTH_TOKEN_FILE), or bind HEALTH_HOST=127.0.0.1")
                   .arg(this->address());
    }
    return true;
}

bool HealthServer::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

int HealthServer::activeConnections() const
{
    return m_tcp ? m_tcp->activeConnections() : 0;
}

quint16 HealthServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString HealthServer::address() const
{
    if (!m_tcp)
        return {};
    const QHostAddress a = m_tcp->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + a.toString() + u']' : a.toString();
    return host + u':' + QString::number(m_tcp->serverPort());
}

void HealthServer::answer(const QHttpServerRequest &request, QHttpServerResponder &responder, const Reply &reply)
{
    ++m_responses[reply.status];
    responder.writeStatusLine(Status(reply.status));
    responder.writeHeader("Content-Type", reply.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
    responder.writeHeader("Cache-Control", "no-store");
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    // One request per connection (see GuardedTcpServer); saying so spares clients a failed reuse.
    responder.writeHeader("Connection", "close");
    for (const auto &[name, value] : reply.headers)
        responder.writeHeader(name, value);
    // QHttpServer 6.4 would send a body for HEAD too; the headers above are those of GET.
    responder.writeBody(request.method() == Method::Head ? QByteArray() : reply.body);
}

HealthServer::Reply HealthServer::rootReply() const
{
    // The old pipeline's answer, byte for byte: monitors compare it.
    return {200, "text/plain; charset=utf-8", "We are Groot!", {}};
}

HealthServer::Reply HealthServer::healthReply() const
{
    const HealthVerdict verdict = m_board.health(m_board.now());
    if (verdict.healthy)
        return {200, "text/plain; charset=utf-8", "ok\n", {}};
    QByteArray body = "unhealthy\n";
    for (const QString &reason : verdict.reasons)
        body += reason.toUtf8() + '\n';
    return {503, "text/plain; charset=utf-8", body, {}};
}

HealthServer::Reply HealthServer::statusReply() const
{
    const QJsonDocument document(statusDocument(m_board, m_board.now()));
    return {200, "application/json", document.toJson(QJsonDocument::Indented), {}};
}

HealthServer::Reply HealthServer::metricsReply() const
{
    return {200, "text/plain; version=0.0.4; charset=utf-8", metricsText(m_board, m_board.now(), m_responses), {}};
}

HealthServer::Reply HealthServer::dashboardReply() const
{
    // no-referrer: the page's URL may carry the token (?token=), and no link should pass it on.
    return {200,
            "text/html; charset=utf-8",
            m_dashboard,
            {{"Content-Security-Policy", kDashboardPolicy}, {"Referrer-Policy", "no-referrer"}}};
}

HealthServer::Reply HealthServer::notFoundReply(const QHttpServerRequest &request) const
{
    // The guard lets only GET and HEAD through; this keeps the answer right should that change.
    if (request.method() != Method::Get && request.method() != Method::Head)
        return {405,
                "text/plain; charset=utf-8",
                "405 Method Not Allowed: only GET and HEAD are served\n",
                {{"Allow", "GET, HEAD"}}};
    return {404,
            "text/plain; charset=utf-8",
            "404 Not Found: this server answers /, /healthz, /status, /metrics and /dashboard\n",
            {}};
}

} // namespace tablesync
