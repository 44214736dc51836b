// Delete detection on a primary key of one integer column, which compares buckets of keys whose
// width follows the key density (core/sync/IntegerKeyBuckets.cpp): whatever the spread, sign and
// range of the keys, every key the source no longer has is deleted from the target, and no other.
#include "TestSandbox.h"

#include <QRegularExpression>
#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestKeyBuckets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void deletesAreFoundWhateverTheKeys_data();
    void deletesAreFoundWhateverTheKeys();

private:
    QStringList keysOf(TestDb &db, const QString &table);
    std::unique_ptr<SandboxPair> m_db;
};

void TestKeyBuckets::initTestCase()
{
    m_db = std::make_unique<SandboxPair>(u"keybuckets"_qs);
}

QStringList TestKeyBuckets::keysOf(TestDb &db, const QString &table)
{
    QStringList keys;
    for (const QStringList &row : db.dump(table, u"id"_qs))
        keys << row.first();
    return keys;
}

void TestKeyBuckets::deletesAreFoundWhateverTheKeys_data()
{
    QTest::addColumn<QString>("keyType");
    QTest::addColumn<QString>("keys");          // a SELECT of the source's keys, as k
    QTest::addColumn<QString>("deleted");       // a condition on the source's keys to delete
    QTest::addColumn<QStringList>("intruders"); // keys put into the target alone

    // One deleted row every ~1000 all over the table, and the ends: every chunk of 10,000 differs.
    QTest::newRow("dense") << u"BIGINT"_qs << u"SELECT seq AS k FROM seq_1_to_50000"_qs
                           << u"id MOD 997 = 5 OR id IN (1, 25000, 50000)"_qs
                           << QStringList{u"0"_qs, u"50001"_qs, u"1000000000"_qs};
    QTest::newRow("sparse") << u"BIGINT"_qs << u"SELECT seq * 1000003 AS k FROM seq_1_to_20000"_qs
                            << u"id DIV 1000003 MOD 101 = 7 OR id IN (1000003, 20000 * 1000003)"_qs
                            << QStringList{u"1000004"_qs, u"-1"_qs};
    // A dense cluster between the extremes of BIGINT: buckets grown wide over the empty stretch
    // hold the whole cluster and are cut into buckets again.
    QTest::newRow("clustered signed")
        << u"BIGINT"_qs
        << u"SELECT seq AS k FROM seq_1_to_30000 UNION ALL SELECT -9223372036854775808 UNION ALL "
           "SELECT 9223372036854775807 UNION ALL SELECT -5 UNION ALL SELECT seq * 1000000000007 FROM seq_1_to_300"_qs
        << u"id MOD 1009 = 3 OR id IN (-9223372036854775808, 9223372036854775807, 150 * 1000000000007)"_qs
        << QStringList{u"-9223372036854775807"_qs, u"30001"_qs, u"9223372036854775806"_qs};
    QTest::newRow("unsigned near 2^64")
        << u"BIGINT UNSIGNED"_qs
        << u"SELECT 18446744073709551615 - seq AS k FROM seq_0_to_20000 UNION ALL SELECT 0 UNION ALL SELECT 1"_qs
        << u"id MOD 613 = 1 OR id IN (0, 18446744073709551615)"_qs
        << QStringList{u"9223372036854775808"_qs, u"2"_qs, u"18446744073709531614"_qs};
    QTest::newRow("negative int") << u"INT"_qs << u"SELECT CAST(seq AS SIGNED) - 20001 AS k FROM seq_1_to_40001"_qs
                                  << u"id MOD 333 = 0 OR id = -20000"_qs
                                  << QStringList{u"-2147483648"_qs, u"2147483647"_qs};
    QTest::newRow("every tinyint") << u"TINYINT UNSIGNED"_qs << u"SELECT seq AS k FROM seq_0_to_255"_qs
                                   << u"id IN (0, 128, 255) OR id MOD 17 = 4"_qs << QStringList();
    QTest::newRow("source emptied") << u"SMALLINT"_qs << u"SELECT seq AS k FROM seq_1_to_5000"_qs << u"TRUE"_qs
                                    << QStringList{u"-32768"_qs};
}

void TestKeyBuckets::deletesAreFoundWhateverTheKeys()
{
    QFETCH(QString, keyType);
    QFETCH(QString, keys);
    QFETCH(QString, deleted);
    QFETCH(QStringList, intruders);
    const QString table =
        u"k_"_qs + QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression(u"[^a-z0-9]"_qs), u"_"_qs);
    m_db->source->exec(u"CREATE TABLE "_qs + table + u" (id "_qs + keyType +
                       u" NOT NULL PRIMARY KEY, v VARCHAR(30), m DATETIME(6) NOT NULL, KEY (m))"_qs);
    m_db->source->exec(u"INSERT INTO "_qs + table + u" SELECT k, CONCAT('v', k), '2024-01-01' FROM ("_qs + keys +
                       u") AS source_keys"_qs);
    TableSpec spec = tableSpec(table, {u"id"_qs}, u"m"_qs);
    spec.deletes = TableSpec::Deletes::Propagate;
    RunOutcome first = runSync(m_db->settings, {spec});
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(keysOf(*m_db->target, table), keysOf(*m_db->source, table));

    const qint64 before = m_db->source->count(table);
    m_db->source->exec(u"DELETE FROM "_qs + table + u" WHERE "_qs + deleted);
    const qint64 deletedInSource = before - m_db->source->count(table);
    QVERIFY(deletedInSource > 0);
    for (const QString &key : std::as_const(intruders)) {
        m_db->target->exec(u"INSERT INTO "_qs + table + u" VALUES ("_qs + key +
                           u", 'intruder', '2024-01-01', 'x', 'x')"_qs);
    }
    RunOutcome run = runSync(m_db->settings, {spec});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QCOMPARE(run.table(table)->deletedRows, deletedInSource + intruders.size());
    // Progress as a comparison reports it, ending with every source row compared.
    QVERIFY2(run.log().contains(u"deletes: comparing the keys of ~"_qs), qPrintable(run.log()));
    QCOMPARE(run.comparedRows.value(table, -1), m_db->source->count(table));
    QCOMPARE(keysOf(*m_db->target, table), keysOf(*m_db->source, table));

    // Nothing left to find: every bucket compares equal.
    RunOutcome again = runSync(m_db->settings, {spec});
    QVERIFY2(again.log().contains(u"differed, deleted 0 row(s)"_qs), qPrintable(again.log()));
    QVERIFY2(again.log().contains(u"chunk(s) of keys, 0 differed"_qs), qPrintable(again.log()));
}

QTEST_GUILESS_MAIN(TestKeyBuckets)
#include "tst_keybuckets.moc"
