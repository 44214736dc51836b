// Error recovery on real servers: connections killed in the middle of a table, a target server
// restarted during a sync, and a run cancelled half-way. Runs alone (RUN_SERIAL): it restarts
// the shared target server.
#include "TestSandbox.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

namespace {
QString sandboxScript()
{
    return qEnvironmentVariable("TABLESYNC_SOURCE_DIR") + u"/tests/support/sandbox.sh"_qs;
}

// Runs a command of tests/support/sandbox.sh (stop-source, kill-target, ...) to its end.
bool sandbox(const QString &command)
{
    QProcess process;
    process.start(u"bash"_qs, {sandboxScript(), command});
    return process.waitForFinished(120000) && process.exitCode() == 0;
}
} // namespace

class TestRecovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void connectionsKilledBetweenBatchesAreRetried_data();
    void connectionsKilledBetweenBatchesAreRetried();
    void targetServerRestartedDuringASync();
    void targetServerKilledMidBatchLeavesOnlyWholeBatchesBehindTheCursor();
    void targetServerKilledAndRestartedDuringASyncIsRetried();
    void cancelledRunLeavesConsistentStateAndTheNextCompletesIt();
    void permanentErrorsFailAtOnce();
    void sourceDownLongerThanRetriesTurnsUnhealthyAndRecovers();

private:
    void createTable(const QString &name, int rows);
    // Runs one pass and calls `duringRun` once, after the third committed batch.
    RunOutcome runWithHook(Settings settings, const QList<TableSpec> &tables,
                           const std::function<void(SyncEngine &)> &duringRun);
    void expectIdentical(const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestRecovery::init()
{
    m_db = std::make_unique<SandboxPair>(u"recovery"_qs);
}

void TestRecovery::createTable(const QString &name, int rows)
{
    m_db->source->exec(u"CREATE TABLE "_qs + name +
                       u" (id INT PRIMARY KEY, v VARCHAR(100), m DATETIME(6) NOT NULL, KEY (m))"_qs);
    m_db->source->exec(
        u"INSERT INTO "_qs + name +
        QStringLiteral(" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                       "SELECT i, REPEAT('x', i MOD 100), TIMESTAMPADD(MICROSECOND, i, '2024-01-01') FROM n")
            .arg(rows));
}

void TestRecovery::expectIdentical(const QString &table)
{
    const auto source = m_db->source->dump(table, u"id"_qs);
    const auto target = m_db->target->dump(table, u"id"_qs);
    QCOMPARE(target.size(), source.size());
    QVERIFY(target == source);
}

RunOutcome TestRecovery::runWithHook(Settings settings, const QList<TableSpec> &tables,
                                     const std::function<void(SyncEngine &)> &duringRun)
{
    settings.tables = tables;
    SyncEngine engine(settings);
    RunOutcome outcome;
    bool hooked = false;
    QObject::connect(&engine, &SyncEngine::tableMessage, [&](const QString &table, const QString &message) {
        outcome.messages << u'[' + table + u"] "_qs + message;
    });
    int batches = 0;
    QObject::connect(&engine, &SyncEngine::batchCommitted, [&] {
        // The third batch: with parallel writers, they are at work by then.
        if (++batches == 3 && !hooked) {
            hooked = true;
            duringRun(engine);
        }
    });
    QObject::connect(&engine, &SyncEngine::runFinished, [&](const RunSummary &s) { outcome.summary = s; });
    QSignalSpy finished(&engine, &SyncEngine::runFinished);
    engine.runOnce();
    if (!finished.wait(300000))
        qFatal("the run did not finish");
    return outcome;
}

void TestRecovery::connectionsKilledBetweenBatchesAreRetried_data()
{
    QTest::addColumn<int>("copyWriters");
    QTest::newRow("one thread") << 0;
    QTest::newRow("parallel writers") << 2;
}

void TestRecovery::connectionsKilledBetweenBatchesAreRetried()
{
    QFETCH(int, copyWriters);
    Settings settings = m_db->settings;
    settings.copyWriters = copyWriters;
    createTable(u"k"_qs, 30000);
    RunOutcome run = runWithHook(settings, {tableSpec(u"k"_qs, {u"id"_qs}, u"m"_qs, 500)}, [&](SyncEngine &) {
        // Every tablesync connection to the target but our own dies now.
        QSqlQuery ids = m_db->target->connection().select(
            u"SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'tablesync' AND ID <> CONNECTION_ID()"_qs, {},
            u"listing connections"_qs);
        while (ids.next()) {
            try {
                m_db->target->exec(u"KILL CONNECTION "_qs + ids.value(0).toString());
            } catch (const DbError &e) {
                if (e.nativeCode() != 1094) // ended by itself since the list was read (Unknown thread id)
                    throw;
            }
        }
    });
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.summary.tables[0].attempts >= 2, qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"transient error, retrying"_qs), qPrintable(run.log()));
    expectIdentical(u"k"_qs);
}

void TestRecovery::targetServerRestartedDuringASync()
{
    createTable(u"r"_qs, 150000);
    QProcess restart;
    RunOutcome run = runWithHook(m_db->settings, {tableSpec(u"r"_qs, {u"id"_qs}, u"m"_qs, 500)}, [&](SyncEngine &) {
        restart.start(u"bash"_qs, {sandboxScript(), u"restart-target"_qs});
    });
    if (restart.state() != QProcess::NotRunning)
        QVERIFY(restart.waitForFinished(60000));
    QCOMPARE(restart.exitStatus(), QProcess::NormalExit);
    QCOMPARE(restart.exitCode(), 0);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"transient error, retrying"_qs), qPrintable(run.log())); // it did go down mid-run
    m_db->target = std::make_unique<TestDb>(m_db->settings.target);                       // ours died with the server
    expectIdentical(u"r"_qs);
}

// SIGKILL, as a crash or the OOM killer would. With retries off the table fails at once, so the
// state the crash left can be inspected once the server has recovered.
void TestRecovery::targetServerKilledMidBatchLeavesOnlyWholeBatchesBehindTheCursor()
{
    createTable(u"tk"_qs, 150000);
    const QList<QStringList> sourceRows = m_db->source->dump(u"tk"_qs, u"id"_qs);
    Settings settings = m_db->settings;
    settings.retries = 0;
    settings.copyWriters = 0; // one writer: the committed batches are exactly a prefix
    RunOutcome run = runWithHook(settings, {tableSpec(u"tk"_qs, {u"id"_qs}, u"m"_qs, 500)},
                                 [&](SyncEngine &) { QVERIFY(sandbox(u"kill-target"_qs)); });
    QCOMPARE(run.summary.tables.size(), 1);
    QVERIFY2(run.summary.tables[0].outcome == TableOutcome::Failed, qPrintable(run.log()));
    QVERIFY(sandbox(u"start-target"_qs));
    m_db->target = std::make_unique<TestDb>(m_db->settings.target); // ours died with the server

    // Whole batches of 500, a prefix of the source rows, and the stored start not past what was
    // committed (it may be before it: a safe start, SafeCursor.h).
    const qint64 committed = m_db->target->count(u"tk"_qs);
    QVERIFY2(committed >= 1000 && committed < 150000, qPrintable(QString::number(committed)));
    QCOMPARE(committed % 500, 0);
    const QString cursor = m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString();
    QVERIFY(m_db->source->scalar(u"SELECT COUNT(*) FROM tk WHERE m < ?"_qs, {cursor}).toLongLong() <= committed);
    QVERIFY(m_db->target->dump(u"tk"_qs, u"id"_qs) == sourceRows.mid(0, committed));

    RunOutcome rerun = runSync(m_db->settings, {tableSpec(u"tk"_qs, {u"id"_qs}, u"m"_qs, 500)});
    QVERIFY2(rerun.summary.allSucceeded(), qPrintable(rerun.log()));
    expectIdentical(u"tk"_qs);
}

void TestRecovery::targetServerKilledAndRestartedDuringASyncIsRetried()
{
    createTable(u"tr"_qs, 150000);
    QProcess crash;
    RunOutcome run = runWithHook(m_db->settings, {tableSpec(u"tr"_qs, {u"id"_qs}, u"m"_qs, 500)}, [&](SyncEngine &) {
        crash.start(u"bash"_qs,
                    {u"-c"_qs, u"\"$0\" kill-target && sleep 1 && \"$0\" start-target"_qs, sandboxScript()});
    });
    if (crash.state() != QProcess::NotRunning)
        QVERIFY(crash.waitForFinished(120000));
    QCOMPARE(crash.exitCode(), 0);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"transient error, retrying"_qs), qPrintable(run.log())); // it did go down mid-run
    m_db->target = std::make_unique<TestDb>(m_db->settings.target);
    expectIdentical(u"tr"_qs);
}

void TestRecovery::cancelledRunLeavesConsistentStateAndTheNextCompletesIt()
{
    createTable(u"c"_qs, 50000);
    createTable(u"f"_qs, 50000);
    const QList<TableSpec> tables{tableSpec(u"c"_qs, {u"id"_qs}, u"m"_qs, 500),
                                  tableSpec(u"f"_qs, {u"id"_qs}, {}, 500)};
    RunOutcome cancelled = runWithHook(m_db->settings, tables, [](SyncEngine &engine) { engine.requestStop(); });
    for (const TableResult &t : cancelled.summary.tables)
        QVERIFY2(t.outcome == TableOutcome::Stopped, qPrintable(t.table + u": "_qs + t.error));
    // Incremental: every row up to the stored progress is committed.
    const auto [committed, binds] = committedPrefix(*m_db->target, u"m"_qs, u"id"_qs);
    const QString countCommitted = u"SELECT COUNT(*) FROM c WHERE "_qs + committed;
    QCOMPARE(m_db->target->scalar(countCommitted, binds).toLongLong(),
             m_db->source->scalar(countCommitted, binds).toLongLong());
    QVERIFY(m_db->target->count(u"c"_qs) < 50000);
    // Full refresh: no half table was swapped in, and no staging table is left.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '\\_ts%'"_qs)
                 .toInt(),
             0);
    QCOMPARE(m_db->target->count(u"f"_qs), 0); // created empty by schema sync, never swapped

    RunOutcome next = runSync(m_db->settings, tables);
    QVERIFY2(next.summary.allSucceeded(), qPrintable(next.log()));
    expectIdentical(u"c"_qs);
    expectIdentical(u"f"_qs);
}

void TestRecovery::permanentErrorsFailAtOnce()
{
    Settings settings = m_db->settings;
    settings.target.password = u"wrong"_qs;
    m_db->source->exec(u"CREATE TABLE p (id INT PRIMARY KEY)"_qs);
    QElapsedTimer timer;
    timer.start();
    RunOutcome run = runSync(settings, {tableSpec(u"p"_qs, {u"id"_qs})});
    QCOMPARE(run.summary.tables.size(), 1);
    QCOMPARE(run.summary.tables[0].outcome, TableOutcome::Failed);
    QCOMPARE(run.summary.tables[0].attempts, 1);
    QVERIFY2(run.summary.tables[0].error.contains(u"Access denied"_qs), qPrintable(run.summary.tables[0].error));
    QVERIFY(!run.summary.tables[0].error.contains(u"wrong"_qs)); // the password never shows
    QVERIFY(timer.elapsed() < 5000);
}

// The source down for longer than the retry budget: every run fails clearly, /healthz turns 503,
// and when the server is back the service recovers by itself, without a restart.
void TestRecovery::sourceDownLongerThanRetriesTurnsUnhealthyAndRecovers()
{
    createTable(u"down"_qs, 1000);
    QTemporaryDir dir;
    const int healthPort = freePort();
    QVERIFY(writeFile(dir.filePath(u".env"_qs), connectionEnv(m_db->settings) +
                                                    "INTERVAL=1\nSYNC_RETRIES=0\nDB_CONNECT_TIMEOUT=2\nHEALTH_PORT=" +
                                                    QByteArray::number(healthPort) + "\n"));
    QFile tables(dir.filePath(u"tables.json"_qs));
    QVERIFY(tables.open(QIODevice::WriteOnly));
    tables.write(R"([{"table": "down", "primary_key": "id", "modifier": "m"}])");
    tables.close();

    const auto healthz = [healthPort] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(healthPort));
        if (!socket.waitForConnected(2000))
            return QByteArray();
        socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray answer;
        while (socket.waitForReadyRead(2000))
            answer += socket.readAll();
        return answer;
    };

    // -1 until the service has created the table.
    const auto targetRows = [this]() -> qint64 {
        try {
            return m_db->target->count(u"down"_qs);
        } catch (const DbError &) {
            return -1;
        }
    };
    QProcess service;
    service.setWorkingDirectory(dir.path());
    service.setProcessChannelMode(QProcess::MergedChannels);
    service.start(qEnvironmentVariable("TABLESYNC_BINARY"), {u"--headless"_qs});
    QVERIFY(service.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(healthz().startsWith("HTTP/1.1 200"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(targetRows(), 1000, 20000);

    QVERIFY(sandbox(u"stop-source"_qs));
    QByteArray unhealthy;
    QTRY_VERIFY_WITH_TIMEOUT((unhealthy = healthz()).startsWith("HTTP/1.1 503"), 60000);
    QVERIFY2(unhealthy.contains("down"), unhealthy.constData()); // the reason names the table

    QVERIFY(sandbox(u"start-source"_qs));
    m_db->source = std::make_unique<TestDb>(m_db->settings.source); // ours died with the server
    m_db->source->exec(u"INSERT INTO down VALUES (5000, 'after the outage', '2030-01-01')"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(healthz().startsWith("HTTP/1.1 200"), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(targetRows(), 1001, 30000);

    service.terminate();
    QVERIFY(service.waitForFinished(30000));
    const QString log = QString::fromUtf8(service.readAll());
    QVERIFY2(log.contains(u"[down] FAILED: cannot connect to the source server"_qs), qPrintable(log.right(3000)));
    QCOMPARE(service.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestRecovery)
#include "tst_recovery.moc"
