// deletes: "soft": rows deleted in the source stay in the target, marked in _dlt_deleted_at;
// they come back to life when their key returns, and --verify does not count them as extra.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestSoftDelete : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void marksDeletedRowsInFirstMiddleAndLastChunk_data();
    void marksDeletedRowsInFirstMiddleAndLastChunk();
    void repairMarksExtraRowsInsteadOfDeleting();

private:
    // 35,000 rows: 4 chunks of 10,000 keys. `integerKey`: one BIGINT key, else (region, n).
    TableSpec createTable(const QString &name, bool integerKey);
    QStringList markedKeys(const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestSoftDelete::init()
{
    m_db = std::make_unique<SandboxPair>(u"softdel"_qs);
}

TableSpec TestSoftDelete::createTable(const QString &name, bool integerKey)
{
    m_db->source->exec(u"CREATE TABLE "_qs + name +
                       u" (id BIGINT UNSIGNED NOT NULL, region VARCHAR(8) NOT NULL, n INT NOT NULL, v VARCHAR(40), "
                       "m DATETIME(6) NOT NULL, "_qs +
                       (integerKey ? u"PRIMARY KEY (id), UNIQUE KEY (region, n)"_qs : u"PRIMARY KEY (region, n)"_qs) +
                       u", KEY (m))"_qs);
    // Gaps in the integer keys (every 7th missing), so chunks are not simply ranges of 10,000 ids,
    // and a last key above 2^63, which only an unsigned comparison puts last.
    m_db->source->exec(u"INSERT INTO "_qs + name +
                       u" SELECT IF(seq = 35000, 18446744073709551611, seq + seq DIV 6), "
                       "ELT(1 + seq MOD 3, 'eu', 'us', 'ÄSIA'), seq, CONCAT('v', seq), "
                       "TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_35000"_qs);
    return integerKey ? tableSpec(name, {u"id"_qs}, u"m"_qs) : tableSpec(name, {u"region"_qs, u"n"_qs}, u"m"_qs);
}

QStringList TestSoftDelete::markedKeys(const QString &table)
{
    QSqlQuery query = m_db->target->connection().select(
        u"SELECT n FROM "_qs + table + u" WHERE _dlt_deleted_at IS NOT NULL ORDER BY n"_qs, {}, u"marked keys"_qs);
    QStringList keys;
    while (query.next())
        keys << query.value(0).toString();
    return keys;
}

void TestSoftDelete::marksDeletedRowsInFirstMiddleAndLastChunk_data()
{
    QTest::addColumn<bool>("integerKey");
    QTest::addColumn<QString>("deleted");
    QTest::addColumn<QStringList>("expectedMarked"); // values of n
    QTest::addColumn<int>("copyWriters");            // 0: no background target connection for comparing
    // The first and last rows in key order, rows in the middle (17500 comes back later).
    QTest::newRow("integer key") << true << u"n IN (1, 2, 17500, 34999, 35000)"_qs
                                 << QStringList{u"1"_qs, u"2"_qs, u"17500"_qs, u"34999"_qs, u"35000"_qs} << 2;
    // Key order is 'ÄSIA' (n = 2, 5, ...), 'eu' (n = 3, 6, ...), 'us' (n = 1, 4, ...).
    QTest::newRow("composite key")
        << false << u"(region, n) IN (('ÄSIA', 2), ('us', 17500), ('us', 34999)) OR (region = 'eu' AND n > 34990)"_qs
        << QStringList{u"2"_qs, u"17500"_qs, u"34992"_qs, u"34995"_qs, u"34998"_qs, u"34999"_qs} << 2;
    QTest::newRow("composite key, one connection per server")
        << false << u"(region, n) IN (('ÄSIA', 2), ('us', 17500), ('us', 34999))"_qs
        << QStringList{u"2"_qs, u"17500"_qs, u"34999"_qs} << 0;
}

void TestSoftDelete::marksDeletedRowsInFirstMiddleAndLastChunk()
{
    QFETCH(bool, integerKey);
    QFETCH(QString, deleted);
    QFETCH(QStringList, expectedMarked);
    QFETCH(int, copyWriters);
    m_db->settings.copyWriters = copyWriters;
    const QString table = integerKey ? u"si"_qs : u"sc"_qs;
    TableSpec spec = createTable(table, integerKey);
    spec.deletes = TableSpec::Deletes::Soft;
    RunOutcome first = runSync(m_db->settings, {spec});
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QVERIFY2(first.log().contains(u"added the _dlt_deleted_at column"_qs), qPrintable(first.log()));
    QCOMPARE(m_db->target->count(table), 35000);
    QCOMPARE(markedKeys(table), QStringList());

    m_db->source->exec(u"DELETE FROM "_qs + table + u" WHERE "_qs + deleted);
    m_db->source->exec(u"UPDATE "_qs + table + u" SET v = 'changed', m = '2030-01-01' WHERE n = 4"_qs);
    RunOutcome run = runSync(m_db->settings, {spec});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(
                 QStringLiteral("marked %1 row(s) no longer in the source as deleted").arg(expectedMarked.size())),
             qPrintable(run.log()));
    QCOMPARE(run.table(table)->deletedRows, 0);
    QCOMPARE(m_db->target->count(table), 35000); // marked, not deleted
    QCOMPARE(markedKeys(table), expectedMarked);
    // Marked with the UTC time of the run (the target session runs at +00:00), all with the same one.
    QCOMPARE(
        m_db->target
            ->scalar(u"SELECT COUNT(DISTINCT _dlt_deleted_at) FROM "_qs + table +
                     u" WHERE _dlt_deleted_at BETWEEN UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE AND UTC_TIMESTAMP(6)"_qs)
            .toInt(),
        1);
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM "_qs + table + u" WHERE n = 4"_qs).toString(), u"changed"_qs);

    // Nothing changed: marked rows do not make chunks differ, and keep the time they were marked at.
    const QString markedAt = u"SELECT GROUP_CONCAT(_dlt_deleted_at ORDER BY n) FROM "_qs + table;
    const QString before = m_db->target->scalar(markedAt).toString();
    RunOutcome quiet = runSync(m_db->settings, {spec});
    QVERIFY2(quiet.summary.allSucceeded(), qPrintable(quiet.log()));
    QVERIFY2(quiet.log().contains(u"chunk(s) of keys, 0 differed"_qs), qPrintable(quiet.log()));
    QCOMPARE(m_db->target->scalar(markedAt).toString(), before);

    // A deleted key inserted again is live again, with the new content.
    m_db->source->exec(u"INSERT INTO "_qs + table +
                       u" VALUES (17500 + 17500 DIV 6, 'us', 17500, 'back', '2031-01-01')"_qs);
    RunOutcome back = runSync(m_db->settings, {spec});
    QVERIFY2(back.summary.allSucceeded(), qPrintable(back.log()));
    QVERIFY2(back.log().contains(u"made 1 row(s) back in the source live again"_qs), qPrintable(back.log()));
    QVERIFY(!markedKeys(table).contains(u"17500"_qs));
    QCOMPARE(markedKeys(table).size(), expectedMarked.size() - 1);
    QCOMPARE(m_db->target->scalar(u"SELECT v FROM "_qs + table + u" WHERE n = 17500"_qs).toString(), u"back"_qs);

    // --verify: the marked rows are expected, not extra.
    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    RunOutcome checked = runSync(verify, {spec});
    QVERIFY2(checked.summary.allSucceeded(), qPrintable(checked.log()));
    QCOMPARE(checked.table(table)->extraRows, 0);
    QCOMPARE(checked.table(table)->remainingDifferences, 0);
}

void TestSoftDelete::repairMarksExtraRowsInsteadOfDeleting()
{
    TableSpec spec = createTable(u"r"_qs, true);
    spec.deletes = TableSpec::Deletes::Soft;
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    m_db->source->exec(u"DELETE FROM r WHERE n = 20"_qs);
    QVERIFY(runSync(m_db->settings, {spec}).summary.allSucceeded());
    QCOMPARE(markedKeys(u"r"_qs), QStringList{u"20"_qs});

    // Drift behind the tool's back: an extra live row, and a marked row whose key is in the source.
    m_db->target->exec(u"INSERT INTO r (id, region, n, v, m, _dlt_load_id, _dlt_id) "
                       "VALUES (900000, 'zz', 900000, 'intruder', NOW(), '1', 'x')"_qs);
    m_db->target->exec(u"UPDATE r SET _dlt_deleted_at = NOW() WHERE n = 30"_qs);
    Settings repair = m_db->settings;
    repair.runMode = Settings::RunMode::Repair;
    RunOutcome repaired = runSync(repair, {spec});
    QVERIFY2(repaired.summary.allSucceeded(), qPrintable(repaired.log()));
    QCOMPARE(repaired.table(u"r"_qs)->extraRows, 1);
    QCOMPARE(repaired.table(u"r"_qs)->missingRows, 1);
    QCOMPARE(repaired.table(u"r"_qs)->remainingDifferences, 0);
    QCOMPARE(markedKeys(u"r"_qs), (QStringList{u"20"_qs, u"900000"_qs}));
    QCOMPARE(m_db->target->count(u"r"_qs), 35001);
}

QTEST_GUILESS_MAIN(TestSoftDelete)
#include "tst_softdelete.moc"
