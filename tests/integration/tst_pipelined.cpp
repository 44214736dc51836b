// Large copies with the source read and the target written in parallel (PipelinedCopy): exact,
// and an interrupted load never leaves the cursor ahead of the committed rows.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestPipelined : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void firstIncrementalLoadIsExact();
    void fullRefreshIsExact();
    void autoIncrementZeroLoadedLastKeepsItsKey();
    void stoppedFirstLoadResumesAfterTheCommittedKeys();
    void resumeMeetingRowsPastTheSavedKeyUpsertsThem();
    void backlogAfterACursorGoesParallelAfterASmallFirstPage();
    void stateTableOfAnEarlierVersionGainsTheFirstLoadColumns();

private:
    void createTable(const QString &name, int rows);
    void expectIdentical(const QString &table);
    Settings settings() const;
    std::unique_ptr<SandboxPair> m_db;
};

void TestPipelined::init()
{
    m_db = std::make_unique<SandboxPair>(u"pipe"_qs);
}

Settings TestPipelined::settings() const
{
    Settings s = m_db->settings;
    s.copyWriters = 3;
    return s;
}

void TestPipelined::createTable(const QString &name, int rows)
{
    // Composite key and many rows per modifier value: batches end in the middle of equal values.
    m_db->source->exec(u"CREATE TABLE "_qs + name +
                       u" (a INT, b VARCHAR(8), v TEXT, d DECIMAL(30,10), m DATETIME(6) NOT NULL, "
                       "PRIMARY KEY (a, b), KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + name +
                       QStringLiteral(" SELECT seq DIV 3, CONCAT('k', seq MOD 3), REPEAT('ü', seq MOD 50), seq / 7, "
                                      "TIMESTAMPADD(MICROSECOND, seq DIV 5, '2024-01-01') FROM seq_0_to_%1")
                           .arg(rows - 1));
    m_db->source->exec(u"ANALYZE TABLE "_qs + name); // the row estimate decides on pipelining
}

void TestPipelined::expectIdentical(const QString &table)
{
    const auto source = m_db->source->dump(table, u"a, b"_qs);
    const auto target = m_db->target->dump(table, u"a, b"_qs);
    QCOMPARE(target.size(), source.size());
    QVERIFY(target == source);
}

void TestPipelined::firstIncrementalLoadIsExact()
{
    createTable(u"inc"_qs, 120000);
    RunOutcome run = runSync(settings(), {tableSpec(u"inc"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 1000)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"reading and writing in parallel with 3 writer"_qs), qPrintable(run.log()));
    QCOMPARE(run.table(u"inc"_qs)->rowsWritten, 120000);
    expectIdentical(u"inc"_qs);
    const QString maxM = m_db->source->scalar(u"SELECT CAST(MAX(m) AS CHAR) FROM inc"_qs).toString();
    // Ends with a safe start (SafeCursor.h), not the snapshot's newest value.
    const QString stored = m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, maxM), qPrintable(stored));
    QCOMPARE(run.table(u"inc"_qs)->cursor, stored);

    // The next run is an ordinary incremental one.
    m_db->source->exec(u"UPDATE inc SET v = 'changed', m = '2030-01-01' WHERE a = 7"_qs);
    RunOutcome next = runSync(settings(), {tableSpec(u"inc"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 1000)});
    QVERIFY(next.summary.allSucceeded());
    QCOMPARE(next.table(u"inc"_qs)->rowsWritten, 3); // the rows read again after the safe start are not written
    expectIdentical(u"inc"_qs);
}

void TestPipelined::autoIncrementZeroLoadedLastKeepsItsKey()
{
    // The row with key 0 has the newest modifier value, so its page is loaded last, into a table
    // that already holds higher keys: the case where MariaDB's LOAD DATA renumbers a 0.
    m_db->source->exec(u"CREATE TABLE autoinc (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT, "
                       "m DATETIME(6) NOT NULL, KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO autoinc SELECT seq, CONCAT('row ', seq), '2024-01-01' FROM seq_1_to_60000"_qs);
    m_db->source->exec(u"SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')"_qs);
    m_db->source->exec(u"INSERT INTO autoinc VALUES (0, 'key zero', '2030-01-01')"_qs);
    m_db->source->exec(u"ANALYZE TABLE autoinc"_qs);
    RunOutcome run = runSync(settings(), {tableSpec(u"autoinc"_qs, {u"id"_qs}, u"m"_qs, 1000)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"writing with LOAD DATA LOCAL INFILE"_qs), qPrintable(run.log()));
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM autoinc WHERE id = 0"_qs).toString(), u"key zero"_qs);
    const auto source = m_db->source->dump(u"autoinc"_qs, u"id"_qs);
    const auto target = m_db->target->dump(u"autoinc"_qs, u"id"_qs);
    QCOMPARE(target.size(), source.size());
    QVERIFY(target == source);
}

void TestPipelined::fullRefreshIsExact()
{
    createTable(u"full"_qs, 100000);
    RunOutcome run = runSync(settings(), {tableSpec(u"full"_qs, {u"a"_qs, u"b"_qs}, {}, 1000)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"large copy: reading and writing in parallel"_qs), qPrintable(run.log()));
    expectIdentical(u"full"_qs);
}

void TestPipelined::stoppedFirstLoadResumesAfterTheCommittedKeys()
{
    createTable(u"stop"_qs, 150000);
    Settings s = settings();
    s.tables = {tableSpec(u"stop"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 500)};
    {
        SyncEngine engine(s);
        int batches = 0;
        QObject::connect(&engine, &SyncEngine::batchCommitted, [&] {
            if (++batches == 10)
                engine.requestStop();
        });
        QSignalSpy finished(&engine, &SyncEngine::runFinished);
        engine.runOnce();
        QVERIFY(finished.wait(120000));
        const auto summary = finished.first().first().value<RunSummary>();
        QCOMPARE(summary.tables.value(0).outcome, TableOutcome::Stopped);
    }
    // A first load in key order keeps no cursor until it ends, only the last committed key.
    QVERIFY(m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).isNull());
    const QString maxAtStart = m_db->source->scalar(u"SELECT CAST(MAX(m) AS CHAR) FROM stop"_qs).toString();
    // The state to take at the end, decided as the load began: a mark of its newest row.
    QVERIFY(m_db->target->scalar(u"SELECT first_load_cursor FROM _tablesync_state"_qs).toString().contains(maxAtStart));
    const std::optional<QVariantList> after =
        KeyToken::decode(m_db->target->scalar(u"SELECT first_load_after FROM _tablesync_state"_qs).toString());
    QVERIFY(after.has_value() && after->size() == 2);
    const QString upTo = u"SELECT COUNT(*) FROM stop WHERE a < ? OR (a = ? AND b <= ?)"_qs;
    const QVariantList binds{after->at(0), after->at(0), after->at(1)};
    const qint64 committed = m_db->source->scalar(upTo, binds).toLongLong();
    QVERIFY(committed >= 10 * 500);
    QVERIFY(m_db->target->count(u"stop"_qs) < 150000);
    QCOMPARE(m_db->target->scalar(upTo, binds).toLongLong(), committed);

    // Changed meanwhile, inside the part already copied: the resumed run must not miss it.
    m_db->source->exec(u"UPDATE stop SET v = 'changed later', m = '2031-01-01' WHERE a = 1"_qs);
    RunOutcome rest = runSync(settings(), s.tables);
    QVERIFY2(rest.summary.allSucceeded(), qPrintable(rest.log()));
    QVERIFY2(rest.log().contains(u"resuming the first load after the rows an earlier run committed"_qs),
             qPrintable(rest.log()));
    expectIdentical(u"stop"_qs);
    const QString stored = m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, u"2031-01-01 00:00:00.000000"_qs), qPrintable(stored));
}

// Writers commit out of order, so a killed first load can leave rows past the key it saved. The
// resumed load's LOAD DATA then meets them (duplicates skipped, with warnings), and the page is
// written again with upserts, from the text rows a first load on an integer key reads.
void TestPipelined::resumeMeetingRowsPastTheSavedKeyUpsertsThem()
{
    m_db->source->exec(u"CREATE TABLE ints (a INT, b BIGINT UNSIGNED, v TEXT, d DECIMAL(30,10), "
                       "m DATETIME(6) NOT NULL, PRIMARY KEY (a, b), KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO ints SELECT seq DIV 3, seq MOD 3, REPEAT('\\ü\t', seq MOD 5), seq / 7, "
                       "TIMESTAMPADD(MICROSECOND, seq, '2024-01-01') FROM seq_0_to_59999"_qs);
    m_db->source->exec(u"ANALYZE TABLE ints"_qs);
    Settings s = settings();
    s.tables = {tableSpec(u"ints"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 1000)};
    {
        SyncEngine engine(s);
        QObject::connect(&engine, &SyncEngine::batchCommitted, &engine, &SyncEngine::requestStop);
        QSignalSpy finished(&engine, &SyncEngine::runFinished);
        engine.runOnce();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().value<RunSummary>().tables.value(0).outcome, TableOutcome::Stopped);
    }
    const std::optional<QVariantList> after =
        KeyToken::decode(m_db->target->scalar(u"SELECT first_load_after FROM _tablesync_state"_qs).toString());
    QVERIFY(after.has_value() && after->size() == 2);
    const qint64 a = after->at(0).toLongLong();
    QVERIFY(a >= 1);
    QVERIFY(m_db->target->count(u"ints"_qs) < 50000);
    // The committed prefix ends with key (a - 1, 2); past it, three stale rows at a + 1, as a
    // writer that committed ahead of the others would have left them.
    m_db->target->exec(QStringLiteral("DELETE FROM ints WHERE a >= %1").arg(a));
    m_db->target->exec(QStringLiteral("INSERT INTO ints (a, b, v, d, m, _dlt_load_id, _dlt_id) VALUES "
                                      "(%1, 0, 'stale', 0, '2000-01-01', 'old', 'x'), "
                                      "(%1, 1, 'stale', 0, '2000-01-01', 'old', 'y'), "
                                      "(%1, 2, 'stale', 0, '2000-01-01', 'old', 'z')")
                           .arg(a + 1));
    m_db->target->exec(u"UPDATE _tablesync_state SET first_load_after = '"_qs +
                       KeyToken::encode({QVariant(a - 1), QVariant(2ULL)}) + u"'"_qs);

    RunOutcome rest = runSync(settings(), s.tables);
    QVERIFY2(rest.summary.allSucceeded(), qPrintable(rest.log()));
    QVERIFY2(rest.log().contains(u"resuming the first load after the rows an earlier run committed"_qs),
             qPrintable(rest.log()));
    QVERIFY2(rest.log().contains(u"LOAD DATA met rows already there or adjusted a value: writing such pages with "
                                 "INSERTs"_qs),
             qPrintable(rest.log()));
    expectIdentical(u"ints"_qs);
    // The rows rewritten by upserts have the ids the rest of the table has.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM ints WHERE _dlt_id IN ('x', 'y', 'z') OR "
                          "_dlt_load_id = 'old'"_qs)
                 .toLongLong(),
             0);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_id) FROM ints"_qs).toLongLong(), 60000);
}

// 30,000 changed rows after a stored cursor, batch size 10,000: the run reads a 1,000-row page
// first, finds it full, and hands the rest (pages of 2,000, 4,000, ... 10,000) to the writers.
void TestPipelined::backlogAfterACursorGoesParallelAfterASmallFirstPage()
{
    createTable(u"back"_qs, 60000);
    const QList<TableSpec> tables{tableSpec(u"back"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 10000)};
    QVERIFY(runSync(settings(), tables).summary.allSucceeded());
    m_db->source->exec(u"UPDATE back SET v = CONCAT('changed ', a), m = TIMESTAMPADD(MICROSECOND, a, '2031-01-01') "
                       "WHERE a < 10000"_qs);
    RunOutcome run = runSync(settings(), tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"a backlog of changes: reading and writing in parallel"_qs), qPrintable(run.log()));
    // The changed rows are written; those read again after the first run's safe start are not.
    QCOMPARE(run.table(u"back"_qs)->rowsWritten, 30000);
    QVERIFY(run.table(u"back"_qs)->rowsRechecked > 0);
    expectIdentical(u"back"_qs);
    const QString stored = m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, m_db->source->scalar(u"SELECT CAST(MAX(m) AS CHAR) FROM back"_qs).toString()),
             qPrintable(stored));
}

void TestPipelined::stateTableOfAnEarlierVersionGainsTheFirstLoadColumns()
{
    // _tablesync_state as versions before the key-order first load made it, with a stored cursor.
    m_db->target->exec(u"CREATE TABLE `_tablesync_state` (`table_name` varchar(64) NOT NULL PRIMARY KEY, "
                       "`modifier` varchar(64) NOT NULL, `cursor_value` text NULL, `load_id` varchar(32) NOT NULL, "
                       "`updated_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6) "
                       "ON UPDATE current_timestamp(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"_qs);
    m_db->target->exec(u"INSERT INTO `_tablesync_state` (table_name, modifier, cursor_value, load_id) "
                       "VALUES ('elsewhere', 'm', '2024-01-01', '1')"_qs);
    createTable(u"old"_qs, 60000);
    RunOutcome run = runSync(settings(), {tableSpec(u"old"_qs, {u"a"_qs, u"b"_qs}, u"m"_qs, 5000)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"large first load, in key order"_qs), qPrintable(run.log()));
    expectIdentical(u"old"_qs);
    QCOMPARE(
        m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state WHERE table_name = 'elsewhere'"_qs).toString(),
        u"2024-01-01"_qs);
    const QString stored =
        m_db->target->scalar(u"SELECT cursor_value FROM _tablesync_state WHERE table_name = 'old'"_qs).toString();
    QVERIFY2(isSafeStartBefore(stored, m_db->source->scalar(u"SELECT CAST(MAX(m) AS CHAR) FROM old"_qs).toString()),
             qPrintable(stored));
}

QTEST_GUILESS_MAIN(TestPipelined)
#include "tst_pipelined.moc"
