// The connection pool against a real server: limits, timeout, recycle, the pre-use check, and
// many tables synced in parallel through a small pool.
#include "TestSandbox.h"

#include "db/ConnectionPool.h"
#include "db/ThreadConnection.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

using namespace tablesync;
using namespace tablesync::test;

class TestPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void waiterTimesOutWithAClearError();
    void waiterGetsTheConnectionWhenItIsReturned();
    void oldConnectionsAreRecycled();
    void connectionKilledByTheServerIsReplacedBeforeUse();
    void manyTablesThroughASmallPoolNeverExceedItsLimit();
    void roundTripIsMeasuredNotConfigured();

private:
    static qint64 connectionId(DbConnection &connection)
    {
        return connection.scalar(u"SELECT CONNECTION_ID()"_qs, {}, u"id"_qs).toLongLong();
    }
    std::unique_ptr<SandboxPair> m_db;
};

void TestPool::initTestCase()
{
    m_db = std::make_unique<SandboxPair>(u"pool"_qs);
}

void TestPool::waiterTimesOutWithAClearError()
{
    ConnectionPool pool(m_db->settings.source, 1, 0, 1, -1);
    QObject context;
    ThreadConnection mine(pool, &context);
    mine.checkout();

    QString error;
    qint64 waitedMs = 0;
    QThread *waiter = QThread::create([&] {
        QObject threadContext;
        ThreadConnection theirs(pool, &threadContext);
        QElapsedTimer timer;
        timer.start();
        try {
            theirs.checkout();
            theirs.checkin();
        } catch (const DbError &e) {
            error = e.message();
        }
        waitedMs = timer.elapsed();
    });
    waiter->start();
    QVERIFY(waiter->wait(10000));
    delete waiter;
    QVERIFY2(error.startsWith(u"Source pool limit of size 1 overflow 0 reached, connection timed out, timeout 1"_qs),
             qPrintable(error));
    QVERIFY2(waitedMs >= 950, qPrintable(QString::number(waitedMs)));
    const PoolStats stats = pool.stats();
    QCOMPARE(stats.timeoutsTotal, 1);
    QCOMPARE(stats.checkedOut, 1);
    QCOMPARE(stats.open, 1);
    QCOMPARE(stats.waiting, 0);
    QCOMPARE(stats.statusLine(), u"Source pool status - Size: 1, Checked out: 1"_qs);
    mine.checkin();
}

void TestPool::waiterGetsTheConnectionWhenItIsReturned()
{
    ConnectionPool pool(m_db->settings.target, 1, 0, 10, -1);
    QObject context;
    ThreadConnection mine(pool, &context);
    mine.checkout();
    std::atomic_bool gotIt = false;
    QThread *waiter = QThread::create([&] {
        QObject threadContext;
        ThreadConnection theirs(pool, &threadContext);
        theirs.checkout();
        gotIt = true;
        theirs.checkin();
    });
    waiter->start();
    QTest::qWait(300);
    QVERIFY(!gotIt);
    QCOMPARE(pool.stats().waiting, 1);
    mine.checkin(); // someone waits: the connection is closed and its slot handed over
    QVERIFY(waiter->wait(10000));
    delete waiter;
    QVERIFY(gotIt);
    QCOMPARE(pool.stats().timeoutsTotal, 0);
    QVERIFY(pool.stats().open <= 1);
}

void TestPool::oldConnectionsAreRecycled()
{
    ConnectionPool pool(m_db->settings.source, 2, 0, 5, 1);
    QObject context;
    ThreadConnection client(pool, &context);
    const qint64 first = connectionId(client.checkout());
    client.checkin();
    QCOMPARE(connectionId(client.checkout()), first); // young: reused
    client.checkin();
    QTest::qWait(1200);
    QVERIFY(connectionId(client.checkout()) != first);
    client.checkin();
    QCOMPARE(pool.stats().recycledTotal, 1);
    QCOMPARE(pool.stats().open, 1);
}

void TestPool::connectionKilledByTheServerIsReplacedBeforeUse()
{
    ConnectionPool pool(m_db->settings.source, 2, 0, 5, -1);
    QObject context;
    ThreadConnection client(pool, &context);
    const qint64 first = connectionId(client.checkout());
    client.checkin();
    m_db->source->exec(u"KILL CONNECTION "_qs + QString::number(first));
    DbConnection &again = client.checkout();
    QVERIFY(connectionId(again) != first);
    client.checkin();
    QCOMPARE(pool.stats().replacedTotal, 1);
}

void TestPool::manyTablesThroughASmallPoolNeverExceedItsLimit()
{
    // A user the server itself limits to 3 connections: opening a 4th fails the sync (error 1226).
    for (TestDb *db : {m_db->source.get(), m_db->target.get()}) {
        db->exec(u"DROP USER IF EXISTS 'pooltest'@'127.0.0.1'"_qs);
        db->exec(u"CREATE USER 'pooltest'@'127.0.0.1' IDENTIFIED BY 'pw' WITH MAX_USER_CONNECTIONS 3"_qs);
        db->exec(u"GRANT ALL ON *.* TO 'pooltest'@'127.0.0.1'"_qs);
    }
    Settings settings = m_db->settings;
    settings.source.user = settings.target.user = u"pooltest"_qs;
    settings.source.password = settings.target.password = u"pw"_qs;
    settings.poolSize = 2;
    settings.maxOverflow = 1;
    settings.poolTimeoutSeconds = 30;
    settings.workers = 8; // more than the pool can serve: the engine uses 2 (and keeps 1 for itself)

    QList<TableSpec> tables;
    for (int i = 0; i < 12; ++i) {
        const QString name = QStringLiteral("many_%1").arg(i);
        m_db->source->exec(u"CREATE TABLE "_qs + name +
                           u" (id INT PRIMARY KEY, v VARCHAR(20), m DATETIME NOT NULL)"_qs);
        m_db->source->exec(u"INSERT INTO "_qs + name +
                           u" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
                           "SELECT i, CONCAT('v', i), '2024-01-01' FROM n"_qs);
        tables << tableSpec(name, {u"id"_qs}, i % 2 ? u"m"_qs : QString(), 50);
    }
    RunOutcome run = runSync(settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(run.summary.tables.size(), 12);
    for (int i = 0; i < 12; ++i) {
        QCOMPARE(run.summary.tables[i].table, tables[i].table); // reported in configuration order
        QCOMPARE(m_db->target->count(tables[i].table), 300);
    }
}

// Through the shared TCP delay proxy (5 ms each way; this kernel has no netem), the pool's
// checks before use measure the round trip the network adds: about 10 ms, not loopback's 0.1.
void TestPool::roundTripIsMeasuredNotConfigured()
{
    const QString proxyScript = qEnvironmentVariable("TABLESYNC_SOURCE_DIR") + u"/../shared/tools/delayproxy.py"_qs;
    QVERIFY2(QFile::exists(proxyScript), qPrintable(proxyScript + u" is missing"_qs));
    const int port = freePort();
    QProcess proxy;
    proxy.start(u"python3"_qs,
                {proxyScript, QString::number(port), QString::number(m_db->settings.source.port), u"5"_qs});
    QVERIFY2(proxy.waitForStarted(), qPrintable(proxy.errorString()));
    const auto stopProxy = qScopeGuard([&] {
        proxy.kill();
        proxy.waitForFinished();
    });
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QTcpSocket probe;
            probe.connectToHost(u"127.0.0.1"_qs, quint16(port));
            return probe.waitForConnected(200);
        }(),
        10000);

    ConnectionSettings far = m_db->settings.source;
    far.port = port;
    ConnectionPool pool(far, 2, 0, 5, -1);
    QCOMPARE(pool.stats().roundTripMs, -1.0); // nothing measured yet
    QObject context;
    ThreadConnection client(pool, &context);
    for (int i = 0; i < 5; ++i) { // the first checkout opens; each later one checks first
        client.checkout();
        client.checkin();
    }
    const double measured = pool.stats().roundTripMs;
    QVERIFY2(measured >= 9.5 && measured < 60, qPrintable(QString::number(measured)));

    ConnectionPool near(m_db->settings.source, 2, 0, 5, -1);
    ThreadConnection direct(near, &context);
    for (int i = 0; i < 3; ++i) {
        direct.checkout();
        direct.checkin();
    }
    QVERIFY2(near.stats().roundTripMs >= 0 && near.stats().roundTripMs < 5,
             qPrintable(QString::number(near.stats().roundTripMs)));
}

QTEST_GUILESS_MAIN(TestPool)
#include "tst_pool.moc"
