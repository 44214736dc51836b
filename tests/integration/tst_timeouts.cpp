// A peer that accepts the TCP connection but never answers must not hang a sync: the configured
// timeouts end the attempt and the table fails with a clear message.
#include "TestSandbox.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestTimeouts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void silentPeerTimesOut();
};

void TestTimeouts::silentPeerTimesOut()
{
    SandboxPair db(u"timeouts"_qs);
    db.source->exec(u"CREATE TABLE t (id INT PRIMARY KEY)"_qs);

    QTcpServer silent; // accepts, keeps the socket, never says a word
    QList<QTcpSocket *> accepted;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = silent.nextPendingConnection())
            accepted << socket;
    });
    QVERIFY(silent.listen(QHostAddress::LocalHost));

    Settings settings = db.settings;
    settings.target.port = silent.serverPort();
    for (ConnectionSettings *c : {&settings.source, &settings.target}) {
        c->connectTimeoutSeconds = 2;
        c->readTimeoutSeconds = 2;
        c->writeTimeoutSeconds = 2;
    }
    settings.retries = 1;

    QElapsedTimer timer;
    timer.start();
    RunOutcome run = runSync(settings, {tableSpec(u"t"_qs, {u"id"_qs})});
    const qint64 elapsed = timer.elapsed();
    QVERIFY(!accepted.isEmpty()); // it really reached the silent peer
    QCOMPARE(run.summary.tables.size(), 1);
    QCOMPARE(run.summary.tables[0].outcome, TableOutcome::Failed);
    QVERIFY2(run.summary.tables[0].error.contains(u"cannot connect to the target server"_qs),
             qPrintable(run.summary.tables[0].error));
    // Two attempts of ~2 s (connect or read timeout) plus one backoff of ~1 s; never the 600 s default.
    QVERIFY2(elapsed < 20000, qPrintable(QString::number(elapsed)));
    qDeleteAll(accepted);
}

QTEST_GUILESS_MAIN(TestTimeouts)
#include "tst_timeouts.moc"
