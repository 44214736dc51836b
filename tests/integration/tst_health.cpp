// The health server on real sockets: every endpoint and its content type, /status and /metrics
// after a real sync of the sandbox, /healthz's reasons, hostile clients, the tablesync binary's
// health port, and the dashboard rendered by headless Chromium.
#include "HeadlessChromium.h"
#include "HttpExchange.h"
#include "TestSandbox.h"

#include "health/HealthServer.h"
#include "health/StatusBoard.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tablesync;
using namespace tablesync::test;
using namespace std::chrono_literals;

namespace {

TableResult tableResult(const QString &table, TableOutcome outcome, qint64 rows, const QString &error = {})
{
    TableResult r;
    r.table = table;
    r.outcome = outcome;
    r.rowsWritten = rows;
    r.elapsedMs = 10;
    r.strategy = u"full refresh"_qs;
    r.error = error;
    return r;
}

RunSummary runSummary(const QList<TableResult> &tables)
{
    RunSummary s;
    s.loadId = u"1.0"_qs;
    s.tables = tables;
    s.elapsedMs = 10;
    return s;
}

// Short timeouts so that the stalled-client tests take a second, not a minute.
HttpLimits testLimits()
{
    HttpLimits limits;
    limits.headTimeout = 1500ms;
    limits.stalledAfter = 500ms;
    limits.answerTimeout = 2000ms;
    limits.linger = 200ms;
    return limits;
}

} // namespace

class TestHealth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void endpointsAndContentTypes_data();
    void endpointsAndContentTypes();
    void headHasTheHeadersOfGetButNoBody();
    void statusReflectsTheSync();
    void metricsReflectTheSyncInPrometheusFormat();
    void healthzSaysWhy_data();
    void healthzSaysWhy();
    void nothingSecretInAnyAnswer();
    void hostileInputIsAnsweredAndServingGoesOn_data();
    void hostileInputIsAnsweredAndServingGoesOn();
    void stalledHalfRequestTimesOut();
    void manyParallelConnections();
    void stalledClientsMakeRoomWhenFull();
    void dashboardRendersInHeadlessChromium();
    void binaryServesHealthAndSyncsDespiteATakenPort();

private:
    void expectServing();

    std::unique_ptr<SandboxPair> m_db;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<StatusBoard> m_board;
    std::unique_ptr<HealthServer> m_server;
    quint16 m_port = 0;
};

void TestHealth::initTestCase()
{
    m_db = std::make_unique<SandboxPair>(u"health"_qs);
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), updated_at DATETIME(6) NOT NULL, "
             "KEY (updated_at))"_qs);
    src.exec(u"INSERT INTO customers WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) "
             "SELECT i, CONCAT('customer ', i), TIMESTAMPADD(SECOND, i, '2024-03-01') FROM n"_qs);
    src.exec(u"CREATE TABLE products (sku VARCHAR(20) PRIMARY KEY, title VARCHAR(80))"_qs);
    src.exec(u"INSERT INTO products WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
             "SELECT CONCAT('SKU-', i), CONCAT('product ', i) FROM n"_qs);

    Settings settings = m_db->settings;
    settings.intervalSeconds = 3600; // a scheduled service between runs, not one that has finished
    settings.tables = {tableSpec(u"customers"_qs, {u"id"_qs}, u"updated_at"_qs, 100),
                       tableSpec(u"products"_qs, {u"sku"_qs}), tableSpec(u"missing"_qs, {u"id"_qs}, u"m"_qs)};
    m_board = std::make_unique<StatusBoard>(settings);
    m_server = std::make_unique<HealthServer>(*m_board, testLimits());
    QString error;
    QVERIFY2(m_server->listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));
    m_port = m_server->port();

    // A real sync, followed by the board through the engine's signals, as in the service.
    m_engine = std::make_unique<SyncEngine>(settings);
    m_board->attach(m_engine.get());
    QSignalSpy finished(m_engine.get(), &SyncEngine::runFinished);
    m_engine->runOnce();
    QVERIFY(!finished.isEmpty() || finished.wait(300000));
    QTRY_COMPARE_WITH_TIMEOUT(m_board->runsCompleted(), 1, 10000); // queued: arrives through the event loop
}

void TestHealth::cleanupTestCase()
{
    m_engine.reset();
    m_server.reset();
    m_board.reset();
}

void TestHealth::expectServing()
{
    const HttpResult r = exchange(m_port, get("/"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("We are Groot!"));
}

void TestHealth::endpointsAndContentTypes_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("bodyContains");
    const QByteArray plain = "text/plain; charset=utf-8";
    QTest::newRow("root") << get("/") << 200 << plain << QByteArray("We are Groot!");
    QTest::newRow("root, query") << get("/?probe=1") << 200 << plain << QByteArray("We are Groot!");
    QTest::newRow("root, HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << 200 << plain
                                    << QByteArray("We are Groot!");
    QTest::newRow("healthz") << get("/healthz") << 200 << plain << QByteArray("ok\n");
    QTest::newRow("status") << get("/status") << 200 << QByteArray("application/json") << QByteArray("\"tables\"");
    QTest::newRow("metrics") << get("/metrics") << 200 << QByteArray("text/plain; version=0.0.4; charset=utf-8")
                             << QByteArray("# TYPE tablesync_table_rows_written_total counter");
    QTest::newRow("dashboard") << get("/dashboard") << 200 << QByteArray("text/html; charset=utf-8")
                               << QByteArray("<title>tablesync dashboard</title>");
    QTest::newRow("unknown path") << get("/nope") << 404 << plain << QByteArray("/healthz");
    QTest::newRow("trailing slash") << get("/status/") << 404 << plain << QByteArray("404");
    QTest::newRow("POST") << get("/status", "POST") << 405 << plain << QByteArray("GET and HEAD");
    QTest::newRow("DELETE") << get("/", "DELETE") << 405 << plain << QByteArray("GET and HEAD");
    QTest::newRow("unknown method") << get("/", "BREW") << 405 << plain << QByteArray("GET and HEAD");
}

void TestHealth::endpointsAndContentTypes()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, bodyContains);
    const HttpResult r = exchange(m_port, request);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("content-type"), contentType);
    QCOMPARE(r.header("content-length").toLongLong(), r.body.size());
    QVERIFY2(r.body.contains(bodyContains), r.body.left(300).constData());
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(r.closed);
    if (status == 405)
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
    if (QTest::currentDataTag() == QByteArrayLiteral("root"))
        QCOMPARE(r.body, QByteArray("We are Groot!"));
    if (QTest::currentDataTag() == QByteArrayLiteral("dashboard")) {
        // Self-contained: nothing is loaded from anywhere else, and the policy enforces it.
        QVERIFY(!r.body.contains("src=\"http") && !r.body.contains("href=\"http") && !r.body.contains("@import"));
        QVERIFY(r.header("content-security-policy").contains("default-src 'none'"));
    }
}

void TestHealth::headHasTheHeadersOfGetButNoBody()
{
    const HttpResult got = exchange(m_port, get("/metrics"));
    const HttpResult head = exchange(m_port, get("/metrics", "HEAD"));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-type"), got.header("content-type"));
    QVERIFY(head.header("content-length").toLongLong() > 0);
    QVERIFY(head.body.isEmpty());
}

void TestHealth::statusReflectsTheSync()
{
    const HttpResult r = exchange(m_port, get("/status"));
    QCOMPARE(r.status, 200);
    QJsonParseError parseError;
    const QJsonObject status = QJsonDocument::fromJson(r.body, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QCOMPARE(status[u"healthy"_qs].toBool(), true); // one failed run is not yet unhealthy
    QCOMPARE(status[u"engine"_qs][u"state"_qs].toString(), u"idle"_qs);
    QCOMPARE(status[u"source"_qs].toString(), m_db->settings.source.displayName());

    const QJsonObject schedule = status[u"schedule"_qs].toObject();
    QCOMPARE(schedule[u"interval_seconds"_qs].toInt(), 3600);
    QCOMPARE(schedule[u"runs_completed"_qs].toInt(), 1);
    QCOMPARE(schedule[u"runs_with_failures"_qs].toInt(), 1);
    const QJsonObject lastRun = schedule[u"last_run"_qs].toObject();
    QCOMPARE(lastRun[u"rows_written"_qs].toInteger(),
             m_db->target->count(u"customers"_qs) + m_db->target->count(u"products"_qs));
    QCOMPARE(lastRun[u"failed_tables"_qs].toInt(), 1);
    QVERIFY(!lastRun[u"load_id"_qs].toString().isEmpty());

    QMap<QString, QJsonObject> tables;
    for (const QJsonValue &t : status[u"tables"_qs].toArray())
        tables.insert(t[u"name"_qs].toString(), t.toObject());
    QCOMPARE(tables.keys(), (QStringList{u"customers"_qs, u"missing"_qs, u"products"_qs}));

    const QJsonObject customers = tables[u"customers"_qs];
    QCOMPARE(customers[u"state"_qs].toString(), u"succeeded"_qs);
    QCOMPARE(customers[u"strategy"_qs].toString(), u"incremental"_qs);
    QCOMPARE(customers[u"rows_this_run"_qs].toInteger(), 250);
    QCOMPARE(customers[u"rows_written_total"_qs].toInteger(), m_db->target->count(u"customers"_qs));
    QCOMPARE(customers[u"progress"_qs].toDouble(), 1.0);
    QVERIFY(customers[u"rows_per_second"_qs].toDouble() > 0);
    QVERIFY(!customers[u"last_success_at"_qs].isNull());
    QVERIFY(customers[u"last_error"_qs].isNull());
    const QString maxModifier =
        m_db->target->scalar(u"SELECT CAST(MAX(updated_at) AS CHAR) FROM customers"_qs).toString();
    QVERIFY2(isSafeStartBefore(customers[u"cursor"_qs].toString(), maxModifier),
             qPrintable(customers[u"cursor"_qs].toString()));

    const QJsonObject products = tables[u"products"_qs];
    QCOMPARE(products[u"state"_qs].toString(), u"succeeded"_qs);
    QCOMPARE(products[u"strategy"_qs].toString(), u"full refresh"_qs);
    QCOMPARE(products[u"rows_this_run"_qs].toInteger(), m_db->target->count(u"products"_qs));
    QCOMPARE(products[u"rows_this_run"_qs].toInteger(), 40);

    const QJsonObject missing = tables[u"missing"_qs];
    QCOMPARE(missing[u"state"_qs].toString(), u"failed"_qs);
    QCOMPARE(missing[u"consecutive_failures"_qs].toInt(), 1);
    QVERIFY2(missing[u"last_error"_qs].toString().contains(u"missing"_qs),
             qPrintable(missing[u"last_error"_qs].toString()));
    QVERIFY(missing[u"last_success_at"_qs].isNull());

    const QJsonArray errors = status[u"recent_errors"_qs].toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0][u"table"_qs].toString(), u"missing"_qs);

    // The engine reports its pools at the end of each run.
    const QJsonObject pools = status[u"pools"_qs].toObject();
    for (const QString &server : {u"source"_qs, u"target"_qs}) {
        const QJsonObject pool = pools[server].toObject();
        QCOMPARE(pool[u"server"_qs].toString(), server);
        QCOMPARE(pool[u"size"_qs].toInt(), m_db->settings.poolSize);
        QVERIFY(pool[u"open"_qs].toInt() >= pool[u"checked_out"_qs].toInt());
        QVERIFY(pool[u"status_line"_qs].toString().contains(u"pool status - Size: "_qs));
    }
}

void TestHealth::metricsReflectTheSyncInPrometheusFormat()
{
    const HttpResult r = exchange(m_port, get("/metrics"));
    QCOMPARE(r.status, 200);
    // Every sample belongs to a family announced by # HELP and # TYPE before it.
    static const QRegularExpression sampleLine(
        uR"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN)$)"_qs);
    QSet<QString> helped, typed;
    QMap<QString, double> samples;
    for (const QByteArray &rawLine : r.body.split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (line.isEmpty())
            continue;
        if (line.startsWith(u"# HELP "_qs)) {
            helped << line.section(u' ', 2, 2);
            continue;
        }
        if (line.startsWith(u"# TYPE "_qs)) {
            QVERIFY2(QStringList({u"counter"_qs, u"gauge"_qs}).contains(line.section(u' ', 3, 3)), qPrintable(line));
            typed << line.section(u' ', 2, 2);
            continue;
        }
        const QRegularExpressionMatch m = sampleLine.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        QVERIFY2(helped.contains(m.captured(1)) && typed.contains(m.captured(1)), qPrintable(line));
        samples.insert(line.section(u' ', 0, 0), line.section(u' ', 1, 1).toDouble());
    }
    auto sample = [&](const QString &key) {
        if (!samples.contains(key))
            qWarning("missing sample %s", qPrintable(key));
        return samples.value(key, -1);
    };
    QCOMPARE(sample(u"tablesync_table_rows_written_total{table=\"customers\"}"_qs),
             double(m_db->target->count(u"customers"_qs)));
    QCOMPARE(sample(u"tablesync_table_rows_written_total{table=\"products\"}"_qs),
             double(m_db->target->count(u"products"_qs)));
    QCOMPARE(sample(u"tablesync_table_rows_written_total{table=\"missing\"}"_qs), 0.0);
    QCOMPARE(sample(u"tablesync_table_errors_total{table=\"missing\"}"_qs), 1.0);
    QCOMPARE(sample(u"tablesync_table_errors_total{table=\"customers\"}"_qs), 0.0);
    QCOMPARE(sample(u"tablesync_table_runs_total{table=\"customers\",outcome=\"succeeded\"}"_qs), 1.0);
    QCOMPARE(sample(u"tablesync_table_state{table=\"missing\",state=\"failed\"}"_qs), 1.0);
    QVERIFY(sample(u"tablesync_table_last_success_timestamp_seconds{table=\"customers\"}"_qs) >
            double(QDateTime::currentSecsSinceEpoch() - 600));
    QCOMPARE(sample(u"tablesync_table_last_success_timestamp_seconds{table=\"missing\"}"_qs), 0.0);
    QCOMPARE(sample(u"tablesync_runs_total"_qs), 1.0);
    QVERIFY(sample(u"tablesync_last_run_duration_seconds"_qs) > 0);
    QCOMPARE(sample(u"tablesync_healthy"_qs), 1.0);
    QCOMPARE(sample(u"tablesync_engine_state{state=\"idle\"}"_qs), 1.0);
    QCOMPARE(sample(u"tablesync_pool_size{server=\"source\"}"_qs), double(m_db->settings.poolSize));
    QVERIFY(sample(u"tablesync_pool_connections{server=\"target\",state=\"idle\"}"_qs) >= 0);
    QVERIFY(sample(u"tablesync_pool_connections{server=\"target\",state=\"checked_out\"}"_qs) >= 0);
    QVERIFY(sample(u"tablesync_http_responses_total{code=\"200\"}"_qs) >= 1);
}

void TestHealth::healthzSaysWhy_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("fresh start") << u"fresh"_qs << 200 << QString();
    QTest::newRow("engine stopped") << u"stopped"_qs << 503 << u"the sync engine has stopped"_qs;
    QTest::newRow("two failures in a row") << u"fail2"_qs << 200 << QString();
    QTest::newRow("three failures in a row") << u"fail3"_qs << 503 << u"table t failed its last 3 runs: boom"_qs;
    QTest::newRow("a success resets the count") << u"fail2ok1fail2"_qs << 200 << QString();
    QTest::newRow("no run for 3 intervals") << u"stale"_qs << 503 << u"no run finished for 181 s"_qs;
    QTest::newRow("long run still committing") << u"longrun"_qs << 200 << QString();
}

void TestHealth::healthzSaysWhy()
{
    QFETCH(QString, scenario);
    QFETCH(int, status);
    QFETCH(QString, reason);
    Settings settings;
    settings.intervalSeconds = 60;
    settings.tables = {tableSpec(u"t"_qs, {u"id"_qs})};
    StatusBoard board(settings);
    QDateTime now = QDateTime::currentDateTimeUtc();
    board.setClock([&now] { return now; });
    const QDateTime start = board.startedAt();
    auto run = [&](bool ok) {
        board.onRunStarted(u"1.0"_qs, 1);
        const TableResult result = ok ? tableResult(u"t"_qs, TableOutcome::Succeeded, 5)
                                      : tableResult(u"t"_qs, TableOutcome::Failed, 0, u"boom"_qs);
        board.onTableSyncFinished(result);
        board.onRunFinished(runSummary({result}));
        board.onNextRunScheduled(60);
    };
    if (scenario == u"stopped")
        board.onStopped();
    for (QChar step : scenario == u"fail2"           ? u"ff"_qs
                      : scenario == u"fail3"         ? u"fff"_qs
                      : scenario == u"fail2ok1fail2" ? u"ffsff"_qs
                                                     : QString())
        run(step == u's');
    if (scenario == u"stale") {
        run(true);
        // From the run's end, not the board's start: the board read the real clock a moment
        // before `now` was taken, and a whole second less made it 180 s, not yet stale (flaky).
        now = now.addSecs(181);
    }
    if (scenario == u"longrun") {
        board.onRunStarted(u"2.0"_qs, 1);
        board.onTableSyncStarted(u"t"_qs, u"full refresh"_qs);
        for (int minute = 1; minute <= 10; ++minute) {
            now = start.addSecs(minute * 60);
            board.onBatchCommitted(u"t"_qs, 1000, minute * 1000, 20000);
        }
        now = now.addSecs(30);
    }

    HealthServer server(board, testLimits());
    QString error;
    QVERIFY2(server.listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));
    const HttpResult r = exchange(server.port(), get("/healthz"));
    QCOMPARE(r.status, status);
    QCOMPARE(r.body.startsWith("ok\n"), status == 200);
    if (status != 200) {
        QVERIFY2(r.body.startsWith("unhealthy\n"), r.body.constData());
        QVERIFY2(QString::fromUtf8(r.body).contains(reason), r.body.constData());
    }
    const QJsonObject document = QJsonDocument::fromJson(exchange(server.port(), get("/status")).body).object();
    QCOMPARE(document[u"healthy"_qs].toBool(), status == 200);
}

void TestHealth::nothingSecretInAnyAnswer()
{
    const QString password = u"Sup3r-Secret-Pw"_qs;
    Settings settings = m_db->settings;
    settings.source.password = password;
    settings.target.password = u"another-secret-9"_qs;
    settings.tables = {tableSpec(u"t"_qs, {u"id"_qs})};
    StatusBoard board(settings);
    // Whatever a driver or a future engine might put in a message, it is masked.
    board.onRunStarted(u"1.0"_qs, 1);
    board.onTableMessage(u"t"_qs, u"connecting with password "_qs + password);
    board.onTableMessage(QString(), u"engine: password=another-secret-9"_qs);
    const TableResult failed =
        tableResult(u"t"_qs, TableOutcome::Failed, 0, u"Access denied (password "_qs + password + u')');
    board.onTableSyncFinished(failed);
    board.onRunFinished(runSummary({failed}));
    HealthServer server(board, testLimits());
    QString error;
    QVERIFY2(server.listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));
    for (const QByteArray path : {"/", "/healthz", "/status", "/metrics", "/dashboard"}) {
        const HttpResult r = exchange(server.port(), get(path));
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.body.contains(password.toUtf8()), path.constData());
        QVERIFY2(!r.body.contains("another-secret-9"), path.constData());
    }
    const QByteArray status = exchange(server.port(), get("/status")).body;
    QVERIFY(status.contains("Access denied (password ***)"));
    QVERIFY(status.contains(settings.source.displayName().toUtf8())); // user@host:port/db is fine
}

void TestHealth::hostileInputIsAnsweredAndServingGoesOn_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status"); // the answer expected; 0: being closed without one is fine too
    QTest::addColumn<bool>("mayJustClose");
    QByteArray garbage(4096, Qt::Uninitialized);
    QRandomGenerator random(4711);
    for (char &c : garbage)
        c = char(random.bounded(256));
    garbage[5] = '\n'; // so that it is a malformed request line rather than an unfinished one
    QTest::newRow("garbage bytes") << garbage << 400 << true;
    QTest::newRow("TLS handshake") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400 << true;
    QTest::newRow("1 MB header") << "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(1 << 20, 'a') + "\r\n\r\n"
                                 << 431 << true;
    QTest::newRow("many headers") << "GET / HTTP/1.1\r\n" + QByteArray("X-Header: value\r\n").repeated(2000) + "\r\n"
                                  << 431 << true;
    QTest::newRow("64 KiB request line") << "GET /" + QByteArray(64 * 1024, 'a') + " HTTP/1.1\r\n\r\n" << 414 << true;
    QTest::newRow("unknown method") << get("/", "BREW") << 405 << false;
    QTest::newRow("POST with a body") << QByteArray("POST /status HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") << 405
                                      << false;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400 << false;
    QTest::newRow("HTTP/3.0") << QByteArray("GET / HTTP/3.0\r\n\r\n") << 505 << false;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400 << false;
    QTest::newRow("target without slash") << QByteArray("GET status HTTP/1.1\r\n\r\n") << 400 << false;
    QTest::newRow("empty request") << QByteArray("\r\n\r\n") << 400 << false;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400 << false;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n") << 400 << false;
    QTest::newRow("NUL in a header") << QByteArray("GET / HTTP/1.1\r\nX-A: a") + '\0' + "b\r\n\r\n" << 400 << false;
    QTest::newRow("body on GET") << QByteArray("GET / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody") << 400 << false;
    QTest::newRow("chunked") << QByteArray("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400
                             << false;
    QTest::newRow("pipelined") << get("/") + get("/status") << 400 << false;
}

void TestHealth::hostileInputIsAnsweredAndServingGoesOn()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(bool, mayJustClose);
    const HttpResult r = exchange(m_port, request);
    QVERIFY2(r.closed, "the server must close the connection, not leave it hanging");
    if (!(mayJustClose && r.status == 0)) {
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("connection"), QByteArray("close"));
    }
    expectServing();
}

void TestHealth::stalledHalfRequestTimesOut()
{
    QTcpSocket stalled;
    stalled.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(stalled.waitForConnected(5000));
    stalled.write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the empty line
    QVERIFY(stalled.waitForBytesWritten(5000));

    // Others are served meanwhile.
    expectServing();
    QCOMPARE(stalled.state(), QAbstractSocket::ConnectedState);

    // Then the stalled client gets 408 and is closed once the head timeout has passed.
    QElapsedTimer timer;
    timer.start();
    QByteArray raw;
    QTRY_VERIFY_WITH_TIMEOUT((raw += stalled.readAll(), stalled.state() == QAbstractSocket::UnconnectedState), 10000);
    raw += stalled.readAll();
    QVERIFY2(raw.startsWith("HTTP/1.1 408 "), raw.constData());
    QVERIFY(timer.elapsed() < 5000);
    expectServing();
}

void TestHealth::manyParallelConnections()
{
    constexpr int kClients = 50;
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    QList<QByteArray> answers(kClients);
    for (int i = 0; i < kClients; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        connect(s, &QTcpSocket::connected, s, [s, i] { s->write(get(i % 2 ? "/status" : "/metrics")); });
        connect(s, &QTcpSocket::readyRead, s, [s, i, &answers] { answers[i] += s->readAll(); });
        s->connectToHost(QHostAddress::LocalHost, m_port);
        clients.push_back(std::move(socket));
    }
    auto allClosed = [&] {
        return std::all_of(clients.begin(), clients.end(),
                           [](const auto &s) { return s->state() == QAbstractSocket::UnconnectedState; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allClosed(), 30000);
    for (int i = 0; i < kClients; ++i) {
        answers[i] += clients[i]->readAll();
        QVERIFY2(answers[i].startsWith("HTTP/1.1 200 "),
                 qPrintable(QString::number(i) + u": "_qs + QString::fromUtf8(answers[i].left(100))));
    }
    expectServing();
    QTRY_COMPARE(m_server->activeConnections(), 0);
}

void TestHealth::stalledClientsMakeRoomWhenFull()
{
    // A server of its own with few slots, so that filling them is quick and the timing plain.
    HttpLimits limits = testLimits();
    limits.maxConnections = 8;
    limits.stalledAfter = 1000ms;
    limits.headTimeout = 3000ms;
    HealthServer server(*m_board, limits);
    QString error;
    QVERIFY2(server.listen(u"127.0.0.1"_qs, 0, error), qPrintable(error));

    // Every slot taken by a client that connects and says nothing (a slowloris).
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < limits.maxConnections; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress::LocalHost, server.port());
    }
    QTRY_COMPARE(server.activeConnections(), limits.maxConnections);
    // While they are fresh, a newcomer is told the server is busy...
    const HttpResult busy = exchange(server.port(), get("/"));
    QCOMPARE(busy.status, 503);
    QVERIFY(busy.closed);
    // ...and once they have been silent a while, the longest-silent one makes room.
    QTest::qWait(int(limits.stalledAfter.count()) + 100);
    const HttpResult served = exchange(server.port(), get("/"));
    QCOMPARE(served.status, 200);
    QCOMPARE(served.body, QByteArray("We are Groot!"));
    // The silent ones are all gone after the head timeout, and the server is free again.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(silent.begin(), silent.end(),
                                         [](const auto &s) { return s->state() == QAbstractSocket::UnconnectedState; }),
                             10000);
    QTRY_COMPARE(server.activeConnections(), 0);
    QCOMPARE(exchange(server.port(), get("/healthz")).status, 200);
}

void TestHealth::dashboardRendersInHeadlessChromium()
{
    const RenderedPage page = renderInChromium(QStringLiteral("http://127.0.0.1:%1/dashboard").arg(m_port));
    QVERIFY2(page.ok, qPrintable(page.log));
    const QString &dom = page.dom;
    QVERIFY2(dom.contains(u"<title>tablesync dashboard</title>"_qs), qPrintable(page.log));
    // The table names come only from /status: finding them means the page fetched and rendered it.
    for (const QString &table : {u"customers"_qs, u"products"_qs, u"missing"_qs})
        QVERIFY2(dom.contains(u"<div class=\"name\">"_qs + table + u"</div>"_qs), qPrintable(dom.right(3000)));
    QVERIFY(dom.contains(u"Synced"_qs));
    QVERIFY(dom.contains(u"Failed"_qs));
    QVERIFY(dom.contains(u"Healthy"_qs));
    QVERIFY(dom.contains(u"Source pool status - Size: "_qs));
    // The incremental table's view of the source's open transactions (other tests may hold one).
    QVERIFY(dom.contains(u"<th>Source writers</th>"_qs));
    QVERIFY2(dom.contains(u"none open"_qs) || dom.contains(u"oldest open "_qs), qPrintable(dom.right(3000)));
    // The "cannot reach the server" banner stays hidden (its text is in the page's script anyway).
    QVERIFY(dom.contains(u"<div id=\"banner\" class=\"banner\" role=\"alert\" hidden=\"\">"_qs));
}

void TestHealth::binaryServesHealthAndSyncsDespiteATakenPort()
{
    const QString binary = qEnvironmentVariable("TABLESYNC_BINARY");
    QVERIFY2(QFile::exists(binary), "TABLESYNC_BINARY must name the built tablesync");
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u".env"_qs), connectionEnv(m_db->settings) + "INTERVAL=3600\n"));
    QFile tables(dir.filePath(u"tables.json"_qs));
    QVERIFY(tables.open(QIODevice::WriteOnly));
    tables.write(R"([{"table": "products", "primary_key": "sku"}])");
    tables.close();

    // A port someone else has (the desktop app, say): the service says so and syncs all the same,
    // then takes the port once it is free.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = squatter.serverPort();
    {
        QProcess blocked;
        blocked.setWorkingDirectory(dir.path());
        blocked.start(binary, {u"--headless"_qs, u"--health-port"_qs, QString::number(taken)});
        QVERIFY(blocked.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += blocked.readAllStandardOutput(), out.contains("next run in")), 60000);
        QVERIFY2(out.contains(
                     QByteArray("warning: health server: cannot listen on 127.0.0.1:" + QByteArray::number(taken))) &&
                     out.contains("already in use") && out.contains("Syncing goes on without it"),
                 out.constData());
        QVERIFY2(out.contains("1 of 1 table(s) synced"), out.constData());
        squatter.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += blocked.readAllStandardOutput(),
             out.contains(QByteArray("health server on http://127.0.0.1:" + QByteArray::number(taken)))),
            20000);
        QTRY_VERIFY(exchange(taken, get("/")).body.contains("We are Groot!"));
        ::kill(pid_t(blocked.processId()), SIGTERM);
        QVERIFY(blocked.waitForFinished(30000));
        QCOMPARE(blocked.exitCode(), 0);
    }
    // A single pass starts no health server at all.
    QVERIFY(squatter.listen(QHostAddress::LocalHost, taken));
    QProcess once;
    once.setWorkingDirectory(dir.path());
    once.start(binary, {u"--headless"_qs, u"--once"_qs, u"--health-port"_qs, QString::number(taken)});
    QVERIFY(once.waitForFinished(60000));
    QCOMPARE(once.exitCode(), 0);
    QVERIFY(!once.readAllStandardOutput().contains("health server"));

    // A free port: the service answers on it, and SIGTERM still ends it cleanly.
    const quint16 port = taken;
    squatter.close();
    QProcess service;
    service.setWorkingDirectory(dir.path());
    service.start(binary, {u"--headless"_qs, u"--health-port"_qs, QString::number(port)});
    QVERIFY(service.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += service.readAllStandardOutput(), out.contains("next run in")), 60000);
    const QByteArray listening = "health server on http://127.0.0.1:" + QByteArray::number(port);
    QVERIFY2(out.contains(listening), out.constData());
    const HttpResult root = exchange(port, get("/"));
    QCOMPARE(root.status, 200);
    QCOMPARE(root.body, QByteArray("We are Groot!"));
    const QJsonObject status = QJsonDocument::fromJson(exchange(port, get("/status")).body).object();
    QCOMPARE(status[u"tables"_qs][0][u"rows_this_run"_qs].toInteger(), 40);
    QCOMPARE(exchange(port, get("/healthz")).status, 200);
    ::kill(pid_t(service.processId()), SIGTERM);
    QVERIFY(service.waitForFinished(30000));
    QCOMPARE(service.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestHealth)
#include "tst_health.moc"
