// What an incremental cursor cannot see: deletes in the source (deletes: "propagate") and drift
// made behind the tool's back (--verify / --repair), found chunk by chunk.
#include "TestSandbox.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestVerify : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void deletesArePropagatedInFirstMiddleAndLastChunk();
    void deletesAreKeptByDefault();
    void verifyFindsAndRepairFixesDrift();
    void verificationStopsBetweenChunks();
    void commandLineExitStatuses();
    void alikeChangesToAnEvenNumberOfRowsAreFound();

private:
    void createTable(const QString &name, int rows);
    std::unique_ptr<SandboxPair> m_db;
};

void TestVerify::init()
{
    m_db = std::make_unique<SandboxPair>(u"verify"_qs);
}

void TestVerify::createTable(const QString &name, int rows)
{
    m_db->source->exec(u"CREATE TABLE "_qs + name +
                       u" (region VARCHAR(8), n INT, v VARCHAR(40), amount DECIMAL(20,6), m DATETIME(6) NOT NULL, "
                       "PRIMARY KEY (region, n), KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + name +
                       QStringLiteral(" SELECT ELT(1 + seq MOD 3, 'eu', 'us', 'ÄSIA'), seq, CONCAT('v', seq), seq / 3, "
                                      "TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_%1")
                           .arg(rows));
}

void TestVerify::deletesArePropagatedInFirstMiddleAndLastChunk()
{
    createTable(u"d"_qs, 35000); // 4 chunks of 10,000 keys
    TableSpec spec = tableSpec(u"d"_qs, {u"region"_qs, u"n"_qs}, u"m"_qs);
    spec.deletes = TableSpec::Deletes::Propagate;
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    QCOMPARE(m_db->target->count(u"d"_qs), 35000);

    // First and last keys in key order, one in the middle, and an updated row beside them.
    m_db->source->exec(
        u"DELETE FROM d WHERE (region, n) IN (('eu', 3), ('us', 17500), ('ÄSIA', 35000 - 35000 MOD 3 + 2))"_qs);
    m_db->source->exec(u"DELETE FROM d WHERE region = 'eu' AND n > 34990"_qs);
    m_db->source->exec(u"UPDATE d SET v = 'changed', m = '2030-01-01' WHERE region = 'us' AND n = 1"_qs);
    const qint64 expected = m_db->source->count(u"d"_qs);
    RunOutcome run = runSync(m_db->settings, {spec});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(run.table(u"d"_qs)->deletedRows, 35000 - expected);
    QVERIFY2(run.log().contains(u"deletes: compared"_qs), qPrintable(run.log()));
    QCOMPARE(m_db->target->count(u"d"_qs), expected);
    QVERIFY(m_db->target->dump(u"d"_qs, u"region, n"_qs) == m_db->source->dump(u"d"_qs, u"region, n"_qs));
}

void TestVerify::deletesAreKeptByDefault()
{
    createTable(u"k"_qs, 100);
    const QList<TableSpec> tables{tableSpec(u"k"_qs, {u"region"_qs, u"n"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    m_db->source->exec(u"DELETE FROM k WHERE n < 10"_qs);
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    QCOMPARE(m_db->target->count(u"k"_qs), 100);
}

void TestVerify::verifyFindsAndRepairFixesDrift()
{
    createTable(u"r"_qs, 25000);
    const QList<TableSpec> tables{tableSpec(u"r"_qs, {u"region"_qs, u"n"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());

    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    RunOutcome clean = runSync(verify, tables);
    QVERIFY2(clean.summary.allSucceeded(), qPrintable(clean.log()));
    QVERIFY(clean.table(u"r"_qs)->verified);
    QCOMPARE(clean.table(u"r"_qs)->remainingDifferences, 0);

    // Drift behind the tool's back: a changed value, an extra row, a missing row (the _dlt_
    // columns changing alone is not a difference).
    m_db->target->exec(u"UPDATE r SET amount = amount + 0.000001 WHERE region = 'us' AND n = 12001"_qs);
    m_db->target->exec(u"INSERT INTO r VALUES ('zz', 1, 'intruder', 0, NOW(), '1', 'x')"_qs);
    m_db->target->exec(u"DELETE FROM r WHERE region = 'eu' AND n = 24999"_qs);
    m_db->target->exec(u"UPDATE r SET _dlt_load_id = 'other' WHERE n < 100"_qs);
    RunOutcome found = runSync(verify, tables);
    const TableResult *r = found.table(u"r"_qs);
    QCOMPARE(r->differentRows, 1);
    QCOMPARE(r->extraRows, 1);
    QCOMPARE(r->missingRows, 1);
    QVERIFY2(r->sampleKeys.join(u';').contains(u"different ('us', 12001)"_qs), qPrintable(r->sampleKeys.join(u';')));
    QVERIFY2(r->sampleKeys.join(u';').contains(u"extra ('zz', 1)"_qs), qPrintable(r->sampleKeys.join(u';')));
    QCOMPARE(found.summary.differingCount(), 1);

    Settings repair = m_db->settings;
    repair.runMode = Settings::RunMode::Repair;
    RunOutcome repaired = runSync(repair, tables);
    QCOMPARE(repaired.table(u"r"_qs)->repairedRows, 3);
    QCOMPARE(repaired.table(u"r"_qs)->remainingDifferences, 0);
    QVERIFY(m_db->target->dump(u"r"_qs, u"region, n"_qs) == m_db->source->dump(u"r"_qs, u"region, n"_qs));
    QCOMPARE(runSync(verify, tables).table(u"r"_qs)->remainingDifferences, 0);
}

// A stop (the GUI's Stop verifying, SIGTERM) ends a verification after the chunk in progress,
// not at the end of the table.
void TestVerify::verificationStopsBetweenChunks()
{
    createTable(u"s"_qs, 60000); // 6 chunks
    const QList<TableSpec> tables{tableSpec(u"s"_qs, {u"region"_qs, u"n"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    verify.tables = tables;
    SyncEngine engine(verify);
    QStringList messages;
    QObject::connect(&engine, &SyncEngine::tableMessage, [&](const QString &, const QString &m) { messages << m; });
    qint64 comparedAtStop = -1;
    QObject::connect(&engine, &SyncEngine::batchCommitted, [&](const QString &, qint64, qint64 rowsSoFar, qint64) {
        if (comparedAtStop < 0) {
            comparedAtStop = rowsSoFar;
            engine.requestStop();
        }
    });
    QSignalSpy finished(&engine, &SyncEngine::runFinished);
    engine.runOnce();
    QVERIFY(finished.wait(60000));
    const auto summary = finished.first().first().value<RunSummary>();
    QCOMPARE(summary.tables.value(0).outcome, TableOutcome::Stopped);
    QVERIFY2(messages.contains(u"verify: stopped before the end of the table"_qs), qPrintable(messages.join(u'\n')));
    QVERIFY2(comparedAtStop > 0 && comparedAtStop < 60000, qPrintable(QString::number(comparedAtStop)));
}

void TestVerify::commandLineExitStatuses()
{
    createTable(u"c"_qs, 500);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u".env"_qs), connectionEnv(m_db->settings)));
    QFile tables(dir.filePath(u"tables.json"_qs));
    QVERIFY(tables.open(QIODevice::WriteOnly));
    tables.write(R"([{"table": "c", "primary_key": ["region", "n"], "modifier": "m"}])");
    tables.close();
    auto run = [&](const QStringList &extra) {
        QProcess process;
        process.setWorkingDirectory(dir.path());
        process.start(qEnvironmentVariable("TABLESYNC_BINARY"), QStringList{u"--headless"_qs, u"--once"_qs} + extra);
        process.waitForFinished(120000);
        return std::make_pair(process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()));
    };
    QCOMPARE(run({}).first, 0);
    QCOMPARE(run({u"--verify"_qs}).first, 0);
    m_db->target->exec(u"DELETE FROM c WHERE n = 7"_qs);
    const auto differs = run({u"--verify"_qs, u"--table"_qs, u"c"_qs});
    QCOMPARE(differs.first, 3);
    QVERIFY2(differs.second.contains(u"[c] differs: 1 row(s) missing, 0 extra, 0 different"_qs),
             qPrintable(differs.second));
    const auto repaired = run({u"--repair"_qs});
    QCOMPARE(repaired.first, 0);
    QVERIFY2(repaired.second.contains(u"now identical"_qs), qPrintable(repaired.second));
    QCOMPARE(run({u"--verify"_qs}).first, 0);
}

// The same change to one column of two rows whose text has equal length: an XOR of per-row CRC32s
// (pt-table-checksum's checksum) cancels it, since CRC32 is linear over XOR, and the chunk would
// compare equal. So would two keys replaced by two others of the same length (12, 13 by 22, 23).
void TestVerify::alikeChangesToAnEvenNumberOfRowsAreFound()
{
    TestDb &src = *m_db->source;
    src.exec(
        u"CREATE TABLE alike (id INT PRIMARY KEY, status VARCHAR(10) NOT NULL, m DATETIME(6) NOT NULL, KEY (m))"_qs);
    src.exec(u"INSERT INTO alike VALUES (12, 'new', '2024-01-01'), (13, 'new', '2024-01-01'), "
             "(14, 'paid', '2024-01-01')"_qs);
    const TableSpec spec = tableSpec(u"alike"_qs, {u"id"_qs}, u"m"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    m_db->target->exec(u"UPDATE alike SET status = 'old' WHERE id IN (12, 13)"_qs);

    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    const RunOutcome verified = runSync(verify, {spec});
    QCOMPARE(verified.table(u"alike"_qs)->differentRows, 2);

    // Keys: the target has 22 and 23 where the source has 12 and 13.
    m_db->target->exec(u"UPDATE alike SET status = 'new'"_qs);
    m_db->target->exec(u"UPDATE alike SET id = id + 10 WHERE id IN (12, 13)"_qs);
    TableSpec propagate = spec;
    propagate.deletes = TableSpec::Deletes::Propagate;
    Settings plan = m_db->settings;
    plan.runMode = Settings::RunMode::Plan;
    const RunOutcome planned = runSync(plan, {propagate});
    QVERIFY2(planned.log().contains(u"2 row(s) of the target are no longer in the source"_qs),
             qPrintable(planned.log()));
}

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
