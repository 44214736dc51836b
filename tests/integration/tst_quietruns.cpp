// Quiet tables (RunOutlook.h): an incremental table with nothing after its cursor is answered by
// the run's one look at all its tables and sends nothing of its own. These tests prove that the
// shortcut never hides a row: late commits, rollbacks, a new source column, triggers left
// suspended, and many tables under concurrent writers, all with real transactions on the source.
#include "TestSandbox.h"

#include <QDateTime>
#include <QTest>

#include <cmath>

#include <atomic>
#include <random>
#include <thread>

using namespace tablesync;
using namespace tablesync::test;

class TestQuietRuns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void aTableWithNothingNewSendsNothingOfItsOwn();
    void aTransactionOpenDuringAQuietRunIsReadWhenItCommits();
    void aNewSourceColumnStillReachesTheTarget();
    void triggersLeftSuspendedComeBackOnAQuietTable();
    void aTargetTableDroppedByADbaIsFilledAgain();
    void manyTablesWithConcurrentWriters();

private:
    void createStamped(const QString &table, int rows);
    TableSpec spec(const QString &table) const;
    // Runs until the table is quiet (its cursor settled); fails after a few seconds.
    void settle(const QList<TableSpec> &tables);
    void expectIdentical(const QString &table);
    QString stateOf(const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestQuietRuns::init()
{
    m_db = std::make_unique<SandboxPair>(u"quiet"_qs);
}

void TestQuietRuns::createStamped(const QString &table, int rows)
{
    m_db->source->exec(u"CREATE TABLE "_qs + table +
                       u" (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40), "
                       "updated_at DATETIME(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6), KEY (updated_at))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + table +
                       u" (id, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "_qs +
                       QString::number(rows) + u") SELECT i, CONCAT('v', i) FROM n"_qs);
}

TableSpec TestQuietRuns::spec(const QString &table) const
{
    TableSpec s = tableSpec(table, {u"id"_qs}, u"updated_at"_qs);
    s.lag = 0; // the horizon alone protects: marks settle a second after they are taken
    return s;
}

void TestQuietRuns::settle(const QList<TableSpec> &tables)
{
    for (int attempt = 0; attempt < 15; ++attempt) {
        RunOutcome run = runSync(m_db->settings, tables);
        QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
        const bool allQuiet = std::all_of(run.summary.tables.cbegin(), run.summary.tables.cend(),
                                          [](const TableResult &t) { return t.quiet; });
        if (allQuiet)
            return;
        // Another test's open transaction on this server holds every cursor back: wait it out.
        QTest::qWait(1100);
    }
    QFAIL("the tables never became quiet");
}

void TestQuietRuns::expectIdentical(const QString &table)
{
    const QList<QStringList> source = m_db->source->dump(table, u"id"_qs);
    const QList<QStringList> target = m_db->target->dump(table, u"id"_qs);
    QVERIFY2(source == target, qPrintable(table + u": "_qs + firstDifferences(source, target)));
}

QString TestQuietRuns::stateOf(const QString &table)
{
    return m_db->target
        ->scalar(u"SELECT CONCAT_WS('|', cursor_value, cursor_key, cursor_history, load_id) FROM _tablesync_state "
                 "WHERE table_name = '"_qs +
                 table + u'\'')
        .toString();
}

void TestQuietRuns::aTableWithNothingNewSendsNothingOfItsOwn()
{
    createStamped(u"calm"_qs, 50);
    settle({spec(u"calm"_qs)});
    const QString before = stateOf(u"calm"_qs);
    RunOutcome quiet = runSync(m_db->settings, {spec(u"calm"_qs)});
    QVERIFY2(quiet.summary.allSucceeded(), qPrintable(quiet.log()));
    const TableResult *calm = quiet.table(u"calm"_qs);
    QVERIFY(calm->quiet);
    QCOMPARE(calm->rowsWritten, 0);
    QCOMPARE(calm->rowsRechecked, 0);
    QVERIFY2(!calm->cursor.isEmpty(), "a quiet table still reports its cursor");
    // Its freshness: the source's clock when the run looked, not the time of its last change.
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    QVERIFY2(std::abs(calm->sourceSnapshotTime - now) < 30, qPrintable(QString::number(calm->sourceSnapshotTime, 'f')));
    QVERIFY2(quiet.log().contains(u"[calm] nothing after updated_at = "_qs), qPrintable(quiet.log()));
    QCOMPARE(stateOf(u"calm"_qs), before); // the stored state is not written again

    // One changed row: the table is not quiet, the row arrives, and it settles again.
    m_db->source->exec(u"UPDATE calm SET v = 'changed' WHERE id = 17"_qs);
    RunOutcome changed = runSync(m_db->settings, {spec(u"calm"_qs)});
    QVERIFY2(changed.summary.allSucceeded(), qPrintable(changed.log()));
    QVERIFY(!changed.table(u"calm"_qs)->quiet);
    QCOMPARE(changed.table(u"calm"_qs)->rowsWritten, 1);
    expectIdentical(u"calm"_qs);
    settle({spec(u"calm"_qs)});
    // A deleted row is no business of an incremental table that keeps deletes: still quiet.
    m_db->source->exec(u"DELETE FROM calm WHERE id = 50"_qs);
    QVERIFY(runSync(m_db->settings, {spec(u"calm"_qs)}).table(u"calm"_qs)->quiet);
}

// A transaction stamps rows while a run finds the table quiet, and commits after it; another
// rolls back. The next run must read the committed rows and nothing of the rolled-back one.
void TestQuietRuns::aTransactionOpenDuringAQuietRunIsReadWhenItCommits()
{
    createStamped(u"late"_qs, 30);
    settle({spec(u"late"_qs)});

    TestDb committer(m_db->settings.source);
    TestDb regretter(m_db->settings.source);
    committer.exec(u"START TRANSACTION"_qs);
    committer.exec(u"UPDATE late SET v = 'late update' WHERE id = 3"_qs);
    committer.exec(u"INSERT INTO late (v) VALUES ('late insert')"_qs);
    regretter.exec(u"START TRANSACTION"_qs);
    regretter.exec(u"UPDATE late SET v = 'never' WHERE id = 4"_qs);
    regretter.exec(u"INSERT INTO late (v) VALUES ('never')"_qs);
    QTest::qWait(1500); // held open across runs, as a slow request would

    RunOutcome during = runSync(m_db->settings, {spec(u"late"_qs)});
    QVERIFY2(during.summary.allSucceeded(), qPrintable(during.log()));
    QVERIFY2(during.table(u"late"_qs)->quiet, qPrintable(during.log())); // nothing committed after the cursor
    QTest::qWait(1100);
    QVERIFY(runSync(m_db->settings, {spec(u"late"_qs)}).table(u"late"_qs)->quiet);
    regretter.exec(u"ROLLBACK"_qs);
    committer.exec(u"COMMIT"_qs);

    RunOutcome after = runSync(m_db->settings, {spec(u"late"_qs)});
    QVERIFY2(after.summary.allSucceeded(), qPrintable(after.log()));
    QVERIFY(!after.table(u"late"_qs)->quiet);
    QCOMPARE(after.table(u"late"_qs)->rowsWritten, 2);
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM late WHERE id = 3"_qs).toString(), u"late update"_qs);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM late WHERE v = 'never'"_qs).toInt(), 0);
    expectIdentical(u"late"_qs);
}

void TestQuietRuns::aNewSourceColumnStillReachesTheTarget()
{
    createStamped(u"grow"_qs, 20);
    settle({spec(u"grow"_qs)});
    // No row's stamp changes: only the definition does.
    m_db->source->exec(u"ALTER TABLE grow ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'filled', "
                       "ALGORITHM = INSTANT"_qs);
    RunOutcome run = runSync(m_db->settings, {spec(u"grow"_qs)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY(!run.table(u"grow"_qs)->quiet);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM grow WHERE note = 'filled'"_qs).toInt(), 20);
    expectIdentical(u"grow"_qs);
}

// A run killed while it had the target's triggers suspended leaves their definitions in
// _tablesync_triggers; the next run restores them even when the table has nothing new.
void TestQuietRuns::triggersLeftSuspendedComeBackOnAQuietTable()
{
    createStamped(u"trig"_qs, 10);
    settle({spec(u"trig"_qs)});
    m_db->target->exec(u"CREATE TABLE trig_audit (id INT)"_qs);
    m_db->target->exec(u"CREATE TRIGGER trig_audit_ai AFTER INSERT ON trig FOR EACH ROW "
                       "INSERT INTO trig_audit VALUES (NEW.id)"_qs);
    // What a run killed between suspending and resuming leaves behind.
    m_db->target->exec(u"INSERT INTO _tablesync_triggers (table_name, trigger_name, action_order, sql_mode, "
                       "character_set_client, collation_connection, definition) "
                       "SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_ORDER, SQL_MODE, CHARACTER_SET_CLIENT, "
                       "COLLATION_CONNECTION, CONCAT('CREATE TRIGGER `trig_audit_ai` ', ACTION_TIMING, ' ', "
                       "EVENT_MANIPULATION, ' ON `trig` FOR EACH ROW ', ACTION_STATEMENT) "
                       "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
                       "AND TRIGGER_NAME = 'trig_audit_ai'"_qs);
    m_db->target->exec(u"DROP TRIGGER trig_audit_ai"_qs);

    RunOutcome run = runSync(m_db->settings, {spec(u"trig"_qs)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY(!run.table(u"trig"_qs)->quiet);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
                          "AND TRIGGER_NAME = 'trig_audit_ai'"_qs)
                 .toInt(),
             1);
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM _tablesync_triggers"_qs).toInt(), 0);
    // Restored, and quiet again from the next run on.
    QVERIFY(runSync(m_db->settings, {spec(u"trig"_qs)}).table(u"trig"_qs)->quiet);
}

// A DBA drops (or renames away) a synced table in the target: the next run creates it again, and
// its cursor must not survive, or only the rows after it would come back.
void TestQuietRuns::aTargetTableDroppedByADbaIsFilledAgain()
{
    createStamped(u"gone"_qs, 40);
    settle({spec(u"gone"_qs)});
    m_db->target->exec(u"DROP TABLE gone"_qs);
    RunOutcome run = runSync(m_db->settings, {spec(u"gone"_qs)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY(!run.table(u"gone"_qs)->quiet);
    QCOMPARE(run.table(u"gone"_qs)->rowsWritten, 40);
    expectIdentical(u"gone"_qs);
}

// Eight tables, writers on three of them (transactions of several statements, some held open
// for seconds, some rolled back), runs back to back: the quiet ones stay quiet, and every table
// ends equal to its source.
void TestQuietRuns::manyTablesWithConcurrentWriters()
{
    QList<TableSpec> tables;
    for (int i = 1; i <= 8; ++i) {
        const QString name = QStringLiteral("many%1").arg(i);
        createStamped(name, 200);
        tables << spec(name);
    }
    settle(tables);

    std::atomic_bool stop{false};
    std::atomic<qint64> committed{0}, rolledBack{0}, heldOpen{0};
    auto writer = [&](int seed) {
        std::mt19937 random(seed);
        TestDb db(m_db->settings.source);
        while (!stop.load()) {
            const QString table = QStringLiteral("many%1").arg(1 + int(random() % 3)); // many1..many3
            try {
                db.exec(u"START TRANSACTION"_qs);
                for (int i = 0, n = 1 + int(random() % 5); i < n; ++i) {
                    if (random() % 3 == 0)
                        db.exec(QStringLiteral("INSERT INTO %1 (v) VALUES ('w%2')").arg(table).arg(random() % 1000));
                    else
                        db.exec(QStringLiteral("UPDATE %1 SET v = CONCAT('u', %2) WHERE id = %3")
                                    .arg(table)
                                    .arg(random() % 1000)
                                    .arg(1 + random() % 200));
                }
                if (random() % 100 < 15) {
                    ++heldOpen;
                    std::this_thread::sleep_for(std::chrono::milliseconds(500 + random() % 2500));
                }
                if (random() % 100 < 10) {
                    db.exec(u"ROLLBACK"_qs);
                    ++rolledBack;
                } else {
                    db.exec(u"COMMIT"_qs);
                    ++committed;
                }
            } catch (const DbError &) {
                try {
                    db.exec(u"ROLLBACK"_qs); // a lock wait between writers: that transaction is gone
                } catch (const DbError &) {
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
        }
    };
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; ++i)
        writers.emplace_back(writer, 500 + i);

    QElapsedTimer timer;
    timer.start();
    int runs = 0, quietOfUntouched = 0;
    QString failure;
    while (timer.elapsed() < 15000 && failure.isEmpty()) {
        RunOutcome run = runSync(m_db->settings, tables);
        ++runs;
        if (!run.summary.allSucceeded())
            failure = run.log();
        for (int i = 4; i <= 8; ++i)
            quietOfUntouched += run.table(QStringLiteral("many%1").arg(i))->quiet ? 1 : 0;
        QTest::qWait(300);
    }
    stop = true;
    for (auto &t : writers)
        t.join();
    QVERIFY2(failure.isEmpty(), qPrintable(u"a run failed: "_qs + failure));
    qInfo("quiet soak: %d runs, %lld committed, %lld rolled back, %lld held open; untouched tables quiet %d of %d "
          "times",
          runs, qint64(committed), qint64(rolledBack), qint64(heldOpen), quietOfUntouched, runs * 5);
    QVERIFY(committed > 10);
    QVERIFY(heldOpen > 0);
    QVERIFY2(quietOfUntouched > 0, "the untouched tables were never answered by the outlook");

    settle(tables); // every open transaction has ended: the last changes are read, then all settle
    for (const TableSpec &t : std::as_const(tables))
        expectIdentical(t.table);
}

QTEST_GUILESS_MAIN(TestQuietRuns)
#include "tst_quietruns.moc"
