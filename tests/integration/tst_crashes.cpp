// Crashes and concurrent change, each checked row by row against the source afterwards:
// tablesync killed with SIGKILL during a full refresh and during a schema sync, and a source that
// is written to while syncs run. (The target server killed mid-batch: tst_recovery.)
#include "TestSandbox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <thread>

using namespace tablesync;
using namespace tablesync::test;

class TestCrashes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void killedDuringFullRefreshKeepsTheOldContentAndConverges();
    void killedDuringInPlaceRefreshKeepsTheOldContentAndForeignKeys();
    void killedDuringSchemaSyncRefillConverges();
    void sourceWrittenDuringRepeatedSyncsConverges();

private:
    // Starts `tablesync --headless --once`, waits for `batches` committed batches after a line
    // containing `after` (if given), and kills it with SIGKILL. False if it finished first.
    bool killDuringRun(int batches, const QByteArray &after = {});
    int runToEnd();
    void createTable(const QString &name, int rows);
    qint64 leftoverHelperTables();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxPair> m_db;
};

void TestCrashes::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("TABLESYNC_BINARY")), "TABLESYNC_BINARY must name the built tablesync");
}

void TestCrashes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = std::make_unique<SandboxPair>(u"crash"_qs);
    QVERIFY(writeFile(m_dir->filePath(u".env"_qs), connectionEnv(m_db->settings) + "INTERVAL=0\nHEALTH_PORT=" +
                                                       QByteArray::number(freePort()) + "\n"));
}

void TestCrashes::createTable(const QString &name, int rows)
{
    m_db->source->exec(u"CREATE TABLE "_qs + name +
                       u" (id INT PRIMARY KEY, payload VARCHAR(200), m DATETIME(6) NOT NULL, KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + name +
                       QStringLiteral(" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                                      "SELECT i, REPEAT(CONCAT('old ', i), 8), "
                                      "TIMESTAMPADD(MICROSECOND, i * 10, '2024-01-01') FROM n")
                           .arg(rows));
}

bool TestCrashes::killDuringRun(int batches, const QByteArray &after)
{
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.start(qEnvironmentVariable("TABLESYNC_BINARY"), {u"--headless"_qs, u"--once"_qs});
    if (!process.waitForStarted())
        return false;
    QByteArray out;
    const auto committedSince = [&] {
        const qsizetype from = after.isEmpty() ? 0 : out.indexOf(after);
        return from < 0 ? 0 : out.mid(from).count("batch committed");
    };
    while (committedSince() < batches && process.state() == QProcess::Running) {
        process.waitForReadyRead(10000);
        out += process.readAllStandardOutput();
    }
    if (process.state() != QProcess::Running) {
        qWarning("finished before it could be killed:\n%s", out.right(2000).constData());
        return false;
    }
    ::kill(pid_t(process.processId()), SIGKILL);
    process.waitForFinished();
    return true;
}

int TestCrashes::runToEnd()
{
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(qEnvironmentVariable("TABLESYNC_BINARY"), {u"--headless"_qs, u"--once"_qs});
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (process.exitCode() != 0)
        qWarning("tablesync exited with %d:\n%s", process.exitCode(), process.readAll().right(3000).constData());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

qint64 TestCrashes::leftoverHelperTables()
{
    return m_db->target
        ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                 "AND TABLE_NAME LIKE '\\_ts%'"_qs)
        .toLongLong();
}

void TestCrashes::killedDuringFullRefreshKeepsTheOldContentAndConverges()
{
    constexpr int kRows = 150000;
    createTable(u"fr"_qs, kRows);
    QVERIFY(
        writeFile(m_dir->filePath(u"tables.json"_qs), R"([{"table": "fr", "primary_key": "id", "batch_size": 1000}])"));
    QCOMPARE(runToEnd(), 0);
    const QList<QStringList> oldContent = m_db->target->dump(u"fr"_qs, u"id"_qs);
    QCOMPARE(oldContent.size(), kRows);

    m_db->source->exec(u"UPDATE fr SET payload = CONCAT('new ', id) WHERE id MOD 3 = 0"_qs);
    m_db->source->exec(u"DELETE FROM fr WHERE id MOD 7 = 0"_qs);
    m_db->source->exec(u"INSERT INTO fr SELECT id + 1000000, payload, m FROM fr WHERE id <= 1000"_qs);
    QVERIFY(killDuringRun(5));

    // The half-copied new content never replaced the old one.
    QVERIFY(m_db->target->dump(u"fr"_qs, u"id"_qs) == oldContent);
    QCOMPARE(runToEnd(), 0);
    QVERIFY(m_db->target->dump(u"fr"_qs, u"id"_qs) == m_db->source->dump(u"fr"_qs, u"id"_qs));
    QCOMPARE(leftoverHelperTables(), 0); // the killed run's staging table was cleared away
}

// The same with a table that a foreign key points at, as in a restored target: it is refreshed in
// place, and the kill leaves the old content, the foreign key on it, and a staging table that the
// next run drops and names.
void TestCrashes::killedDuringInPlaceRefreshKeepsTheOldContentAndForeignKeys()
{
    constexpr int kRows = 150000;
    createTable(u"fr"_qs, kRows);
    QVERIFY(
        writeFile(m_dir->filePath(u"tables.json"_qs), R"([{"table": "fr", "primary_key": "id", "batch_size": 1000}])"));
    QCOMPARE(runToEnd(), 0);
    // The application's other table, in the target only, points at the synced one.
    m_db->target->exec(u"CREATE TABLE fr_notes (id INT PRIMARY KEY, fr_id INT NOT NULL, "
                       "CONSTRAINT fk_notes_fr FOREIGN KEY (fr_id) REFERENCES fr (id))"_qs);
    m_db->target->exec(u"INSERT INTO fr_notes VALUES (1, 14), (2, 15)"_qs);
    const QList<QStringList> oldContent = m_db->target->dump(u"fr"_qs, u"id"_qs);

    m_db->source->exec(u"UPDATE fr SET payload = CONCAT('new ', id) WHERE id MOD 3 = 0"_qs);
    m_db->source->exec(u"DELETE FROM fr WHERE id MOD 7 = 0"_qs);
    QVERIFY(killDuringRun(5));

    QVERIFY(m_db->target->dump(u"fr"_qs, u"id"_qs) == oldContent);
    QCOMPARE(runToEnd(), 0);
    QVERIFY(m_db->target->dump(u"fr"_qs, u"id"_qs) == m_db->source->dump(u"fr"_qs, u"id"_qs));
    QCOMPARE(leftoverHelperTables(), 0);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS "
                          "WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'fk_notes_fr'"_qs)
                 .toString(),
             u"fr"_qs);
}

void TestCrashes::killedDuringSchemaSyncRefillConverges()
{
    constexpr int kRows = 100000;
    createTable(u"sc"_qs, kRows);
    QVERIFY(writeFile(m_dir->filePath(u"tables.json"_qs),
                      R"([{"table": "sc", "primary_key": "id", "modifier": "m", "batch_size": 1000}])"));
    QCOMPARE(runToEnd(), 0);

    // A new source column filled for rows whose modifier does not change: only a re-read of every
    // row (the schema sync's refill) brings the values over.
    m_db->source->exec(u"ALTER TABLE sc ADD COLUMN city VARCHAR(40) NOT NULL DEFAULT 'unknown'"_qs);
    m_db->source->exec(u"UPDATE sc SET city = CONCAT('city ', id MOD 97), m = m"_qs);
    QVERIFY(killDuringRun(3, "re-reading every row"));

    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'sc' AND COLUMN_NAME = 'city'"_qs)
                 .toInt(),
             1);
    // Up to the stored progress, the rows were refilled; past it, the rerun does it.
    const auto [committed, binds] = committedPrefix(*m_db->target, u"m"_qs, u"id"_qs);
    QVERIFY(committed != u"FALSE"_qs);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM sc WHERE city = 'unknown' AND "_qs + committed, binds).toInt(),
             0);
    QVERIFY2(m_db->target->scalar(u"SELECT COUNT(*) FROM sc WHERE city = 'unknown'"_qs).toInt() > 0,
             "the refill was already complete when killed");

    QCOMPARE(runToEnd(), 0);
    QVERIFY(m_db->target->dump(u"sc"_qs, u"id"_qs) == m_db->source->dump(u"sc"_qs, u"id"_qs));
}

// A writer inserts, updates and deletes rows of the source (as an application would, with an
// ON UPDATE timestamp) while syncs run one after another; once it stops, one more sync makes the
// target equal to the source.
void TestCrashes::sourceWrittenDuringRepeatedSyncsConverges()
{
    m_db->source->exec(
        u"CREATE TABLE cw (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50), "
        "m DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO cw (v, note) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 20000) SELECT i, CONCAT('row ', i) FROM n"_qs);
    TableSpec spec = tableSpec(u"cw"_qs, {u"id"_qs}, u"m"_qs, 1000);
    spec.deletes = TableSpec::Deletes::Propagate;

    std::atomic<bool> stop = false;
    std::atomic<int> writes = 0;
    std::thread writer([&, settings = m_db->settings.source] {
        TestDb db(settings); // its own connection, created on its own thread as Qt requires
        QRandomGenerator random(42);
        while (!stop) {
            const int id = int(random.bounded(1, 20000 + writes / 3));
            switch (random.bounded(3)) {
            case 0:
                db.exec(u"INSERT INTO cw (v, note) VALUES (1, 'written while syncing')"_qs);
                break;
            case 1:
                db.exec(QStringLiteral("UPDATE cw SET v = v + 1 WHERE id IN (%1, %2)").arg(id).arg(id + 7));
                break;
            default:
                db.exec(QStringLiteral("DELETE FROM cw WHERE id = %1").arg(id));
                break;
            }
            ++writes;
        }
    });
    int runs = 0;
    QElapsedTimer timer;
    timer.start();
    for (; !timer.hasExpired(8000); ++runs) {
        RunOutcome run = runSync(m_db->settings, {spec});
        if (!run.summary.allSucceeded()) {
            stop = true;
            writer.join();
            QFAIL(qPrintable(run.log()));
        }
    }
    stop = true;
    writer.join();
    QVERIFY2(runs >= 3 && writes > 500, qPrintable(QStringLiteral("%1 runs, %2 writes").arg(runs).arg(int(writes))));

    RunOutcome last = runSync(m_db->settings, {spec});
    QVERIFY2(last.summary.allSucceeded(), qPrintable(last.log()));
    const auto source = m_db->source->dump(u"cw"_qs, u"id"_qs);
    const auto target = m_db->target->dump(u"cw"_qs, u"id"_qs);
    QVERIFY2(target == source, qPrintable(firstDifferences(source, target)));
}

QTEST_GUILESS_MAIN(TestCrashes)
#include "tst_crashes.moc"
