// The health server's bearer token (HEALTH_TOKEN) on real sockets: /status, /metrics and
// /dashboard refuse a request without the right token, / and /healthz stay open, the dashboard
// works in a browser with ?token=, the token is never served or logged, and the loopback check
// behind the start-up warning. Also the configuration keys and the tablesync binary.
#include "HeadlessChromium.h"
#include "HttpExchange.h"
#include "TestSandbox.h"

#include "health/HealthAccess.h"
#include "health/HealthServer.h"
#include "health/StatusBoard.h"

#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tablesync;
using namespace tablesync::test;

namespace {

// Every character RFC 6750 allows, '+' and '/' among them (they need care in a URL).
const QByteArray kToken = "tst-healthauth_Token.~+/0123456789==";
// The same, as a browser's address bar or a link carries it.
const QByteArray kTokenInUrl = QByteArray(kToken).toPercentEncoding();

QByteArray bearer(const QByteArray &token)
{
    return "Authorization: Bearer " + token + "\r\n";
}

Settings boardSettings()
{
    Settings settings;
    settings.source.role = u"source"_qs;
    settings.target.role = u"target"_qs;
    settings.intervalSeconds = 3600;
    settings.tables = {tableSpec(u"customers"_qs, {u"id"_qs}), tableSpec(u"products"_qs, {u"sku"_qs})};
    return settings;
}

Settings settingsFrom(const QByteArray &envText, ConfigErrors &errors)
{
    const QByteArray required = "SOURCE_DB_USER=u\nSOURCE_DB_HOST=h\nSOURCE_DB_NAME=n\n"
                                "TARGET_DB_USER=u\nTARGET_DB_HOST=h\nTARGET_DB_NAME=n\n";
    const EnvFile env = EnvFile::parse(required + envText, u"app.env"_qs, errors);
    return Settings::fromEnv(env, QProcessEnvironment(), errors);
}

QString describe(const ConfigErrors &errors)
{
    QStringList lines;
    for (const ConfigError &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

} // namespace

class TestHealthAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void privatePagesNeedTheToken_data();
    void privatePagesNeedTheToken();
    void refusalSaysHowAndLeaksNothing();
    void rootAndHealthzStayOpen();
    void dashboardTakesTheTokenFromItsUrlOnly_data();
    void dashboardTakesTheTokenFromItsUrlOnly();
    void tokenIsNeverServed();
    void withoutATokenEverythingIsOpen();
    void dashboardWithTokenRendersInChromium();
    void loopbackCheck_data();
    void loopbackCheck();
    void warnsWhenReachableWithoutAToken();
    void tokenComparison();
    void configurationKeys_data();
    void configurationKeys();
    void tokenFromAFile();
    void binaryRequiresTheTokenAndNeverLogsIt();

private:
    std::unique_ptr<StatusBoard> m_board;
    std::unique_ptr<HealthServer> m_server;
    quint16 m_port = 0;
};

void TestHealthAuth::initTestCase()
{
    m_board = std::make_unique<StatusBoard>(boardSettings());
    m_server = std::make_unique<HealthServer>(*m_board);
    m_server->setAccessToken(QString::fromLatin1(kToken));
    QString error;
    QVERIFY2(m_server->listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));
    m_port = m_server->port();
}

void TestHealthAuth::privatePagesNeedTheToken_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("challenge"); // WWW-Authenticate, for a 401
    const QByteArray missing = R"(Bearer realm="tablesync")";
    const QByteArray wrong = R"(Bearer realm="tablesync", error="invalid_token")";
    for (const QByteArray path : {"/status", "/metrics", "/dashboard"}) {
        const char *p = path.constData();
        QTest::addRow("%s without a token", p) << get(path) << 401 << missing;
        QTest::addRow("%s, wrong token", p) << get(path, "GET", bearer("wrong-token-0123456789")) << 401 << wrong;
        QTest::addRow("%s, token's prefix", p) << get(path, "GET", bearer(kToken.chopped(1))) << 401 << wrong;
        QTest::addRow("%s, token plus more", p) << get(path, "GET", bearer(kToken + "x")) << 401 << wrong;
        QTest::addRow("%s, Basic scheme", p)
            << get(path, "GET", "Authorization: Basic " + kToken.toBase64() + "\r\n") << 401 << missing;
        QTest::addRow("%s, empty bearer", p) << get(path, "GET", "Authorization: Bearer \r\n") << 401 << missing;
        QTest::addRow("%s, HEAD without a token", p) << get(path, "HEAD") << 401 << missing;
        QTest::addRow("%s, right token", p) << get(path, "GET", bearer(kToken)) << 200 << QByteArray();
        QTest::addRow("%s, header and scheme in other case", p)
            << get(path, "GET", "authorization: bEARER " + kToken + "\r\n") << 200 << QByteArray();
        QTest::addRow("%s, HEAD with the token", p) << get(path, "HEAD", bearer(kToken)) << 200 << QByteArray();
    }
}

void TestHealthAuth::privatePagesNeedTheToken()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, challenge);
    const HttpResult r = exchange(m_port, request);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("www-authenticate"), challenge);
    if (status == 401)
        QCOMPARE(r.header("content-type"), QByteArray("text/plain; charset=utf-8"));
}

void TestHealthAuth::refusalSaysHowAndLeaksNothing()
{
    const HttpResult status = exchange(m_port, get("/status", "GET", bearer("wrong-token-0123456789")));
    QCOMPARE(status.status, 401);
    QVERIFY2(status.body.contains("wrong token") && status.body.contains("Authorization: Bearer <HEALTH_TOKEN>"),
             status.body.constData());
    QVERIFY(!status.body.contains(kToken));
    QVERIFY(!status.body.contains("tables")); // nothing of the status document
    const HttpResult dashboard = exchange(m_port, get("/dashboard"));
    QVERIFY2(dashboard.body.contains("/dashboard?token=<HEALTH_TOKEN>"), dashboard.body.constData());
    QVERIFY(!dashboard.body.contains("<html"));
    QCOMPARE(dashboard.header("cache-control"), QByteArray("no-store"));
    // Refusals are counted like any answer.
    QVERIFY(m_server->responsesByStatus().value(401) >= 2);
}

void TestHealthAuth::rootAndHealthzStayOpen()
{
    const HttpResult root = exchange(m_port, get("/"));
    QCOMPARE(root.status, 200);
    QCOMPARE(root.body, QByteArray("We are Groot!"));
    QCOMPARE(exchange(m_port, get("/healthz")).status, 200);
    // A wrong token on an open page changes nothing.
    QCOMPARE(exchange(m_port, get("/", "GET", bearer("wrong-token-0123456789"))).status, 200);
    QCOMPARE(exchange(m_port, get("/healthz", "HEAD")).status, 200);
    QCOMPARE(exchange(m_port, get("/nope")).status, 404);
}

void TestHealthAuth::dashboardTakesTheTokenFromItsUrlOnly_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("dashboard, token in the URL") << "/dashboard?token=" + kTokenInUrl << 200;
    QTest::newRow("dashboard, token among other items") << "/dashboard?x=1&token=" + kTokenInUrl + "&y=2" << 200;
    QTest::newRow("dashboard, wrong token in the URL") << QByteArray("/dashboard?token=wrong-token-0123456789") << 401;
    // '+' is not a space here: a token with '+' written raw in the URL still matches.
    QTest::newRow("dashboard, raw '+' and '/'") << "/dashboard?token=" + kToken << 200;
    QTest::newRow("status, token in the URL") << "/status?token=" + kTokenInUrl << 401;
    QTest::newRow("metrics, token in the URL") << "/metrics?token=" + kTokenInUrl << 401;
}

// Only the page a browser opens as a link takes the token from the URL; programs send the header.
void TestHealthAuth::dashboardTakesTheTokenFromItsUrlOnly()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    const HttpResult r = exchange(m_port, get(path));
    QCOMPARE(r.status, status);
    if (status == 200) {
        QCOMPARE(r.header("content-type"), QByteArray("text/html; charset=utf-8"));
        // The URL holds the token: no link from the page may pass it on.
        QCOMPARE(r.header("referrer-policy"), QByteArray("no-referrer"));
    }
}

void TestHealthAuth::tokenIsNeverServed()
{
    for (const QByteArray path : {"/status", "/metrics", "/dashboard", "/", "/healthz"}) {
        const HttpResult r = exchange(m_port, get(path, "GET", bearer(kToken)));
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.body.contains(kToken), path.constData());
        for (auto it = r.headers.cbegin(); it != r.headers.cend(); ++it)
            QVERIFY2(!it.value().contains(kToken), it.key().constData());
    }
}

void TestHealthAuth::withoutATokenEverythingIsOpen()
{
    HealthServer open(*m_board);
    QString error;
    QVERIFY2(open.listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));
    for (const QByteArray path : {"/status", "/metrics", "/dashboard"}) {
        QCOMPARE(exchange(open.port(), get(path)).status, 200);
        // A client that sends a token anyway is not refused.
        QCOMPARE(exchange(open.port(), get(path, "GET", bearer(kToken))).status, 200);
    }
}

void TestHealthAuth::dashboardWithTokenRendersInChromium()
{
    // With the token in the URL the page loads, and its script must send the header to /status:
    // the table names appear only once that fetch succeeded.
    const RenderedPage page = renderInChromium(
        QStringLiteral("http://127.0.0.1:%1/dashboard?token=%2").arg(m_port).arg(QString::fromLatin1(kTokenInUrl)));
    QVERIFY2(page.ok, qPrintable(page.log));
    QVERIFY2(page.dom.contains(u"<title>tablesync dashboard</title>"_qs), qPrintable(page.log));
    for (const QString &table : {u"customers"_qs, u"products"_qs})
        QVERIFY2(page.dom.contains(u"<div class=\"name\">"_qs + table + u"</div>"_qs),
                 qPrintable(page.dom.right(3000)));
    QVERIFY(page.dom.contains(u"<div id=\"banner\" class=\"banner\" role=\"alert\" hidden=\"\">"_qs));
}

void TestHealthAuth::loopbackCheck_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << u"127.0.0.1"_qs << true;
    QTest::newRow("127.1.2.3") << u"127.1.2.3"_qs << true;
    QTest::newRow("::1") << u"::1"_qs << true;
    QTest::newRow("IPv4-mapped loopback") << u"::ffff:127.0.0.1"_qs << true;
    QTest::newRow("0.0.0.0") << u"0.0.0.0"_qs << false;
    QTest::newRow("::") << u"::"_qs << false;
    QTest::newRow("private LAN") << u"192.168.1.10"_qs << false;
    QTest::newRow("10/8") << u"10.0.0.1"_qs << false;
    QTest::newRow("128.0.0.1") << u"128.0.0.1"_qs << false;
    QTest::newRow("IPv4-mapped LAN") << u"::ffff:192.168.1.10"_qs << false;
    QTest::newRow("IPv6 global") << u"2001:db8::1"_qs << false;
    QTest::newRow("IPv6 link-local") << u"fe80::1"_qs << false;
}

void TestHealthAuth::loopbackCheck()
{
    QFETCH(QString, address);
    QFETCH(bool, loopback);
    QHostAddress parsed;
    QVERIFY(parsed.setAddress(address));
    QCOMPARE(isLoopbackAddress(parsed), loopback);
}

void TestHealthAuth::warnsWhenReachableWithoutAToken()
{
    const QRegularExpression warning(u"reachable from other machines and HEALTH_TOKEN is not set"_qs);
    {
        // Every interface, no token: the warning names the address and what to do.
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"health server on 0\\.0\\.0\\.0:\\d+ is reachable from "
                                                "other machines and HEALTH_TOKEN is not set.*HEALTH_TOKEN_FILE"_qs));
        HealthServer server(*m_board);
        QString error;
        QVERIFY2(server.listen(u"0.0.0.0"_qs, 0, error), qPrintable(error));
    }
    QTest::failOnWarning(warning);
    {
        HealthServer server(*m_board); // every interface, with a token: no warning
        server.setAccessToken(QString::fromLatin1(kToken));
        QString error;
        QVERIFY2(server.listen(u"0.0.0.0"_qs, 0, error), qPrintable(error));
    }
    for (const QString &host : {u"127.0.0.1"_qs, u"localhost"_qs}) {
        HealthServer server(*m_board); // loopback, no token: no warning
        QString error;
        QVERIFY2(server.listen(host, 0, error), qPrintable(error));
    }
}

void TestHealthAuth::tokenComparison()
{
    QVERIFY(HealthAccess::constantTimeEquals("abc", "abc"));
    QVERIFY(!HealthAccess::constantTimeEquals("abc", "abd"));
    QVERIFY(!HealthAccess::constantTimeEquals("abc", "abcd"));
    QVERIFY(!HealthAccess::constantTimeEquals("", "a"));
    const HealthAccess none;
    QVERIFY(!none.requiresToken());
    QCOMPARE(none.check({}), HealthAccess::Verdict::Allowed);
    const HealthAccess access(kToken);
    QCOMPARE(access.check(QByteArray("Bearer " + kToken)), HealthAccess::Verdict::Allowed);
    QCOMPARE(access.check(QByteArray("Bearer   " + kToken + "  ")), HealthAccess::Verdict::Allowed);
    QCOMPARE(access.check(QByteArray("Bearer" + kToken)), HealthAccess::Verdict::Missing); // no space: another scheme
    QCOMPARE(access.check("Bearer x"), HealthAccess::Verdict::Wrong);
    QCOMPARE(access.check({}, kToken), HealthAccess::Verdict::Allowed);
    QCOMPARE(access.check({}, "x"), HealthAccess::Verdict::Wrong);
    QCOMPARE(access.check({}), HealthAccess::Verdict::Missing);
}

void TestHealthAuth::configurationKeys_data()
{
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("error"); // empty: none expected
    QTest::newRow("unset") << QByteArray() << QString() << QString();
    QTest::newRow("empty") << QByteArray("HEALTH_TOKEN=\n") << QString() << QString();
    QTest::newRow("hex") << QByteArray("HEALTH_TOKEN=0123456789abcdef0123\n") << u"0123456789abcdef0123"_qs
                         << QString();
    QTest::newRow("quoted, comment") << QByteArray("HEALTH_TOKEN='" + kToken + "'  # for Prometheus\n")
                                     << QString::fromLatin1(kToken) << QString();
    QTest::newRow("too short") << QByteArray("HEALTH_TOKEN=abc123\n") << QString()
                               << u"app.env, line 7: HEALTH_TOKEN: the token has 6 characters; use at least 16"_qs;
    QTest::newRow("space inside") << QByteArray("HEALTH_TOKEN='0123456789 abcdef'\n") << QString()
                                  << u"app.env, line 7: HEALTH_TOKEN: the token may hold only letters"_qs;
    QTest::newRow("both keys") << QByteArray("HEALTH_TOKEN=0123456789abcdef0123\nHEALTH_TOKEN_FILE=/x\n") << QString()
                               << u"app.env, line 8: HEALTH_TOKEN and HEALTH_TOKEN_FILE are both set"_qs;
    QTest::newRow("missing file") << QByteArray("HEALTH_TOKEN_FILE=/nonexistent/token\n") << QString()
                                  << u"app.env, line 7: HEALTH_TOKEN_FILE: cannot read \"/nonexistent/token\""_qs;
}

void TestHealthAuth::configurationKeys()
{
    QFETCH(QByteArray, env);
    QFETCH(QString, token);
    QFETCH(QString, error);
    ConfigErrors errors;
    const Settings settings = settingsFrom(env, errors);
    if (error.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
        QCOMPARE(settings.healthToken, token);
        return;
    }
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().toString().startsWith(error), qPrintable(describe(errors)));
    // A message is printed and logged: it never holds the value it complains about.
    const QString value = QString::fromUtf8(env.mid(env.indexOf('=') + 1).split('\n').first());
    if (!value.startsWith(u'/'))
        QVERIFY2(!errors.first().toString().contains(value), qPrintable(describe(errors)));
}

void TestHealthAuth::tokenFromAFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"token"_qs);
    QVERIFY(writeFile(path, kToken + "\n")); // as `openssl rand -hex 32 > token` leaves it
    ConfigErrors errors;
    Settings settings = settingsFrom("HEALTH_TOKEN_FILE=" + path.toUtf8() + "\n", errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(settings.healthToken, QString::fromLatin1(kToken));

    QVERIFY(writeFile(path, "\n"));
    errors.clear();
    settingsFrom("HEALTH_TOKEN_FILE=" + path.toUtf8() + "\n", errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toString(), u"app.env, line 7: HEALTH_TOKEN_FILE (\""_qs + path + u"\") is empty"_qs);

    QVERIFY(writeFile(path, "short\n"));
    errors.clear();
    settingsFrom("HEALTH_TOKEN_FILE=" + path.toUtf8() + "\n", errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().toString().contains(u"the token has 5 characters"_qs), qPrintable(describe(errors)));
    QVERIFY(!errors.first().toString().contains(u"short"_qs));
}

void TestHealthAuth::binaryRequiresTheTokenAndNeverLogsIt()
{
    const QString binary = qEnvironmentVariable("TABLESYNC_BINARY");
    QVERIFY2(QFile::exists(binary), "TABLESYNC_BINARY must name the built tablesync");
    SandboxPair db(u"healthauth"_qs);
    db.source->exec(u"CREATE TABLE products (sku VARCHAR(20) PRIMARY KEY, title VARCHAR(80))"_qs);
    db.source->exec(u"INSERT INTO products VALUES ('SKU-1', 'one'), ('SKU-2', 'two')"_qs);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u".env"_qs),
                      connectionEnv(db.settings) + "INTERVAL=3600\nHEALTH_TOKEN=" + kToken + "\n"));
    QVERIFY(writeFile(dir.filePath(u"tables.json"_qs), R"([{"table": "products", "primary_key": "sku"}])"));

    const int port = freePort();
    QProcess service;
    service.setWorkingDirectory(dir.path());
    service.start(binary, {u"--headless"_qs, u"--health-port"_qs, QString::number(port)});
    QVERIFY(service.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += service.readAllStandardOutput(), out.contains("next run in")), 60000);
    QCOMPARE(exchange(quint16(port), get("/")).body, QByteArray("We are Groot!"));
    QCOMPARE(exchange(quint16(port), get("/healthz")).status, 200);
    QCOMPARE(exchange(quint16(port), get("/status")).status, 401);
    QCOMPARE(exchange(quint16(port), get("/metrics", "GET", bearer("wrong-token-0123456789"))).status, 401);
    const HttpResult status = exchange(quint16(port), get("/status", "GET", bearer(kToken)));
    QCOMPARE(status.status, 200);
    QVERIFY(status.body.contains("\"products\""));
    ::kill(pid_t(service.processId()), SIGTERM);
    QVERIFY(service.waitForFinished(30000));
    QCOMPARE(service.exitCode(), 0);
    out += service.readAllStandardOutput();
    const QByteArray err = service.readAllStandardError();
    QVERIFY2(!out.contains(kToken) && !err.contains(kToken), QByteArray(out + err).constData());
    // Bound to loopback: no warning about an open server.
    QVERIFY2(!err.contains("reachable from other machines"), err.constData());
}

QTEST_GUILESS_MAIN(TestHealthAuth)
#include "tst_healthauth.moc"
