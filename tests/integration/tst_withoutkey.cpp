// Tables without a key, as the old pipeline's full refresh allowed them: no `primary_key` in
// tables.json. The whole table is replaced every run, `_dlt_id` comes from the whole row, and
// --verify compares the two tables as multisets of rows (a row may occur more than once).
#include "TestSandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <thread>

using namespace tablesync;
using namespace tablesync::test;

namespace {
const char kReadings[] = "CREATE TABLE readings (sensor VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, "
                         "at DATETIME(6), value DOUBLE, f FLOAT, d DECIMAL(20,6), raw VARBINARY(16), note TEXT, "
                         "KEY (sensor))";

TableSpec withoutKey(const QString &table, int batchSize = 0)
{
    return tableSpec(table, {}, {}, batchSize);
}

QList<QStringList> sortedRows(TestDb &db, const QString &table)
{
    QList<QStringList> rows = db.dump(table, u"1"_qs);
    std::sort(rows.begin(), rows.end());
    return rows;
}
} // namespace

class TestWithoutKey : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void copiesDuplicateRowsExactly();
    void verifyComparesMultisetsAndRepairs();
    void consistentCopyWhileWritersCommitAndRollBack();
    void tableWithTriggersIsReplacedInPlace();
    void stopDuringTheStreamedCopyCutsItOff();

private:
    void expectIdentical(const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestWithoutKey::init()
{
    m_db = std::make_unique<SandboxPair>(u"nokey"_qs);
    // No key of any kind. Rows that occur twice, NULLs, values a case-insensitive collation calls
    // equal ('a' and 'A'), floats and exact decimals.
    m_db->source->exec(QString::fromLatin1(kReadings));
    m_db->source->exec(u"INSERT INTO readings VALUES "
                       "('a', '2026-01-01 10:00:00.000001', 0.1, 1.5, 12345678901234.000001, x'00ff', 'Grüße 😀'), "
                       "('a', '2026-01-01 10:00:00.000001', 0.1, 1.5, 12345678901234.000001, x'00ff', 'Grüße 😀'), "
                       "('a', '2026-01-01 10:00:00.000001', 0.1, 1.5, 12345678901234.000001, x'00ff', 'Grüße 😀'), "
                       "('A', '2026-01-01 10:00:00.000001', 0.1, 1.5, 12345678901234.000001, x'00ff', 'Grüße 😀'), "
                       "(NULL, NULL, NULL, NULL, NULL, NULL, NULL), (NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
                       "('', '2026-01-01 10:00:00', -0.0, 3.4e38, -0.000001, '', ''), "
                       "('b', '1970-01-01 00:00:00', 1e-300, -1, 0, x'5c4e', '\\\\N')"_qs);
}

void TestWithoutKey::expectIdentical(const QString &table)
{
    const QList<QStringList> source = sortedRows(*m_db->source, table);
    const QList<QStringList> target = sortedRows(*m_db->target, table);
    QVERIFY2(source == target, qPrintable(firstDifferences(source, target)));
    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    const RunOutcome verified = runSync(verify, {withoutKey(table)});
    const TableResult *result = verified.table(table);
    QVERIFY2(result && result->outcome == TableOutcome::Succeeded && result->remainingDifferences == 0,
             qPrintable(verified.log()));
}

void TestWithoutKey::copiesDuplicateRowsExactly()
{
    const RunOutcome first = runSync(m_db->settings, {withoutKey(u"readings"_qs, 3)}); // pages of 3 rows
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(first.table(u"readings"_qs)->rowsWritten, 8);
    QCOMPARE(m_db->target->count(u"readings"_qs), 8);
    expectIdentical(u"readings"_qs);
    if (QTest::currentTestFailed())
        return;
    // No unique key was added to the target: it would refuse the rows that occur twice.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'readings' AND NON_UNIQUE = 0"_qs)
                 .toInt(),
             0);
    // `_dlt_id` comes from the whole row: equal rows share it, different rows (even 'a' and 'A') do not.
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_id) FROM readings"_qs).toInt(), 5);
    const QString ids =
        m_db->target->scalar(u"SELECT GROUP_CONCAT(_dlt_id ORDER BY _dlt_id) FROM readings"_qs).toString();

    // The next run replaces the table; an unchanged row gets its id back.
    m_db->source->exec(u"INSERT INTO readings (sensor, value) VALUES ('c', 2.5)"_qs);
    const RunOutcome second = runSync(m_db->settings, {withoutKey(u"readings"_qs)});
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    QCOMPARE(m_db->target->count(u"readings"_qs), 9);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT GROUP_CONCAT(_dlt_id ORDER BY _dlt_id) FROM readings WHERE sensor IS NULL "
                          "OR sensor <> 'c'"_qs)
                 .toString(),
             ids);
    expectIdentical(u"readings"_qs);
}

void TestWithoutKey::verifyComparesMultisetsAndRepairs()
{
    QVERIFY(runSync(m_db->settings, {withoutKey(u"readings"_qs)}).summary.allSucceeded());
    // The same number of rows, but 'b' twice instead of '' once and 'b' once: a count of rows, or
    // a comparison of distinct rows, would call them equal.
    m_db->target->exec(u"DELETE FROM readings WHERE sensor = '' LIMIT 1"_qs);
    m_db->target->exec(u"INSERT INTO readings SELECT * FROM readings WHERE sensor = 'b'"_qs);
    // And one copy of the triple row gone.
    m_db->target->exec(u"DELETE FROM readings WHERE BINARY sensor = 'a' LIMIT 1"_qs);

    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    const RunOutcome verified = runSync(verify, {withoutKey(u"readings"_qs)});
    const TableResult *result = verified.table(u"readings"_qs);
    QVERIFY2(result && result->outcome == TableOutcome::Succeeded, qPrintable(verified.log()));
    QCOMPARE(result->missingRows, 2); // '' and one 'a'
    QCOMPARE(result->extraRows, 1);   // the second 'b'
    QCOMPARE(result->remainingDifferences, 3);
    const QString samples = result->sampleKeys.join(u'\n');
    QVERIFY2(samples.contains(u"missing row ('a', "_qs) &&
                 samples.contains(u"3 time(s) in the source, 2 in the target"_qs),
             qPrintable(samples));
    QVERIFY2(samples.contains(u"extra row ('b', "_qs) &&
                 samples.contains(u"1 time(s) in the source, 2 in the target"_qs),
             qPrintable(samples));

    Settings repair = m_db->settings;
    repair.runMode = Settings::RunMode::Repair;
    const RunOutcome repaired = runSync(repair, {withoutKey(u"readings"_qs)});
    QVERIFY2(repaired.summary.allSucceeded(), qPrintable(repaired.log()));
    QCOMPARE(repaired.table(u"readings"_qs)->remainingDifferences, 0);
    QVERIFY2(repaired.log().contains(u"repair: no primary_key, so the table's whole content is replaced"_qs),
             qPrintable(repaired.log()));
    expectIdentical(u"readings"_qs);
}

// 60,000 rows in pairs: the application writes and deletes both rows of a pair in one
// transaction, so a consistent copy holds both rows of every pair or neither. Writers commit
// pairs and delete pairs all through the copy, one holds a transaction open for seconds and
// rolls it back; the copy is one streamed SELECT read in pages by the large-copy writers.
void TestWithoutKey::consistentCopyWhileWritersCommitAndRollBack()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE pairs (pair INT NOT NULL, half CHAR(1) NOT NULL, pad VARCHAR(200) NOT NULL, "
             "KEY (pair))"_qs);
    src.exec(u"INSERT INTO pairs WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 59999) "
             "SELECT i DIV 2, IF(i MOD 2 = 0, 'a', 'b'), REPEAT('x', 150) FROM n"_qs);
    const TableSpec spec = withoutKey(u"pairs"_qs, 1000);

    std::atomic<bool> stop = false;
    std::atomic<int> committed = 0;
    std::atomic<bool> held = false;
    std::thread writer([&, settings = m_db->settings.source] {
        TestDb db(settings);
        for (int pair = 100000; !stop; ++pair) {
            db.exec(u"START TRANSACTION"_qs);
            db.exec(QStringLiteral("INSERT INTO pairs VALUES (%1, 'a', 'new'), (%1, 'b', 'new')").arg(pair));
            db.exec(QStringLiteral("DELETE FROM pairs WHERE pair = %1").arg(pair - 100000));
            db.exec(u"COMMIT"_qs);
            ++committed;
        }
    });
    std::thread holder([&, settings = m_db->settings.source] {
        TestDb db(settings);
        db.exec(u"START TRANSACTION"_qs);
        db.exec(u"INSERT INTO pairs VALUES (-1, 'a', 'rolled back'), (-1, 'b', 'rolled back')"_qs);
        held = true;
        for (int i = 0; i < 30 && !stop; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        db.exec(u"ROLLBACK"_qs);
    });
    while (!held)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const RunOutcome run = runSync(m_db->settings, {spec});
    stop = true;
    writer.join();
    holder.join();
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"large copy"_qs), qPrintable(run.log())); // the pipelined path
    QVERIFY2(committed >= 10, qPrintable(QString::number(committed)));     // the writers overlapped the copy
    TestDb &tgt = *m_db->target;
    QCOMPARE(tgt.scalar(u"SELECT COUNT(*) FROM (SELECT pair FROM pairs GROUP BY pair HAVING COUNT(*) <> 2 "
                        "OR COUNT(DISTINCT half) <> 2) AS torn"_qs)
                 .toInt(),
             0);
    QCOMPARE(tgt.scalar(u"SELECT COUNT(*) FROM pairs WHERE pair = -1"_qs).toInt(), 0);
    QCOMPARE(tgt.count(u"pairs"_qs), 60000);

    // With the writers gone, the next run makes the target equal to the source.
    const RunOutcome again = runSync(m_db->settings, {spec});
    QVERIFY2(again.summary.allSucceeded(), qPrintable(again.log()));
    expectIdentical(u"pairs"_qs);
}

// A table with a foreign key in the target is refreshed in place: without a key, its content is
// deleted and written again in one transaction. Its trigger is suspended meanwhile and kept.
void TestWithoutKey::tableWithTriggersIsReplacedInPlace()
{
    TestDb &tgt = *m_db->target;
    tgt.exec(
        u"CREATE TABLE sensors (name VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY)"_qs);
    tgt.exec(QString::fromLatin1(kReadings)); // restored from a dump, with the application's key and trigger
    tgt.exec(u"ALTER TABLE readings ADD CONSTRAINT fk_sensor FOREIGN KEY (sensor) REFERENCES sensors (name)"_qs);
    tgt.exec(u"INSERT INTO readings (sensor) VALUES ('stale'), ('stale')"_qs);
    tgt.exec(u"CREATE TABLE audit (n INT)"_qs);
    tgt.exec(u"CREATE TRIGGER readings_ai AFTER INSERT ON readings FOR EACH ROW INSERT INTO audit VALUES (1)"_qs);

    Settings plan = m_db->settings;
    plan.runMode = Settings::RunMode::Plan;
    const RunOutcome planned = runSync(plan, {withoutKey(u"readings"_qs)});
    QVERIFY2(planned.log().contains(u"plan: no primary_key: the table is read whole in one statement"_qs),
             qPrintable(planned.log()));
    QVERIFY2(planned.log().contains(u"deletes the table's rows and writes the new content"_qs),
             qPrintable(planned.log()));

    const RunOutcome run = runSync(m_db->settings, {withoutKey(u"readings"_qs)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"refreshing in place in one transaction"_qs), qPrintable(run.log()));
    QCOMPARE(run.table(u"readings"_qs)->deletedRows, 2);
    QCOMPARE(tgt.count(u"audit"_qs), 0);
    QCOMPARE(
        tgt.scalar(u"SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"_qs).toInt(),
        1);
    QCOMPARE(tgt.scalar(u"SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE "
                        "CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'readings'"_qs)
                 .toInt(),
             1);
    expectIdentical(u"readings"_qs);
}

// A stop while the one SELECT of a table without a key is still streaming: the stream is cut off
// (not read to its end), the old content stays, no staging table is left, and the next run,
// on a fresh source connection, copies the table.
void TestWithoutKey::stopDuringTheStreamedCopyCutsItOff()
{
    m_db->source->exec(u"CREATE TABLE big (n INT NOT NULL, pad VARCHAR(200) NOT NULL)"_qs);
    m_db->source->exec(u"INSERT INTO big SELECT seq MOD 1000, REPEAT('p', 150) FROM seq_1_to_100000"_qs);
    Settings settings = m_db->settings;
    settings.tables = {withoutKey(u"big"_qs, 1000)};
    SyncEngine engine(settings);
    std::atomic<qint64> copiedAtStop = -1;
    QObject::connect(&engine, &SyncEngine::batchCommitted, [&](const QString &, qint64, qint64 rowsSoFar, qint64) {
        qint64 none = -1;
        if (copiedAtStop.compare_exchange_strong(none, rowsSoFar))
            engine.requestStop();
    });
    QSignalSpy finished(&engine, &SyncEngine::runFinished);
    QElapsedTimer timer;
    timer.start();
    engine.runOnce();
    QVERIFY(finished.wait(60000));
    const auto summary = finished.first().first().value<RunSummary>();
    QCOMPARE(summary.tables.value(0).outcome, TableOutcome::Stopped);
    QVERIFY2(copiedAtStop > 0 && copiedAtStop < 100000, qPrintable(QString::number(copiedAtStop)));
    QCOMPARE(m_db->target->count(u"big"_qs), 0); // the table was created empty; nothing swapped in
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '\\_ts%'"_qs)
                 .toInt(),
             0);

    const RunOutcome again = runSync(m_db->settings, {withoutKey(u"big"_qs, 1000)});
    QVERIFY2(again.summary.allSucceeded(), qPrintable(again.log()));
    QCOMPARE(m_db->target->count(u"big"_qs), 100000);
}

QTEST_GUILESS_MAIN(TestWithoutKey)
#include "tst_withoutkey.moc"
