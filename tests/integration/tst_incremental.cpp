// Incremental sync by a modifier column: keyset batches ordered by (modifier, key), the cursor
// committed with each batch, upserts by single and composite keys.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestIncremental : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void copiesThenFollowsUpdatesAndInserts();
    void compositeKeyWithManyRowsSharingOneModifierValue();
    void stringKeysFollowTheirCollation();
    void initialValueSetsWhereATableWithoutStateStarts();
    void cursorIsStoredAndARunResumesFromIt();
    void rowsWithoutAModifierValueWaitForOne();
    void updateOfRowsSharingTheCursorValueSurvivesAStopInsideTheGroup();
    void unchangedRowsAtTheCursorValueAreNotRewritten();
    void integerModifierBeyondDoublePrecision();
    void configurationThatDoesNotMatchTheSourceFailsThatTableAlone();
    void aBacklogIsEstimatedFromTheModifiersIndex();

private:
    void expectIdentical(const QString &table, const QString &orderBy);
    std::unique_ptr<SandboxPair> m_db;
};

void TestIncremental::init()
{
    m_db = std::make_unique<SandboxPair>(u"incr"_qs);
}

void TestIncremental::expectIdentical(const QString &table, const QString &orderBy)
{
    const auto source = m_db->source->dump(table, orderBy);
    const auto target = m_db->target->dump(table, orderBy);
    QCOMPARE(target.size(), source.size());
    for (int row = 0; row < source.size(); ++row)
        QCOMPARE(target[row], source[row]);
}

void TestIncremental::copiesThenFollowsUpdatesAndInserts()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50), price DECIMAL(10,2), "
             "updated_at DATETIME(6) NOT NULL, KEY (updated_at))"_qs);
    src.exec(u"INSERT INTO items WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
             "SELECT i, CONCAT('item ', i), i * 1.25, TIMESTAMPADD(SECOND, i, '2024-01-01') FROM n"_qs);
    const QList<TableSpec> tables{tableSpec(u"items"_qs, {u"id"_qs}, u"updated_at"_qs, 100)};

    RunOutcome first = runSync(m_db->settings, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(first.table(u"items"_qs)->rowsWritten, 500);
    QVERIFY2(!first.log().contains(u"no index starts with"_qs), qPrintable(first.log()));
    expectIdentical(u"items"_qs, u"id"_qs);

    src.exec(u"UPDATE items SET price = price + 1, updated_at = '2025-01-01 00:00:00.5' WHERE id IN (3, 250, 499)"_qs);
    src.exec(u"INSERT INTO items VALUES (501, 'new ü', 9.99, '2025-01-01 00:00:01'), (0, 'zero', 0, '2025-01-02')"_qs);
    RunOutcome second = runSync(m_db->settings, tables);
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    // Only the changed rows are written. The rows of the last seconds before the first run's end
    // are read again (lag: stamps a late or slow-clocked writer could still commit) and found
    // unchanged: re-checked, not written.
    QCOMPARE(second.table(u"items"_qs)->rowsWritten, 5);
    QVERIFY(second.table(u"items"_qs)->rowsRechecked >= 1);
    expectIdentical(u"items"_qs, u"id"_qs);

    // Nothing changed: the run re-reads the rows after the safe start and leaves them as they
    // are (unchanged rows keep the load id that wrote them): nothing written.
    RunOutcome third = runSync(m_db->settings, tables);
    QVERIFY(third.summary.allSucceeded());
    QCOMPARE(third.table(u"items"_qs)->rowsWritten, 0);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_load_id) FROM items"_qs).toInt(), 2);
    QCOMPARE(
        m_db->target->scalar(u"SELECT COUNT(*) FROM items WHERE _dlt_load_id = ?"_qs, {third.summary.loadId}).toInt(),
        0);
}

void TestIncremental::compositeKeyWithManyRowsSharingOneModifierValue()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE order_lines (order_id BIGINT UNSIGNED, line VARCHAR(10), qty INT, "
             "updated_at DATETIME NOT NULL, PRIMARY KEY (order_id, line))"_qs);
    // 1,200 rows with the same modifier value, then a few later ones; batches of 7 rows cut the
    // shared value at many places, and no row may be lost at a boundary.
    src.exec(u"INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199) "
             "SELECT i DIV 3, CONCAT('L', i MOD 3), i, '2024-05-05 05:05:05' FROM n"_qs);
    src.exec(
        u"INSERT INTO order_lines VALUES (18446744073709551615, 'a', 1, '2024-05-06'), (0, 'z', 2, '2024-05-06')"_qs);
    const QList<TableSpec> tables{tableSpec(u"order_lines"_qs, {u"order_id"_qs, u"line"_qs}, u"updated_at"_qs, 7)};
    RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(run.table(u"order_lines"_qs)->rowsWritten, 1202);
    expectIdentical(u"order_lines"_qs, u"order_id, line"_qs);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_id) FROM order_lines"_qs).toInt(), 1202);

    // Rows inserted later with the boundary value itself are still found (the cursor is inclusive).
    src.exec(u"INSERT INTO order_lines VALUES (5, 'late', 3, '2024-05-06')"_qs);
    RunOutcome again = runSync(m_db->settings, tables);
    QVERIFY(again.summary.allSucceeded());
    expectIdentical(u"order_lines"_qs, u"order_id, line"_qs);
}

void TestIncremental::stringKeysFollowTheirCollation()
{
    TestDb &src = *m_db->source;
    // Case- and accent-insensitive collation: the keyset must compare in it, not in bytes.
    src.exec(u"CREATE TABLE words (w VARCHAR(20) COLLATE utf8mb4_unicode_ci PRIMARY KEY, n INT, "
             "updated_at DATE NOT NULL)"_qs);
    src.exec(u"INSERT INTO words VALUES ('apple',1,'2024-01-01'), ('Banana',2,'2024-01-01'), ('äpfel',3,'2024-01-01'), "
             "('cherry',4,'2024-01-01'), ('Zebra',5,'2024-01-01'), ('éclair',6,'2024-01-01'), ('😀',7,'2024-01-01'), "
             "('b',8,'2024-01-01'), ('ZZ',9,'2024-01-01'), ('a b',10,'2024-01-01'), ('',11,'2024-01-01')"_qs);
    RunOutcome run = runSync(m_db->settings, {tableSpec(u"words"_qs, {u"w"_qs}, u"updated_at"_qs, 2)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(run.table(u"words"_qs)->rowsWritten, 11);
    expectIdentical(u"words"_qs, u"n"_qs);
}

void TestIncremental::initialValueSetsWhereATableWithoutStateStarts()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE ev (id INT PRIMARY KEY, at TIMESTAMP(3) NOT NULL)"_qs);
    src.exec(u"INSERT INTO ev VALUES (1, '2023-12-31 23:59:59.999'), (2, '2024-01-01 00:00:00'), (3, '2024-06-01')"_qs);
    TableSpec spec = tableSpec(u"ev"_qs, {u"id"_qs}, u"at"_qs);
    spec.initialValue = u"2024-01-01 00:00:00"_qs;
    RunOutcome run = runSync(m_db->settings, {spec});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(m_db->target->count(u"ev"_qs), 2);
    QCOMPARE(m_db->target->scalar(u"SELECT MIN(id) FROM ev"_qs).toInt(), 2);
}

void TestIncremental::cursorIsStoredAndARunResumesFromIt()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE t (id INT PRIMARY KEY, v INT, m DATETIME(6) NOT NULL)"_qs);
    src.exec(u"INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
             "SELECT i, i, TIMESTAMPADD(MICROSECOND, i, '2024-01-01') FROM n"_qs);
    const QList<TableSpec> tables{tableSpec(u"t"_qs, {u"id"_qs}, u"m"_qs, 10)};
    RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY(run.summary.allSucceeded());
    QVERIFY2(run.log().contains(u"warning: no index starts with the modifier column `m`"_qs), qPrintable(run.log()));
    const QString stored =
        m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state WHERE table_name = 't'"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, u"2024-01-01 00:00:00.000100"_qs), qPrintable(stored));
    QCOMPARE(run.table(u"t"_qs)->cursor, stored);

    // As if a run had been killed after committing the batch ending at row 40: the target holds
    // rows 1..40 and the cursor says so. The next run continues from there.
    m_db->target->exec(u"DELETE FROM t WHERE id > 40"_qs);
    m_db->target->exec(u"UPDATE _tablesync_state SET cursor_value = '2024-01-01 00:00:00.000040', cursor_key = '', "
                       "cursor_history = NULL"_qs);
    RunOutcome resumed = runSync(m_db->settings, tables);
    QVERIFY(resumed.summary.allSucceeded());
    QCOMPARE(resumed.table(u"t"_qs)->rowsWritten, 60);  // 41..100
    QCOMPARE(resumed.table(u"t"_qs)->rowsRechecked, 1); // row 40 again (an inclusive start)
    expectIdentical(u"t"_qs, u"id"_qs);
}

// A nullable modifier: rows without a value have no place in the cursor's order and are not
// synced, on the first run (no cursor) or later, until they get one.
void TestIncremental::rowsWithoutAModifierValueWaitForOne()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE opt (id INT PRIMARY KEY, m DATETIME NULL, KEY (m))"_qs);
    src.exec(u"INSERT INTO opt VALUES (1, NULL), (2, '2024-01-02'), (3, NULL), (4, '2024-01-01')"_qs);
    const QList<TableSpec> tables{tableSpec(u"opt"_qs, {u"id"_qs}, u"m"_qs, 1)};
    RunOutcome first = runSync(m_db->settings, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(m_db->target->scalar(u"SELECT GROUP_CONCAT(id ORDER BY id) FROM opt"_qs).toString(), u"2,4"_qs);
    src.exec(u"UPDATE opt SET m = '2024-02-01' WHERE id = 3"_qs);
    RunOutcome second = runSync(m_db->settings, tables);
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    QCOMPARE(m_db->target->scalar(u"SELECT GROUP_CONCAT(id ORDER BY id) FROM opt"_qs).toString(), u"2,3,4"_qs);
}

// One UPDATE stamps 3000 rows with the same modifier value; a run stopped after the first batch
// stores that value as the cursor while 2000 of the updated rows are not yet written. The next
// run must write them, although they exist in the target and hold the cursor value.
void TestIncremental::updateOfRowsSharingTheCursorValueSurvivesAStopInsideTheGroup()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE grp (id INT PRIMARY KEY, v INT NOT NULL, m DATETIME(6) NOT NULL, KEY (m))"_qs);
    src.exec(u"INSERT INTO grp WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
             "SELECT i, 0, TIMESTAMPADD(SECOND, i, '2024-01-01') FROM n"_qs);
    const QList<TableSpec> tables{tableSpec(u"grp"_qs, {u"id"_qs}, u"m"_qs, 1000)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    src.exec(u"UPDATE grp SET v = 1, m = '2025-06-01 12:00:00'"_qs);

    Settings settings = m_db->settings;
    settings.copyWriters = 0;
    settings.tables = tables;
    {
        SyncEngine engine(settings);
        QObject::connect(&engine, &SyncEngine::batchCommitted, &engine, &SyncEngine::requestStop);
        QSignalSpy finished(&engine, &SyncEngine::runFinished);
        engine.runOnce();
        QVERIFY(finished.wait(60000));
    }
    // The stop reaches the engine after its first or second batch: either leaves rows behind.
    const int updatedBeforeStop = m_db->target->scalar(u"SELECT COUNT(*) FROM grp WHERE v = 1"_qs).toInt();
    QVERIFY2(updatedBeforeStop == 1000 || updatedBeforeStop == 2000, qPrintable(QString::number(updatedBeforeStop)));
    // The start stays before the group: the rest of it is read by the next run.
    const QString stored = m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, u"2025-06-01 12:00:00.000000"_qs), qPrintable(stored));

    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM grp WHERE v = 1"_qs).toInt(), 3000);
    expectIdentical(u"grp"_qs, u"id"_qs);
}

// The rows at the stored cursor value are read again by every run; those the target already
// holds exactly keep their load id (they are not written), the changed one is written.
void TestIncremental::unchangedRowsAtTheCursorValueAreNotRewritten()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE same (id INT PRIMARY KEY, s VARCHAR(20), m DATETIME(6) NOT NULL, KEY (m))"_qs);
    src.exec(u"INSERT INTO same VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01'), (3, 'c', '2024-01-01')"_qs);
    const QList<TableSpec> tables{tableSpec(u"same"_qs, {u"id"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    const QString firstLoad = m_db->target->scalar(u"SELECT _dlt_load_id FROM same WHERE id = 1"_qs).toString();

    // A change that keeps the modifier value (and only differs in case, which a case-insensitive
    // collation calls equal): still a change.
    src.exec(u"UPDATE same SET s = 'B' WHERE id = 2"_qs);
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    QCOMPARE(m_db->target->scalar(u"SELECT _dlt_load_id FROM same WHERE id = 1"_qs).toString(), firstLoad);
    QVERIFY(m_db->target->scalar(u"SELECT _dlt_load_id FROM same WHERE id = 2"_qs).toString() != firstLoad);
    QCOMPARE(m_db->target->scalar(u"SELECT BINARY s FROM same WHERE id = 2"_qs).toString(), u"B"_qs);
    expectIdentical(u"same"_qs, u"id"_qs);
}

void TestIncremental::integerModifierBeyondDoublePrecision()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE seq (id INT PRIMARY KEY, version BIGINT UNSIGNED NOT NULL)"_qs);
    // 2^53 + 1 and + 2 are the same double: compared as doubles, the cursor would re-read or skip.
    src.exec(u"INSERT INTO seq VALUES (1, 9007199254740993), (2, 9007199254740994)"_qs);
    const QList<TableSpec> tables{tableSpec(u"seq"_qs, {u"id"_qs}, u"version"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    // A counter: with no transaction open, the start is after the newest row, key included.
    QCOMPARE(m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString(), u"9007199254740994"_qs);
    RunOutcome again = runSync(m_db->settings, tables);
    QCOMPARE(again.table(u"seq"_qs)->rowsWritten, 0);
    QCOMPARE(again.table(u"seq"_qs)->rowsRechecked, 0); // not even the row at the start's value
    src.exec(u"INSERT INTO seq VALUES (3, 9007199254740995)"_qs);
    RunOutcome third = runSync(m_db->settings, tables);
    QCOMPARE(third.table(u"seq"_qs)->rowsWritten, 1);
    expectIdentical(u"seq"_qs, u"id"_qs);
}

void TestIncremental::configurationThatDoesNotMatchTheSourceFailsThatTableAlone()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE good (id INT PRIMARY KEY, m DATETIME NOT NULL)"_qs);
    src.exec(u"INSERT INTO good VALUES (1, '2024-01-01')"_qs);
    src.exec(u"CREATE TABLE texty (id INT PRIMARY KEY, m VARCHAR(20), f DOUBLE)"_qs);
    src.exec(u"CREATE TABLE dated (id INT PRIMARY KEY, m DATETIME NOT NULL)"_qs);

    // (tables.json refuses a table listed twice; each case is another table beside `good`.)
    TableSpec badInitial = tableSpec(u"dated"_qs, {u"id"_qs}, u"m"_qs);
    badInitial.initialValue = u"not a date"_qs;
    struct Case
    {
        TableSpec spec;
        QString expected;
    };
    const QList<Case> cases{
        {tableSpec(u"missing"_qs, {u"id"_qs}), u"table missing does not exist in the source"_qs},
        {tableSpec(u"texty"_qs, {u"nope"_qs}), u"primary_key column nope does not exist"_qs},
        {tableSpec(u"texty"_qs, {u"id"_qs}, u"gone"_qs), u"modifier column gone does not exist"_qs},
        {tableSpec(u"texty"_qs, {u"id"_qs}, u"m"_qs), u"modifier column m is varchar(20), which cannot order rows"_qs},
        {tableSpec(u"texty"_qs, {u"id"_qs}, u"f"_qs), u"modifier column f is double"_qs},
        {badInitial, u"initial_value \"not a date\" is not a valid datetime value"_qs},
    };
    for (const Case &c : cases) {
        RunOutcome run = runSync(m_db->settings, {c.spec, tableSpec(u"good"_qs, {u"id"_qs}, u"m"_qs)});
        QCOMPARE(run.summary.tables.size(), 2);
        QCOMPARE(run.summary.tables[0].outcome, TableOutcome::Failed);
        QVERIFY2(run.summary.tables[0].error.contains(c.expected), qPrintable(run.summary.tables[0].error));
        QVERIFY2(run.summary.tables[0].error.contains(u"tables.json entry 1"_qs),
                 qPrintable(run.summary.tables[0].error));
        QCOMPARE(run.summary.tables[1].outcome, TableOutcome::Succeeded);
    }
    QCOMPARE(m_db->target->count(u"good"_qs), 1);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME IN ('missing', 'texty', 'dated')"_qs)
                 .toInt(),
             0);
}

// A catch-up after a pause: its size comes from one EXPLAIN of the range after the cursor on
// the modifier's index (no count), so progress and the time left have something to go by; a
// table without such an index gets no guess rather than its whole size.
void TestIncremental::aBacklogIsEstimatedFromTheModifiersIndex()
{
    TestDb &src = *m_db->source;
    for (const QString &table : {u"indexed"_qs, u"unindexed"_qs}) {
        src.exec(u"CREATE TABLE "_qs + table + u" (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL"_qs +
                 (table == u"indexed" ? u", KEY (updated_at))"_qs : u")"_qs));
        src.exec(u"INSERT INTO "_qs + table +
                 u" SELECT seq, seq, TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_20000"_qs);
        src.exec(u"ANALYZE TABLE "_qs + table);
    }
    const QList<TableSpec> tables{tableSpec(u"indexed"_qs, {u"id"_qs}, u"updated_at"_qs, 1000),
                                  tableSpec(u"unindexed"_qs, {u"id"_qs}, u"updated_at"_qs, 1000)};
    const RunOutcome first = runSync(m_db->settings, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));

    // 6,000 rows changed since: a backlog of six pages and more.
    for (const QString &table : {u"indexed"_qs, u"unindexed"_qs})
        src.exec(u"UPDATE "_qs + table +
                 u" SET v = -v, updated_at = TIMESTAMPADD(SECOND, id, '2025-01-01') "
                 "WHERE id % 10 < 3"_qs);
    const RunOutcome second = runSync(m_db->settings, tables);
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    QCOMPARE(second.table(u"indexed"_qs)->rowsWritten, 6000);
    const auto &indexed = second.batches.value(u"indexed"_qs);
    QVERIFY(indexed.size() >= 2);
    const qint64 estimate = indexed.first().second;
    QVERIFY2(estimate >= 3000 && estimate <= 12000, qPrintable(QString::number(estimate)));
    qint64 mostSoFar = 0; // writers report in the order they commit, not always in page order
    for (const auto &[soFar, total] : indexed)
        mostSoFar = std::max(mostSoFar, soFar);
    QCOMPARE(mostSoFar, second.table(u"indexed"_qs)->rowsWritten + second.table(u"indexed"_qs)->rowsRechecked);
    const auto &unindexed = second.batches.value(u"unindexed"_qs);
    QVERIFY(!unindexed.isEmpty());
    for (const auto &[soFar, total] : unindexed)
        QCOMPARE(total, -1);
    expectIdentical(u"indexed"_qs, u"id"_qs);
}

QTEST_GUILESS_MAIN(TestIncremental)
#include "tst_incremental.moc"
