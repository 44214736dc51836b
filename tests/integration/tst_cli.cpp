// The tablesync binary as users run it: exit statuses, configuration errors, a kill -9 in the
// middle of a large incremental load, and a clean stop on SIGTERM.
#include "TestSandbox.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace tablesync;
using namespace tablesync::test;

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void versionAndHelp();
    void badConfigurationExitsWithTwo_data();
    void badConfigurationExitsWithTwo();
    void failingTableExitsWithOneAndOthersSync();
    void refusedLoginIsTriedOnceAndExitsWithTwo();
    void refusedLoginBacksOffInTheService();
    void missingGrantExitsWithTwo();
    void logSaysWhatHappensInWords();
    void killedDuringIncrementalLoadConvergesOnRerun();
    void sigtermStopsCleanly();

private:
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Result run(const QStringList &arguments, int timeoutMs = 120000);
    void writeFile(const QString &name, const QByteArray &content);
    void writeEnv();
    void createBigTable(int rows);
    // A source account, and an .env with the wrong password for it and `tables` tables.
    void writeEnvWithWrongSourcePassword(int tables);
    qint64 accessDeniedSoFar()
    {
        return m_db->source
            ->scalar(u"SELECT VARIABLE_VALUE FROM "
                     "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
                     "'ACCESS_DENIED_ERRORS'"_qs)
            .toLongLong();
    }

    QString m_binary;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxPair> m_db;
};

void TestCli::initTestCase()
{
    m_binary = qEnvironmentVariable("TABLESYNC_BINARY");
    QVERIFY2(QFile::exists(m_binary), "TABLESYNC_BINARY must name the built tablesync");
}

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = std::make_unique<SandboxPair>(u"cli"_qs);
    writeEnv();
}

void TestCli::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(m_dir->filePath(name));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

void TestCli::writeEnv()
{
    writeFile(u".env"_qs, connectionEnv(m_db->settings) +
                              "FETCH_LIMIT=1\nINTERVAL=0\nHEALTH_PORT=" + QByteArray::number(freePort()) + "\n");
}

TestCli::Result TestCli::run(const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.start(m_binary, arguments);
    Result result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestCli::versionAndHelp()
{
    Result version = run({u"--version"_qs});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(u"tablesync 0."_qs));
    Result help = run({u"--help"_qs});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"--headless"_qs));
    QVERIFY(help.out.contains(u"Exit status"_qs));
}

void TestCli::badConfigurationExitsWithTwo_data()
{
    QTest::addColumn<QByteArray>("tablesJson");
    QTest::addColumn<QStringList>("extraArguments");
    QTest::addColumn<QString>("expectedError");
    const QByteArray good = R"([{"table": "t", "primary_key": "id"}])";
    QTest::newRow("unknown option") << good << QStringList{u"--bogus"_qs} << u"unknown option --bogus"_qs;
    QTest::newRow("bad interval") << good << QStringList{u"--interval"_qs, u"soon"_qs} << u"--interval"_qs;
    QTest::newRow("missing tables file") << QByteArray() << QStringList{} << u"tables.json"_qs;
    QTest::newRow("invalid json") << QByteArray("[{\"table\": ") << QStringList{} << u"tables.json, line 1"_qs;
    QTest::newRow("modifier without primary_key")
        << QByteArray(R"([{"table": "t", "modifier": "m"}])") << QStringList{} << u"entry 1 (t)"_qs;
    QTest::newRow("unknown key") << QByteArray(R"([{"table": "t", "primary_key": "id", "modifer": "m"}])")
                                 << QStringList{} << u"modifer"_qs;
    QTest::newRow("unknown --table") << good << QStringList{u"--table"_qs, u"nope"_qs} << u"--table nope"_qs;
    QTest::newRow("missing env file") << good << QStringList{u"--env"_qs, u"/nonexistent/.env"_qs}
                                      << u"/nonexistent/.env"_qs;
}

void TestCli::badConfigurationExitsWithTwo()
{
    QFETCH(QByteArray, tablesJson);
    QFETCH(QStringList, extraArguments);
    QFETCH(QString, expectedError);
    if (!tablesJson.isEmpty())
        writeFile(u"tables.json"_qs, tablesJson);
    Result r = run(QStringList{u"--headless"_qs, u"--once"_qs} + extraArguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(expectedError), qPrintable(r.err));
    QVERIFY2(!r.err.contains(m_db->settings.source.password + u'\n') || m_db->settings.source.password.isEmpty(),
             "the password must not be printed");
}

void TestCli::failingTableExitsWithOneAndOthersSync()
{
    m_db->source->exec(u"CREATE TABLE ok (id INT PRIMARY KEY, v VARCHAR(10))"_qs);
    m_db->source->exec(u"INSERT INTO ok VALUES (1, 'ä'), (2, 'b')"_qs);
    writeFile(u"tables.json"_qs, R"([{"table": "missing", "primary_key": "id", "modifier": "m"},
                                     {"table": "ok", "primary_key": ["id"]}])");
    Result r = run({u"--headless"_qs, u"--once"_qs});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(u"[missing] FAILED: tables.json entry 1 (missing): table missing does not exist"_qs),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(u"FETCH_LIMIT"_qs), qPrintable(r.out)); // the raised minimum is logged
    QCOMPARE(m_db->target->count(u"ok"_qs), 2);
    QVERIFY(!r.out.contains(u"password"_qs, Qt::CaseInsensitive));
}

void TestCli::writeEnvWithWrongSourcePassword(int tables)
{
    Settings settings = withSelectOnlySourceUser(*m_db, u"cli_refused"_qs);
    settings.source.password = u"not-the-password"_qs;
    writeFile(u".env"_qs, connectionEnv(settings) +
                              "INTERVAL=0\nSYNC_WORKERS=4\nHEALTH_PORT=" + QByteArray::number(freePort()) + "\n");
    QByteArray json = "[";
    for (int i = 0; i < tables; ++i)
        json +=
            (i ? ",\n" : "\n") + QByteArray(R"({"table": "t)") + QByteArray::number(i) + R"(", "primary_key": "id"})";
    writeFile(u"tables.json"_qs, json + "\n]");
}

// A wrong password is a configuration problem: status 2, a sentence saying what to check, and one
// failed login for the whole run, not one per table (each counts towards an account lockout).
// ACCESS_DENIED_ERRORS counts the whole server: other tests' denials meanwhile fit in the margin,
// while a login per table would be 20.
void TestCli::refusedLoginIsTriedOnceAndExitsWithTwo()
{
    writeEnvWithWrongSourcePassword(20);
    const qint64 before = accessDeniedSoFar();
    const Result r = run({u"--once"_qs});
    const qint64 refusals = accessDeniedSoFar() - before;
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(refusals >= 1 && refusals <= 4, qPrintable(QString::number(refusals)));
    QVERIFY2(r.out.contains(u"error: the source server cli_refused@127.0.0.1:"_qs) &&
                 r.out.contains(u"refused the login (Access denied for user 'cli_refused'"_qs) &&
                 r.out.contains(u"check SOURCE_DB_USER and SOURCE_DB_PASS"_qs),
             qPrintable(r.out));
    QVERIFY(!r.out.contains(u"not-the-password"_qs));
}

// The service does not try a refused login again at every interval: it waits 5 minutes, and says so.
void TestCli::refusedLoginBacksOffInTheService()
{
    writeEnvWithWrongSourcePassword(5);
    const qint64 before = accessDeniedSoFar();
    QProcess service;
    service.setWorkingDirectory(m_dir->path());
    service.start(m_binary, {u"--headless"_qs, u"--interval"_qs, u"1"_qs});
    QVERIFY(service.waitForStarted());
    QByteArray out;
    QDeadlineTimer deadline(4000); // four intervals
    while (!deadline.hasExpired() && service.state() == QProcess::Running) {
        service.waitForReadyRead(200);
        out += service.readAllStandardOutput();
    }
    const qint64 refusals = accessDeniedSoFar() - before;
    ::kill(pid_t(service.processId()), SIGTERM);
    QVERIFY(service.waitForFinished(30000));
    out += service.readAllStandardOutput();
    QVERIFY2(refusals >= 1 && refusals <= 4, qPrintable(QString::number(refusals))); // 4 runs x 5 tables before
    QCOMPARE(out.count(" started: 5 table(s)"), 1);
    QVERIFY2(out.contains("next run in 300 s: after a refused login"), out.constData());
}

// Logged in, but without a grant a table needs: also status 2, naming the table and the grant.
void TestCli::missingGrantExitsWithTwo()
{
    m_db->source->exec(u"CREATE TABLE granted (id INT PRIMARY KEY)"_qs);
    m_db->source->exec(u"INSERT INTO granted VALUES (1)"_qs);
    // A target account that may write only into its database's existing tables: no CREATE.
    const QString account = u"'cli_nocreate'@'127.0.0.1'"_qs;
    m_db->target->exec(u"DROP USER IF EXISTS "_qs + account);
    m_db->target->exec(u"CREATE USER "_qs + account + u" IDENTIFIED BY 'cli_nocreate'"_qs);
    m_db->target->exec(u"GRANT SELECT, INSERT, UPDATE, DELETE ON `"_qs + m_db->settings.target.database +
                       u"`.* TO "_qs + account);
    Settings settings = m_db->settings;
    settings.target.user = settings.target.password = u"cli_nocreate"_qs;
    writeFile(u".env"_qs, connectionEnv(settings) + "INTERVAL=0\nHEALTH_PORT=" + QByteArray::number(freePort()) + "\n");
    writeFile(u"tables.json"_qs, R"([{"table": "granted", "primary_key": "id"}])");
    const Result r = run({u"--once"_qs});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(u"error: [granted] the account lacks a privilege"_qs) &&
                 r.out.contains(u"CREATE command denied to user 'cli_nocreate'"_qs),
             qPrintable(r.out));
}

// No errno numbers to look up, and a verification's log does not speak of syncing.
void TestCli::logSaysWhatHappensInWords()
{
    m_db->source->exec(u"CREATE TABLE said (id INT PRIMARY KEY)"_qs);
    m_db->source->exec(u"INSERT INTO said VALUES (1)"_qs);
    writeFile(u"tables.json"_qs, R"([{"table": "said", "primary_key": "id"}])");
    QCOMPARE(run({u"--once"_qs}).exitCode, 0);
    const Result verify = run({u"--once"_qs, u"--verify"_qs});
    QCOMPARE(verify.exitCode, 0);
    QVERIFY2(verify.out.contains(u"[said] verification started"_qs) && !verify.out.contains(u"sync started"_qs),
             qPrintable(verify.out));

    Settings closed = m_db->settings;
    closed.source.port = freePort(); // nothing listens there
    writeFile(u".env"_qs, connectionEnv(closed) + "INTERVAL=0\nSYNC_RETRIES=0\n");
    const Result refused = run({u"--once"_qs});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(
        refused.out.contains(QStringLiteral("nothing accepts connections on 127.0.0.1:%1").arg(closed.source.port)),
        qPrintable(refused.out));
}

void TestCli::createBigTable(int rows)
{
    m_db->source->exec(u"CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(200), m DATETIME(6) NOT NULL, "
                       "KEY (m))"_qs);
    m_db->source->exec(QStringLiteral("INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                      "WHERE i < %1) SELECT i, REPEAT(CONCAT('payload ', i), 5), "
                                      "TIMESTAMPADD(MICROSECOND, i * 10, '2024-01-01') FROM n")
                           .arg(rows));
}

void TestCli::killedDuringIncrementalLoadConvergesOnRerun()
{
    constexpr int kRows = 150000;
    createBigTable(kRows);
    writeFile(u"tables.json"_qs, R"([{"table": "big", "primary_key": "id", "modifier": "m", "batch_size": 1000}])");

    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.start(m_binary, {u"--headless"_qs, u"--once"_qs});
    QVERIFY(process.waitForStarted());
    QByteArray out;
    // Wait until a few batches are committed, then kill it without warning.
    while (out.count("batch committed") < 5 && process.state() == QProcess::Running) {
        process.waitForReadyRead(10000);
        out += process.readAllStandardOutput();
    }
    QVERIFY2(process.state() == QProcess::Running, "the load finished before it could be killed");
    ::kill(pid_t(process.processId()), SIGKILL);
    process.waitForFinished();

    const qint64 partial = m_db->target->count(u"big"_qs);
    QVERIFY2(partial >= 5000 && partial < kRows, qPrintable(QString::number(partial)));
    // The stored progress is never ahead of the committed rows: every source row up to it is there.
    const auto [committed, binds] = committedPrefix(*m_db->target, u"m"_qs, u"id"_qs);
    QVERIFY(committed != u"FALSE"_qs);
    const QString countCommitted = u"SELECT COUNT(*) FROM big WHERE "_qs + committed;
    QVERIFY(m_db->source->scalar(countCommitted, binds).toLongLong() > 0);
    QCOMPARE(m_db->target->scalar(countCommitted, binds).toLongLong(),
             m_db->source->scalar(countCommitted, binds).toLongLong());

    Result rerun = run({u"--headless"_qs, u"--once"_qs}, 300000);
    QCOMPARE(rerun.exitCode, 0);
    QCOMPARE(m_db->target->count(u"big"_qs), kRows);
    QCOMPARE(m_db->target->dump(u"big"_qs, u"id"_qs), m_db->source->dump(u"big"_qs, u"id"_qs));
}

void TestCli::sigtermStopsCleanly()
{
    createBigTable(100000);
    writeFile(u"tables.json"_qs, R"([{"table": "big", "primary_key": "id", "modifier": "m", "batch_size": 1000}])");
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.start(m_binary, {u"--headless"_qs, u"--interval"_qs, u"3600"_qs});
    QVERIFY(process.waitForStarted());
    QByteArray out;
    while (out.count("batch committed") < 3 && process.state() == QProcess::Running) {
        process.waitForReadyRead(10000);
        out += process.readAllStandardOutput();
    }
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(30000));
    out += process.readAllStandardOutput();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(out.contains("stopped after"), out.constData());
    // What was committed is consistent with the stored progress, and a rerun completes the table.
    const auto [committed, binds] = committedPrefix(*m_db->target, u"m"_qs, u"id"_qs);
    const QString countCommitted = u"SELECT COUNT(*) FROM big WHERE "_qs + committed;
    QCOMPARE(m_db->target->scalar(countCommitted, binds).toLongLong(),
             m_db->source->scalar(countCommitted, binds).toLongLong());
    QCOMPARE(run({u"--headless"_qs, u"--once"_qs}, 300000).exitCode, 0);
    QCOMPARE(m_db->target->count(u"big"_qs), 100000);

    // A verification stopped part way proves nothing about the rest: status 1, never 0 ("identical").
    QProcess verify;
    verify.setWorkingDirectory(m_dir->path());
    verify.start(m_binary, {u"--headless"_qs, u"--once"_qs, u"--verify"_qs});
    QVERIFY(verify.waitForStarted());
    QByteArray verifyOut;
    while (!verifyOut.contains("row(s) so far") && verify.state() == QProcess::Running) {
        verify.waitForReadyRead(10000);
        verifyOut += verify.readAllStandardOutput();
    }
    QVERIFY2(verify.state() == QProcess::Running, "the verification finished before it could be stopped");
    ::kill(pid_t(verify.processId()), SIGTERM);
    QVERIFY(verify.waitForFinished(30000));
    verifyOut += verify.readAllStandardOutput();
    QVERIFY2(verifyOut.contains("[big] compared 10000 of ~"), verifyOut.constData());
    QVERIFY2(verifyOut.contains("verification stopped before the end of the table"), verifyOut.constData());
    QCOMPARE(verify.exitCode(), 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
