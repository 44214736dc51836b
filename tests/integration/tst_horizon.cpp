// Late commits: a transaction that stamps a row, stays open while others commit newer rows and a
// sync runs, then commits. No row may be lost to it, nor to a writer whose clock is behind
// (SafeCursor.h). Every case uses real concurrent transactions on the source.
#include "TestSandbox.h"

#include <QTest>

#include <atomic>
#include <random>
#include <thread>

using namespace tablesync;
using namespace tablesync::test;

class TestHorizon : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void lateCommitOfANowStampIsNotLost();
    void lateCommitOfAnAutoIncrementIdIsNotLost();
    void backDatedStampIsCoveredByTheDefaultLag();
    void withoutLagABackDatedStampIsMissed();
    void withoutProcessPrivilegeLagAloneProtectsAndItIsSaid();
    void rereadRowsKeepTheirLoadIdAndNothingIsWritten();
    void aStampFarInTheFutureIsWarnedOf();
    void soakWithConcurrentWriters();

private:
    void createStamped(const QString &table, int rows);
    void expectIdentical(const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestHorizon::init()
{
    // bench/soak.sh's long soak gets databases of its own, so the suite can run beside it.
    m_db =
        std::make_unique<SandboxPair>(qEnvironmentVariableIsSet("TABLESYNC_SOAK_SECONDS") ? u"soak"_qs : u"horizon"_qs);
}

void TestHorizon::createStamped(const QString &table, int rows)
{
    m_db->source->exec(u"CREATE TABLE "_qs + table +
                       u" (id INT PRIMARY KEY, v VARCHAR(40), "
                       "updated_at DATETIME(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6), KEY (updated_at))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + table +
                       u" (id, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "_qs +
                       QString::number(rows) + u") SELECT i, CONCAT('v', i) FROM n"_qs);
}

void TestHorizon::expectIdentical(const QString &table)
{
    const QList<QStringList> source = m_db->source->dump(table, u"id"_qs);
    const QList<QStringList> target = m_db->target->dump(table, u"id"_qs);
    QVERIFY2(source == target, qPrintable(firstDifferences(source, target)));
}

// Row 7 is stamped by a transaction that commits after a sync has read a newer row (row 8).
// With lag 0, only the horizon can save it.
void TestHorizon::lateCommitOfANowStampIsNotLost()
{
    createStamped(u"ev"_qs, 20);
    TableSpec spec = tableSpec(u"ev"_qs, {u"id"_qs}, u"updated_at"_qs);
    spec.lag = 0;
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());

    TestDb late(m_db->settings.source);
    late.exec(u"START TRANSACTION"_qs);
    late.exec(u"UPDATE ev SET v = 'late' WHERE id = 7"_qs); // stamped now, committed later
    QTest::qWait(1100);                                     // the stamps below differ by a second or more
    m_db->source->exec(u"UPDATE ev SET v = 'early' WHERE id = 8"_qs);
    RunOutcome during = runSync(m_db->settings, {spec});
    QVERIFY2(during.summary.allSucceeded(), qPrintable(during.log()));
    const TableResult *result = during.table(u"ev"_qs);
    QCOMPARE(result->rowsWritten, 1); // row 8
    QVERIFY(result->horizon.known);
    QVERIFY2(result->horizon.holder.contains(u"has been open for"_qs), qPrintable(result->horizon.holder));
    QVERIFY2(result->horizon.heldBackSeconds >= 1, qPrintable(QString::number(result->horizon.heldBackSeconds)));
    // Another run while it is still open, late enough that the run before would count as old:
    // without the horizon, its mark (past row 7's stamp) would become the start.
    QTest::qWait(1100);
    m_db->source->exec(u"UPDATE ev SET v = 'early too' WHERE id = 9"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    late.exec(u"COMMIT"_qs);

    RunOutcome after = runSync(m_db->settings, {spec});
    QVERIFY2(after.summary.allSucceeded(), qPrintable(after.log()));
    QCOMPARE(after.table(u"ev"_qs)->rowsWritten, 1); // row 7
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM ev WHERE id = 7"_qs).toString(), u"late"_qs);
    expectIdentical(u"ev"_qs);
}

// The same with an AUTO_INCREMENT id as the modifier (a counter: no clock, no lag).
void TestHorizon::lateCommitOfAnAutoIncrementIdIsNotLost()
{
    m_db->source->exec(u"CREATE TABLE seq (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))"_qs);
    m_db->source->exec(u"INSERT INTO seq (v) VALUES ('a'), ('b'), ('c')"_qs);
    const TableSpec spec = tableSpec(u"seq"_qs, {u"id"_qs}, u"id"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());

    TestDb late(m_db->settings.source);
    late.exec(u"START TRANSACTION"_qs);
    late.exec(u"INSERT INTO seq (v) VALUES ('late')"_qs);           // id 4, committed later
    m_db->source->exec(u"INSERT INTO seq (v) VALUES ('early')"_qs); // id 5, committed now
    QTest::qWait(1100); // the list asked by the first run is shared for a second: ask anew, to see the writer
    RunOutcome during = runSync(m_db->settings, {spec});
    QVERIFY2(during.summary.allSucceeded(), qPrintable(during.log()));
    QCOMPARE(during.table(u"seq"_qs)->rowsWritten, 1);
    QVERIFY2(!during.table(u"seq"_qs)->horizon.holder.isEmpty(), "the open transaction was not seen");
    // A second run while it is open: without the horizon, the first run's mark (id 5) would
    // become the start and id 4 would never be read.
    m_db->source->exec(u"INSERT INTO seq (v) VALUES ('early too')"_qs); // id 6
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    late.exec(u"COMMIT"_qs);
    RunOutcome after = runSync(m_db->settings, {spec});
    QVERIFY2(after.summary.allSucceeded(), qPrintable(after.log()));
    QCOMPARE(m_db->target->count(u"seq"_qs), 6);
    expectIdentical(u"seq"_qs);
}

// A client whose clock is 2 s behind the database commits a stamp just below what a run read.
void TestHorizon::backDatedStampIsCoveredByTheDefaultLag()
{
    createStamped(u"bd"_qs, 10);
    const TableSpec spec = tableSpec(u"bd"_qs, {u"id"_qs}, u"updated_at"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    m_db->source->exec(u"UPDATE bd SET v = 'now' WHERE id = 1"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    m_db->source->exec(u"UPDATE bd SET v = 'slow clock', updated_at = NOW(6) - INTERVAL 2 SECOND WHERE id = 2"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM bd WHERE id = 2"_qs).toString(), u"slow clock"_qs);
    expectIdentical(u"bd"_qs);
}

// The counter-proof: the same back-dated stamp with lag 0 is below the start (so lag matters).
void TestHorizon::withoutLagABackDatedStampIsMissed()
{
    createStamped(u"nl"_qs, 10);
    TableSpec spec = tableSpec(u"nl"_qs, {u"id"_qs}, u"updated_at"_qs);
    spec.lag = 0;
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    QTest::qWait(1500);
    m_db->source->exec(u"UPDATE nl SET v = 'now' WHERE id = 1"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    m_db->source->exec(u"UPDATE nl SET v = 'slow clock', updated_at = NOW(6) - INTERVAL 2 SECOND WHERE id = 2"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM nl WHERE id = 2"_qs).toString(), u"v2"_qs);
}

void TestHorizon::withoutProcessPrivilegeLagAloneProtectsAndItIsSaid()
{
    createStamped(u"np"_qs, 10);
    const Settings settings = withSelectOnlySourceUser(*m_db, u"tsnoproc"_qs);
    const TableSpec spec = tableSpec(u"np"_qs, {u"id"_qs}, u"updated_at"_qs);

    RunOutcome first = runSync(settings, {spec, tableSpec(u"np2"_qs, {u"id"_qs}, u"updated_at"_qs)});
    // np2 does not exist: that table fails, np does not, and the warning comes once.
    QVERIFY2(first.table(u"np"_qs)->outcome == TableOutcome::Succeeded, qPrintable(first.log()));
    QVERIFY(!first.table(u"np"_qs)->horizon.known);
    QVERIFY(first.table(u"np"_qs)->horizon.privilegeMissing);
    QCOMPARE(first.log().count(u"lacks the PROCESS privilege"_qs), 1);
    QVERIFY2(first.log().contains(u"GRANT PROCESS ON *.* TO 'tsnoproc'"_qs), qPrintable(first.log()));

    m_db->source->exec(u"UPDATE np SET v = 'now' WHERE id = 1"_qs);
    QVERIFY(runSync(settings, {spec}).summary.allSucceeded());
    m_db->source->exec(u"UPDATE np SET v = 'slow clock', updated_at = NOW(6) - INTERVAL 2 SECOND WHERE id = 2"_qs);
    RunOutcome last = runSync(settings, {spec});
    QVERIFY2(last.summary.allSucceeded(), qPrintable(last.log()));
    expectIdentical(u"np"_qs);
    m_db->source->exec(u"DROP USER 'tsnoproc'@'127.0.0.1'"_qs);
}

// Rows stamped within the last seconds are read again by the next run: unchanged, they are not
// written (their load id stays) and are counted as re-checked. A table with nothing new gets no
// statement on the target at all (the state row is not touched).
void TestHorizon::rereadRowsKeepTheirLoadIdAndNothingIsWritten()
{
    createStamped(u"rr"_qs, 50);
    const TableSpec spec = tableSpec(u"rr"_qs, {u"id"_qs}, u"updated_at"_qs);
    RunOutcome first = runSync(m_db->settings, {spec});
    QVERIFY(first.summary.allSucceeded());
    QCOMPARE(first.table(u"rr"_qs)->rowsWritten, 50);
    RunOutcome again = runSync(m_db->settings, {spec});
    QVERIFY(again.summary.allSucceeded());
    QCOMPARE(again.table(u"rr"_qs)->rowsWritten, 0);
    QCOMPARE(again.table(u"rr"_qs)->rowsRechecked, 50); // all were stamped within the lag
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM rr WHERE _dlt_load_id = ?"_qs, {first.summary.loadId}).toInt(),
             50);
    const QString stateStamp =
        m_db->target->scalar(u"SELECT CAST(updated_at AS CHAR) FROM _tablesync_state"_qs).toString();
    RunOutcome third = runSync(m_db->settings, {spec});
    QCOMPARE(third.table(u"rr"_qs)->rowsWritten, 0);
    QCOMPARE(m_db->target->scalar(u"SELECT CAST(updated_at AS CHAR) FROM _tablesync_state"_qs).toString(), stateStamp);
}

void TestHorizon::aStampFarInTheFutureIsWarnedOf()
{
    createStamped(u"fut"_qs, 5);
    const TableSpec spec = tableSpec(u"fut"_qs, {u"id"_qs}, u"updated_at"_qs);
    RunOutcome normal = runSync(m_db->settings, {spec});
    QVERIFY2(!normal.log().contains(u"more than a day ahead"_qs), qPrintable(normal.log()));
    m_db->source->exec(u"UPDATE fut SET updated_at = NOW(6) + INTERVAL 3 DAY WHERE id = 1"_qs);
    RunOutcome ahead = runSync(m_db->settings, {spec});
    QVERIFY2(ahead.log().contains(u"more than a day ahead of the source's clock"_qs), qPrintable(ahead.log()));
}

// Writers running random transactions (inserts, updates, deletes; some held open for seconds,
// some rolled back) while the engine syncs every second; after they stop and two more runs, the
// target equals the source row for row. TABLESYNC_SOAK_SECONDS sets the writing time (bench/soak.sh
// runs it for longer).
void TestHorizon::soakWithConcurrentWriters()
{
    const int seconds = qEnvironmentVariableIsSet("TABLESYNC_SOAK_SECONDS")
                            ? qEnvironmentVariableIntValue("TABLESYNC_SOAK_SECONDS")
                            : 40;
    m_db->source->exec(u"CREATE TABLE soak (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, "
                       "updated_at DATETIME(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6), KEY (updated_at))"_qs);
    m_db->source->exec(u"INSERT INTO soak (v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                       "WHERE i < 2000) SELECT i FROM n"_qs);
    TableSpec spec = tableSpec(u"soak"_qs, {u"id"_qs}, u"updated_at"_qs);
    spec.deletes = TableSpec::Deletes::Propagate;

    std::atomic_bool stop{false};
    std::atomic<qint64> committed{0}, rolledBack{0}, heldOpen{0}, failures{0};
    auto writer = [&](int seed) {
        std::mt19937 random(seed);
        auto chance = [&](int percent) { return int(random() % 100) < percent; };
        TestDb db(m_db->settings.source);
        while (!stop.load()) {
            try {
                db.exec(u"START TRANSACTION"_qs);
                const int operations = 1 + int(random() % 20);
                for (int i = 0; i < operations; ++i) {
                    const int id = 1 + int(random() % 3000);
                    const int kind = int(random() % 10);
                    if (kind < 4)
                        db.exec(QStringLiteral("INSERT INTO soak (v) VALUES (%1)").arg(random() % 100000));
                    else if (kind < 9)
                        db.exec(QStringLiteral("UPDATE soak SET v = v + 1 WHERE id = %1").arg(id));
                    else
                        db.exec(QStringLiteral("DELETE FROM soak WHERE id = %1").arg(id));
                }
                if (chance(15)) { // a web request doing more work, a batch job
                    ++heldOpen;
                    std::this_thread::sleep_for(std::chrono::milliseconds(500 + random() % 3500));
                }
                if (chance(10)) {
                    db.exec(u"ROLLBACK"_qs);
                    ++rolledBack;
                } else {
                    db.exec(u"COMMIT"_qs);
                    ++committed;
                }
            } catch (const DbError &e) {
                // A deadlock or lock wait between writers: the transaction is gone.
                if (++failures == 1)
                    qInfo("soak: a writer's transaction failed (counted, not an error): %s", qPrintable(e.message()));
                try {
                    db.exec(u"ROLLBACK"_qs);
                } catch (const DbError &) {
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 50));
        }
    };
    std::vector<std::thread> writers;
    for (int i = 0; i < 6; ++i)
        writers.emplace_back(writer, 1000 + i);

    QElapsedTimer timer;
    timer.start();
    int runs = 0;
    while (timer.elapsed() < seconds * 1000) {
        RunOutcome run = runSync(m_db->settings, {spec});
        ++runs;
        if (!run.summary.allSucceeded()) {
            stop = true;
            for (auto &t : writers)
                t.join();
            QFAIL(qPrintable(u"a run failed during the soak: "_qs + run.log()));
        }
        QTest::qWait(1000);
    }
    stop = true;
    for (auto &t : writers)
        t.join();
    qInfo("soak: %d s, %d runs, %lld transactions committed, %lld rolled back, %lld held open, %lld failed", seconds,
          runs, qint64(committed), qint64(rolledBack), qint64(heldOpen), qint64(failures));
    QVERIFY(committed > seconds);
    QVERIFY(heldOpen > 2);

    for (int i = 0; i < 2; ++i)
        QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    const QList<QStringList> source = m_db->source->dump(u"soak"_qs, u"id"_qs);
    const QList<QStringList> target = m_db->target->dump(u"soak"_qs, u"id"_qs);
    qInfo("soak: %lld source rows, %lld target rows", qint64(source.size()), qint64(target.size()));
    QVERIFY2(source == target, qPrintable(firstDifferences(source, target)));
}

QTEST_GUILESS_MAIN(TestHorizon)
#include "tst_horizon.moc"
