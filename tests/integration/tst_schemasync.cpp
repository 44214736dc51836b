// Schema sync before data: create, add columns (and fill them), add the _dlt_ columns and the
// upsert key, never drop, report drift.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestSchemaSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void createsTargetFromSourceWithoutForeignKeys();
    void addedSourceColumnIsCreatedAndFilledForExistingRows();
    void typeDriftIsReportedNotAltered();
    void existingTargetWithoutUniqueKeyGetsOne();
    void loadsAreRecorded();
    void droppedSourceColumnIsReportedAndKept();
    void sourceTypeWidenedBeyondTheTargetFailsTheTableWithoutTruncating();

private:
    std::unique_ptr<SandboxPair> m_db;
};

void TestSchemaSync::init()
{
    m_db = std::make_unique<SandboxPair>(u"schema"_qs);
}

void TestSchemaSync::createsTargetFromSourceWithoutForeignKeys()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE parent (id INT PRIMARY KEY)"_qs);
    src.exec(u"CREATE TABLE child (id INT PRIMARY KEY AUTO_INCREMENT, parent_id INT NOT NULL, "
             "label VARCHAR(20) CHARACTER SET latin1 NOT NULL DEFAULT 'x', "
             "CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) AUTO_INCREMENT=1000"_qs);
    src.exec(u"INSERT INTO parent VALUES (1)"_qs);
    src.exec(u"INSERT INTO child (parent_id) VALUES (1)"_qs);
    RunOutcome run = runSync(m_db->settings, {tableSpec(u"child"_qs, {u"id"_qs})});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(m_db->target->count(u"child"_qs), 1);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'child' AND COLUMN_NAME = 'label'"_qs)
                 .toString(),
             u"latin1"_qs);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'child' AND COLUMN_NAME = '_dlt_id'"_qs)
                 .toString(),
             u"varchar(128)"_qs);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND CONSTRAINT_TYPE = 'FOREIGN KEY'"_qs)
                 .toInt(),
             0);
}

void TestSchemaSync::addedSourceColumnIsCreatedAndFilledForExistingRows()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE c (id INT PRIMARY KEY, name VARCHAR(20), m DATETIME(6) NOT NULL)"_qs);
    src.exec(u"INSERT INTO c VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-02')"_qs);
    const QList<TableSpec> tables{tableSpec(u"c"_qs, {u"id"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());

    // A column added in the source with a default: existing rows get it without their
    // modifier changing, so the sync must fill it for every row, not only for changed ones.
    src.exec(u"ALTER TABLE c ADD COLUMN city VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL "
             "DEFAULT 'Köln' AFTER name"_qs);
    src.exec(u"UPDATE c SET city = 'Zürich', m = m WHERE id = 2"_qs);
    src.exec(u"INSERT INTO c VALUES (3, 'c', 'Graz', '2024-01-03')"_qs);
    RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"added column(s) city"_qs), qPrintable(run.log()));
    QCOMPARE(m_db->target->dump(u"c"_qs, u"id"_qs), src.dump(u"c"_qs, u"id"_qs));
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'c' AND COLUMN_NAME = 'city'"_qs)
                 .toString(),
             u"utf8mb4_bin"_qs);
    // Placed where the source has it.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT ORDINAL_POSITION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'c' AND COLUMN_NAME = 'city'"_qs)
                 .toInt(),
             3);
}

void TestSchemaSync::typeDriftIsReportedNotAltered()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE d (id INT PRIMARY KEY, n INT)"_qs);
    src.exec(u"INSERT INTO d VALUES (1, 5)"_qs);
    QVERIFY(runSync(m_db->settings, {tableSpec(u"d"_qs, {u"id"_qs})}).summary.allSucceeded());
    m_db->target->exec(u"ALTER TABLE d MODIFY n BIGINT, ADD COLUMN local_note TEXT"_qs);
    RunOutcome run = runSync(m_db->settings, {tableSpec(u"d"_qs, {u"id"_qs})});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"schema drift: column n is int(11) in the source but bigint(20) in the target"_qs),
             qPrintable(run.log()));
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'd' AND COLUMN_NAME = 'n'"_qs)
                 .toString(),
             u"bigint"_qs);
    // The target's own column is never dropped.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'd' AND COLUMN_NAME = 'local_note'"_qs)
                 .toInt(),
             1);
}

void TestSchemaSync::existingTargetWithoutUniqueKeyGetsOne()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE u (id INT PRIMARY KEY, v INT, m INT NOT NULL)"_qs);
    src.exec(u"INSERT INTO u VALUES (1, 1, 1), (2, 2, 2)"_qs);
    // As dlt may have left it: no key at all, _dlt_ columns present.
    m_db->target->exec(u"CREATE TABLE u (id INT, v INT, m INT, _dlt_load_id TEXT NOT NULL, "
                       "_dlt_id VARCHAR(128) NOT NULL)"_qs);
    m_db->target->exec(u"INSERT INTO u VALUES (1, 0, 0, '1.0', 'old')"_qs);
    const QList<TableSpec> tables{tableSpec(u"u"_qs, {u"id"_qs}, u"m"_qs)};
    RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"added a unique key on (id)"_qs), qPrintable(run.log()));
    QCOMPARE(m_db->target->count(u"u"_qs), 2);
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM u WHERE id = 1"_qs).toInt(), 1);
}

void TestSchemaSync::loadsAreRecorded()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE l (id INT PRIMARY KEY)"_qs);
    RunOutcome ok = runSync(m_db->settings, {tableSpec(u"l"_qs, {u"id"_qs})});
    RunOutcome failed = runSync(m_db->settings, {tableSpec(u"l"_qs, {u"id"_qs}), tableSpec(u"nope"_qs, {u"id"_qs})});
    QVERIFY(ok.summary.loadId < failed.summary.loadId);
    QCOMPARE(m_db->target->scalar(u"SELECT status FROM _dlt_loads WHERE load_id = ?"_qs, {ok.summary.loadId}).toInt(),
             0);
    QCOMPARE(
        m_db->target->scalar(u"SELECT status FROM _dlt_loads WHERE load_id = ?"_qs, {failed.summary.loadId}).toInt(),
        1);
    QCOMPARE(m_db->target->scalar(u"SELECT schema_name FROM _dlt_loads LIMIT 1"_qs).toString(), u"tablesync"_qs);
}

void TestSchemaSync::droppedSourceColumnIsReportedAndKept()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE g (id INT PRIMARY KEY, keep_me VARCHAR(10), gone VARCHAR(10) NOT NULL, m INT NOT NULL)"_qs);
    src.exec(u"INSERT INTO g VALUES (1, 'a', 'x', 1)"_qs);
    const QList<TableSpec> tables{tableSpec(u"g"_qs, {u"id"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());

    // The column disappears from the source; the target keeps it and its data, and says so.
    src.exec(u"ALTER TABLE g DROP COLUMN gone"_qs);
    src.exec(u"INSERT INTO g VALUES (2, 'b', 2)"_qs);
    RunOutcome blocked = runSync(m_db->settings, tables);
    QVERIFY2(
        blocked.log().contains(u"column gone exists only in the target; kept, but it is NOT NULL without a default"_qs),
        qPrintable(blocked.log()));
    // New rows cannot fill a NOT NULL column without a default: the table fails, saying why.
    QCOMPARE(blocked.summary.tables[0].outcome, TableOutcome::Failed);
    QVERIFY2(blocked.summary.tables[0].error.contains(u"gone"_qs), qPrintable(blocked.summary.tables[0].error));
    QCOMPARE(m_db->target->scalar(u"SELECT gone FROM g WHERE id = 1"_qs).toString(), u"x"_qs);

    // Once the DBA gives it a default, the rows flow again.
    m_db->target->exec(u"ALTER TABLE g MODIFY gone VARCHAR(10) NOT NULL DEFAULT ''"_qs);
    RunOutcome flowing = runSync(m_db->settings, tables);
    QVERIFY2(flowing.summary.allSucceeded(), qPrintable(flowing.log()));
    QVERIFY(flowing.log().contains(u"column gone exists only in the target; kept, new rows get its default"_qs));
    QCOMPARE(m_db->target->count(u"g"_qs), 2);
    QCOMPARE(m_db->target->scalar(u"SELECT gone FROM g WHERE id = 1"_qs).toString(), u"x"_qs);
}

// A source column widened (VARCHAR(10) -> VARCHAR(40)) and filled with longer values: the target
// column is not altered behind the DBA's back, and the strict session refuses to cut the values.
// The table fails saying why; the rows already there keep their old, whole values.
void TestSchemaSync::sourceTypeWidenedBeyondTheTargetFailsTheTableWithoutTruncating()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE w (id INT PRIMARY KEY, code VARCHAR(10), m DATETIME(6) NOT NULL, KEY (m))"_qs);
    src.exec(u"INSERT INTO w VALUES (1, 'short', '2024-01-01'), (2, 'also', '2024-01-02')"_qs);
    const QList<TableSpec> tables{tableSpec(u"w"_qs, {u"id"_qs}, u"m"_qs)};
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());

    src.exec(u"ALTER TABLE w MODIFY code VARCHAR(40)"_qs);
    src.exec(u"UPDATE w SET code = 'a code much longer than ten', m = '2024-02-01' WHERE id = 2"_qs);
    RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.log().contains(
                 u"schema drift: column code is varchar(40) utf8mb4 in the source but varchar(10) utf8mb4 in the "
                 "target; left as it is"_qs),
             qPrintable(run.log()));
    QCOMPARE(run.summary.tables.size(), 1);
    QCOMPARE(run.summary.tables[0].outcome, TableOutcome::Failed);
    QVERIFY2(run.summary.tables[0].error.contains(u"Data too long for column 'code'"_qs),
             qPrintable(run.summary.tables[0].error));
    QCOMPARE(m_db->target->scalar(u"SELECT code FROM w WHERE id = 2"_qs).toString(), u"also"_qs);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          "DATABASE() AND TABLE_NAME = 'w' AND COLUMN_NAME = 'code'"_qs)
                 .toString(),
             u"varchar(10)"_qs);
}

QTEST_GUILESS_MAIN(TestSchemaSync)
#include "tst_schemasync.moc"
