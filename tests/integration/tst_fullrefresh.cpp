// Full refresh: the new content is built beside the old and swapped in atomically.
#include "TestSandbox.h"
#include "sync/TableLock.h"

#include <QTest>
#include <QThread>

using namespace tablesync;
using namespace tablesync::test;

class TestFullRefresh : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void replacesContentIncludingDeletes();
    void leftoverStagingTablesOfAKilledRunAreDropped();
    void hostileAndLongTableNamesAreQuoted();
    void concurrentReaderSeesOldOrNewContentOnly();
    void aTableAnotherProcessWorksOnIsLeftToIt();
    void twoEnginesAtOnceNeverMixTheirWork();

private:
    std::unique_ptr<SandboxPair> m_db;
};

void TestFullRefresh::init()
{
    m_db = std::make_unique<SandboxPair>(u"full"_qs);
}

void TestFullRefresh::replacesContentIncludingDeletes()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE p (sku VARCHAR(10) PRIMARY KEY, title VARCHAR(100), price DECIMAL(8,2), KEY (title))"_qs);
    src.exec(u"INSERT INTO p WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
             "SELECT CONCAT('S', i), CONCAT('Titel ', i, ' ß'), i / 7 FROM n"_qs);
    const QList<TableSpec> tables{tableSpec(u"p"_qs, {u"sku"_qs}, QString(), 1000)};
    RunOutcome first = runSync(m_db->settings, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(first.table(u"p"_qs)->rowsWritten, 2500);
    QCOMPARE(m_db->target->dump(u"p"_qs, u"sku"_qs), src.dump(u"p"_qs, u"sku"_qs));
    // The target keeps the source's secondary index.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'p' AND INDEX_NAME = 'title'"_qs)
                 .toInt(),
             1);

    src.exec(u"DELETE FROM p WHERE sku IN ('S1', 'S2000')"_qs);
    src.exec(u"UPDATE p SET price = 0 WHERE sku = 'S5'"_qs);
    src.exec(u"INSERT INTO p VALUES ('NEW', 'neu', 1.5)"_qs);
    RunOutcome second = runSync(m_db->settings, tables);
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    QCOMPARE(m_db->target->count(u"p"_qs), 2499);
    QCOMPARE(m_db->target->dump(u"p"_qs, u"sku"_qs), src.dump(u"p"_qs, u"sku"_qs));
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_load_id) FROM p"_qs).toInt(), 1);
    QCOMPARE(m_db->target->scalar(u"SELECT MIN(_dlt_load_id) FROM p"_qs).toString(), second.summary.loadId);
    // No staging table is left behind.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '\\_ts%'"_qs)
                 .toInt(),
             0);
}

void TestFullRefresh::leftoverStagingTablesOfAKilledRunAreDropped()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE k (id INT PRIMARY KEY, v TEXT)"_qs);
    src.exec(u"INSERT INTO k VALUES (1, 'one'), (2, 'two')"_qs);
    m_db->target->exec(u"CREATE TABLE _tsnew_k (junk INT)"_qs);
    m_db->target->exec(u"CREATE TABLE _tsold_k (junk INT)"_qs);
    RunOutcome run = runSync(m_db->settings, {tableSpec(u"k"_qs, {u"id"_qs})});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(m_db->target->dump(u"k"_qs, u"id"_qs), src.dump(u"k"_qs, u"id"_qs));
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"_qs)
                 .toInt(),
             4); // k, _dlt_loads, _tablesync_state, _tablesync_triggers
}

void TestFullRefresh::hostileAndLongTableNamesAreQuoted()
{
    TestDb &src = *m_db->source;
    const QString hostile = u"x`; DROP TABLE victim; -- ü"_qs;
    const QString longName = QString(64, u'l');
    src.exec(u"CREATE TABLE victim (id INT PRIMARY KEY)"_qs);
    m_db->target->exec(u"CREATE TABLE victim (id INT PRIMARY KEY)"_qs);
    m_db->target->exec(u"INSERT INTO victim VALUES (42)"_qs);
    src.exec(u"CREATE TABLE `x``; DROP TABLE victim; -- ü` (`we``ird col` INT PRIMARY KEY, `sp ace` VARCHAR(5), "
             "`m;` DATETIME NOT NULL)"_qs);
    src.exec(u"INSERT INTO `x``; DROP TABLE victim; -- ü` VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-02')"_qs);
    src.exec(u"CREATE TABLE `"_qs + longName + u"` (id INT PRIMARY KEY, v INT)"_qs);
    src.exec(u"INSERT INTO `"_qs + longName + u"` VALUES (1, 1)"_qs);
    RunOutcome run =
        runSync(m_db->settings, {tableSpec(hostile, {u"we`ird col"_qs}, u"m;"_qs, 1), tableSpec(longName, {u"id"_qs})});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM `x``; DROP TABLE victim; -- ü`"_qs).toInt(), 2);
    QCOMPARE(m_db->target->count(longName), 1);
    QCOMPARE(m_db->target->scalar(u"SELECT id FROM victim"_qs).toInt(), 42);
}

void TestFullRefresh::concurrentReaderSeesOldOrNewContentOnly()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE swap (id INT PRIMARY KEY, v VARCHAR(10), pad VARCHAR(200))"_qs);
    src.exec(u"INSERT INTO swap SELECT seq, 'old', REPEAT('p', 150) FROM seq_1_to_60000"_qs);
    src.exec(u"ANALYZE TABLE swap"_qs);
    const QList<TableSpec> tables{tableSpec(u"swap"_qs, {u"id"_qs}, QString(), 1000)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    src.exec(u"UPDATE swap SET v = 'new'"_qs);
    src.exec(u"DELETE FROM swap WHERE id > 45000"_qs);

    // A reader on its own connection and thread, counting and sampling the table while the
    // refresh runs: every answer must be the whole old table or the whole new one.
    std::atomic_bool done = false;
    QStringList seen;
    QString readerError;
    QThread *reader = QThread::create([&] {
        try {
            TestDb db(m_db->settings.target);
            while (!done.load()) {
                const QString state =
                    db.scalar(u"SELECT CONCAT(COUNT(*), ':', MIN(v), ':', MAX(v)) FROM swap"_qs).toString();
                if (seen.isEmpty() || seen.last() != state)
                    seen << state;
            }
        } catch (const DbError &e) {
            readerError = e.message();
        }
    });
    reader->start();
    RunOutcome run = runSync(m_db->settings, tables);
    done = true;
    QVERIFY(reader->wait(30000));
    delete reader;
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
    QVERIFY2(!seen.isEmpty(), "the reader saw nothing");
    for (const QString &state : std::as_const(seen)) {
        QVERIFY2(state == u"60000:old:old" || state == u"45000:new:new", qPrintable(seen.join(u", "_qs)));
    }
    QCOMPARE(seen.last(), u"45000:new:new"_qs);
}

// A target table another tablesync session holds (its lock, as a process syncing it holds it)
// is left alone this run, saying who holds it; the other tables sync; the next run takes it.
void TestFullRefresh::aTableAnotherProcessWorksOnIsLeftToIt()
{
    TestDb &src = *m_db->source;
    for (const QString &table : {u"held"_qs, u"free"_qs}) {
        src.exec(u"CREATE TABLE "_qs + table + u" (id INT PRIMARY KEY, v INT)"_qs);
        src.exec(u"INSERT INTO "_qs + table + u" SELECT seq, seq FROM seq_1_to_100"_qs);
    }
    const QList<TableSpec> tables{tableSpec(u"held"_qs, {u"id"_qs}), tableSpec(u"free"_qs, {u"id"_qs})};
    TestDb other(m_db->settings.target); // another process's connection
    const QString name = TableLock::nameFor(m_db->settings.target.database, u"held"_qs);
    QCOMPARE(name, u"tablesync:`"_qs + m_db->settings.target.database + u"`.`held`"_qs);
    QCOMPARE(other.scalar(u"SELECT GET_LOCK(?, 0)"_qs, {name}).toInt(), 1);
    const qint64 otherId = other.scalar(u"SELECT CONNECTION_ID()"_qs).toLongLong();

    const RunOutcome blocked = runSync(m_db->settings, tables);
    QCOMPARE(blocked.table(u"held"_qs)->outcome, TableOutcome::Failed);
    const QString error = blocked.table(u"held"_qs)->error;
    QVERIFY2(error.contains(u"another tablesync is working on target table held right now (connection "_qs +
                            QString::number(otherId) + u" of tablesync@"_qs),
             qPrintable(error));
    QCOMPARE(blocked.table(u"free"_qs)->outcome, TableOutcome::Succeeded);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '%held'"_qs)
                 .toInt(),
             0); // not touched: no staging table, no table

    other.exec(u"DO RELEASE_LOCK('"_qs + name + u"')"_qs);
    const RunOutcome after = runSync(m_db->settings, tables);
    QVERIFY2(after.summary.allSucceeded(), qPrintable(after.log()));
    QCOMPARE(m_db->target->count(u"held"_qs), 100);
    // And the run let go of its locks: the other session can take them.
    QCOMPARE(other.scalar(u"SELECT GET_LOCK(?, 0)"_qs, {name}).toInt(), 1);
}

// Two engines (two processes' worth: each its own pools and connections) syncing one target at
// once, a full refresh large enough to overlap and an incremental table: each table is done by
// one of them at a time, the other leaves it, and the target ends up exactly the source.
void TestFullRefresh::twoEnginesAtOnceNeverMixTheirWork()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(10), pad VARCHAR(200))"_qs);
    src.exec(u"INSERT INTO big SELECT seq, 'x', REPEAT('p', 150) FROM seq_1_to_80000"_qs);
    src.exec(u"CREATE TABLE items (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, KEY (updated_at))"_qs);
    src.exec(u"INSERT INTO items SELECT seq, TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_30000"_qs);
    src.exec(u"ANALYZE TABLE big, items"_qs);
    Settings settings = m_db->settings;
    settings.tables = {tableSpec(u"big"_qs, {u"id"_qs}, QString(), 2000),
                       tableSpec(u"items"_qs, {u"id"_qs}, u"updated_at"_qs, 2000)};
    for (int round = 0; round < 3; ++round) {
        SyncEngine first(settings);
        SyncEngine second(settings);
        QList<RunSummary> summaries;
        for (SyncEngine *engine : {&first, &second})
            QObject::connect(engine, &SyncEngine::runFinished, [&](const RunSummary &s) { summaries << s; });
        first.runOnce();
        second.runOnce();
        QTRY_COMPARE_WITH_TIMEOUT(summaries.size(), 2, 120000);
        QSet<QString> done;
        for (const RunSummary &summary : std::as_const(summaries)) {
            for (const TableResult &table : summary.tables) {
                if (table.outcome == TableOutcome::Succeeded)
                    done.insert(table.table);
                else
                    QVERIFY2(table.error.contains(u"another tablesync is working on target table"_qs),
                             qPrintable(table.table + u": "_qs + table.error));
            }
        }
        QCOMPARE(done, (QSet<QString>{u"big"_qs, u"items"_qs})); // each table done by one of them
        for (const auto &[table, key] : {std::pair{u"big"_qs, u"id"_qs}, std::pair{u"items"_qs, u"id"_qs}})
            QVERIFY(m_db->target->dump(table, key) == src.dump(table, key));
        src.exec(u"UPDATE big SET v = 'y' WHERE id % 7 = 0"_qs);
    }
}

QTEST_GUILESS_MAIN(TestFullRefresh)
#include "tst_fullrefresh.moc"
