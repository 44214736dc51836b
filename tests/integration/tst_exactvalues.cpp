// Every value must arrive byte-identical (issue: exact values). The source holds the extremes
// and traps of FACTS-qt-mysql.md; one table goes through the incremental path, a copy of it
// through full refresh, and both targets are compared with the source column by column.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

class TestExactValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void incrementalCopyIsExact();
    void fullRefreshCopyIsExact();
    void bulkLoadedCopiesAreExact();
    void specificValuesSurvive_data();
    void specificValuesSurvive();
    void dltColumnsAreFilled();

private:
    std::unique_ptr<SandboxPair> m_db;
    RunOutcome m_run;
};

static const char *kCreate = R"(CREATE TABLE `%1` (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  dec65 DECIMAL(65,30), dec0 DECIMAL(65,0), f FLOAT, d DOUBLE,
  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), yr YEAR,
  vc VARCHAR(100), ch CHAR(10), tx TEXT, lat VARCHAR(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  bn BINARY(4), vb VARBINARY(20), bl BLOB, bt BIT(64), b1 BIT(1),
  en ENUM('a','b','ü'), st SET('x','y','z'), js JSON,
  updated_at DATETIME(6) NOT NULL
) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci)";

void TestExactValues::initTestCase()
{
    // Integration tests run with TZ set to a zone with daylight saving (see tests/CMakeLists.txt).
    QVERIFY2(!qEnvironmentVariable("TZ").isEmpty(), "TZ must be set to a zone with daylight saving");
    m_db = std::make_unique<SandboxPair>(u"exact"_qs);
    TestDb &src = *m_db->source;
    src.exec(QString::fromUtf8(kCreate).arg(u"exact_inc"_qs));
    const QString columns = u"id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, dec65, dec0, f, d, dt, dtm, ts, tm, yr, "
                            "vc, ch, tx, lat, bn, vb, bl, bt, b1, en, st, js, updated_at"_qs;
    // Row 0: an AUTO_INCREMENT key of 0 and every maximum.
    src.exec(
        u"INSERT INTO exact_inc ("_qs + columns +
        u") VALUES ("
        "0, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, "
        "9223372036854775807, 18446744073709551615, "
        "'99999999999999999999999999999999999.999999999999999999999999999999', "
        "'99999999999999999999999999999999999999999999999999999999999999999', "
        "3.4028234e38, 1.7976931348623157e308, "
        "'9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155, "
        "'emoji 😀 and 𝄞 clef', 'ÄÖÜ', REPEAT('long ü text ', 500), 'café ÿ ½', "
        "0x00FF00FE, 0xC328FF00, 0x00C328FFFE00, b'1111111111111111111111111111111111111111111111111111111111111111', "
        "b'1', 'ü', 'x,z', '{\"a\": [1, 2.5, \"ü😀\"], \"b\": null}', '2024-01-01 00:00:00.000001')"_qs);
    // Row 1: every minimum, negative TIME, zero dates where the source holds them.
    src.exec(u"INSERT INTO exact_inc ("_qs + columns +
             u") VALUES ("
             "1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, "
             "'-99999999999999999999999999999999999.999999999999999999999999999999', '-1', "
             "-1.17549435e-38, 2.2250738585072014e-308, "
             "'0000-00-00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00', '-838:59:59.000000', 0, "
             "'', '', '', '', 0x00000000, '', '', b'0', b'0', 'a', '', '[]', '2024-01-01 00:00:00.000001')"_qs);
    // Row 2: NULL everywhere it can be, values in the daylight-saving gap of Europe/Berlin.
    src.exec(u"INSERT INTO exact_inc (id, dtm, ts, tm, d, f, dec65, updated_at) VALUES "
             "(2, '2024-03-31 02:30:00.123456', '2024-03-31 02:30:00.654321', '-00:00:01.500000', "
             "0.1e0 + 0.2e0, 0.1, '0.000000000000000000000000000001', '2024-03-31 02:30:00.123456')"_qs);
    // Row 3: the autumn overlap hour, a TIME over 24 hours, values around zero.
    src.exec(u"INSERT INTO exact_inc (id, dtm, ts, tm, yr, d, f, vc, ch, updated_at) VALUES "
             "(3, '2024-10-27 02:30:00.000001', '2024-10-27 00:30:00.000001', '100:00:00.000001', 1901, "
             "-0.0e0, 1e-45, 'NULL', ' ', '2024-10-27 02:30:00.000001')"_qs);
    src.exec(u"CREATE TABLE exact_full LIKE exact_inc"_qs);
    src.exec(u"INSERT INTO exact_full SELECT * FROM exact_inc"_qs);
    // Big enough for the parallel copy with LOAD DATA (the same rows, plus filler).
    // exact_bulk_typed: a first load from initial_value reads in modifier order through QtSql
    // (QVariants turned into LOAD DATA text); the other two read the server's text protocol.
    for (const QString &bulk : {u"exact_bulk_inc"_qs, u"exact_bulk_full"_qs, u"exact_bulk_typed"_qs}) {
        src.exec(u"CREATE TABLE "_qs + bulk + u" LIKE exact_inc"_qs);
        src.exec(u"INSERT INTO "_qs + bulk + u" SELECT * FROM exact_inc"_qs);
        src.exec(u"INSERT INTO "_qs + bulk +
                 u" (id, vc, bl, updated_at) SELECT seq, CONCAT('filler\t', seq), "
                 "UNHEX(HEX(seq)), '2024-02-02' FROM seq_100_to_60099"_qs);
        src.exec(u"ANALYZE TABLE "_qs + bulk);
    }

    TableSpec typedBulk = tableSpec(u"exact_bulk_typed"_qs, {u"id"_qs}, u"updated_at"_qs, 5000);
    typedBulk.initialValue = u"2000-01-01 00:00:00"_qs;
    m_run = runSync(m_db->settings,
                    {tableSpec(u"exact_inc"_qs, {u"id"_qs}, u"updated_at"_qs), tableSpec(u"exact_full"_qs, {u"id"_qs}),
                     tableSpec(u"exact_bulk_inc"_qs, {u"id"_qs}, u"updated_at"_qs, 5000),
                     tableSpec(u"exact_bulk_full"_qs, {u"id"_qs}, QString(), 5000), typedBulk});
    QVERIFY2(m_run.summary.allSucceeded(), qPrintable(m_run.log()));
}

void TestExactValues::incrementalCopyIsExact()
{
    const auto source = m_db->source->dump(u"exact_inc"_qs, u"id"_qs);
    const auto target = m_db->target->dump(u"exact_inc"_qs, u"id"_qs);
    QCOMPARE(source.size(), 4);
    for (int row = 0; row < source.size(); ++row)
        QCOMPARE(target.value(row), source[row]);
}

void TestExactValues::bulkLoadedCopiesAreExact()
{
    QVERIFY2(m_run.log().contains(u"writing with LOAD DATA LOCAL INFILE"_qs), qPrintable(m_run.log()));
    // Every value went through LOAD DATA itself: none warned and was rewritten with INSERTs.
    QVERIFY2(!m_run.log().contains(u"writing such pages with INSERTs"_qs), qPrintable(m_run.log()));
    QVERIFY2(m_run.log().contains(u"[exact_bulk_typed] large first load from initial_value"_qs),
             qPrintable(m_run.log()));
    QVERIFY2(m_run.log().contains(u"[exact_bulk_typed] writing with LOAD DATA LOCAL INFILE"_qs),
             qPrintable(m_run.log()));
    for (const QString &table : {u"exact_bulk_inc"_qs, u"exact_bulk_full"_qs, u"exact_bulk_typed"_qs}) {
        const auto source = m_db->source->dump(table, u"id"_qs);
        const auto target = m_db->target->dump(table, u"id"_qs);
        QCOMPARE(source.size(), 60004);
        QCOMPARE(target.size(), source.size());
        if (target != source) { // one comparison; the loop only finds the row to show
            for (int row = 0; row < source.size(); ++row)
                QCOMPARE(target[row], source[row]);
        }
    }
}

void TestExactValues::fullRefreshCopyIsExact()
{
    const auto source = m_db->source->dump(u"exact_full"_qs, u"id"_qs);
    const auto target = m_db->target->dump(u"exact_full"_qs, u"id"_qs);
    QCOMPARE(source.size(), 4);
    for (int row = 0; row < source.size(); ++row)
        QCOMPARE(target.value(row), source[row]);
}

void TestExactValues::specificValuesSurvive_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<int>("expectedRows");
    QTest::newRow("id 0 stayed 0") << u"id = 0 AND ti = 127"_qs << 1;
    QTest::newRow("bigint unsigned max") << u"biu = 18446744073709551615"_qs << 1;
    QTest::newRow("bigint min") << u"bi = -9223372036854775808"_qs << 1;
    QTest::newRow("decimal(65,30) max")
        << u"dec65 = '99999999999999999999999999999999999.999999999999999999999999999999'"_qs << 1;
    QTest::newRow("decimal tiny") << u"dec65 = '0.000000000000000000000000000001'"_qs << 1;
    QTest::newRow("double 0.1+0.2") << u"d = 0.1e0 + 0.2e0"_qs << 1;
    QTest::newRow("double max") << u"d = 1.7976931348623157e308"_qs << 1;
    QTest::newRow("double min normal") << u"d = 2.2250738585072014e-308"_qs << 1;
    QTest::newRow("float max") << u"f = CAST(3.4028234e38 AS FLOAT)"_qs << 1;
    QTest::newRow("float 0.1") << u"CAST(f AS DOUBLE) = CAST(CAST(0.1 AS FLOAT) AS DOUBLE) AND id = 2"_qs << 1;
    QTest::newRow("float denormal") << u"CAST(f AS DOUBLE) = 1.401298464324817e-45"_qs << 1;
    QTest::newRow("microseconds") << u"dtm = '9999-12-31 23:59:59.999999'"_qs << 1;
    QTest::newRow("DST gap datetime") << u"dtm = '2024-03-31 02:30:00.123456'"_qs << 1;
    QTest::newRow("DST gap timestamp") << u"ts = '2024-03-31 02:30:00.654321'"_qs << 1;
    QTest::newRow("zero datetime") << u"CAST(dtm AS CHAR) = '0000-00-00 00:00:00.000000'"_qs << 1;
    QTest::newRow("zero date") << u"CAST(dt AS CHAR) = '0000-00-00'"_qs << 1;
    QTest::newRow("negative time") << u"tm = '-838:59:59'"_qs << 1;
    QTest::newRow("time over 24h") << u"tm = '100:00:00.000001'"_qs << 1;
    QTest::newRow("year 0000") << u"yr = 0 AND id = 1"_qs << 1;
    QTest::newRow("emoji") << u"vc = 'emoji 😀 and 𝄞 clef'"_qs << 1;
    QTest::newRow("latin1 bytes") << u"HEX(lat) = HEX(CONVERT('café ÿ ½' USING latin1))"_qs << 1;
    QTest::newRow("binary with zero bytes") << u"bn = 0x00FF00FE"_qs << 1;
    QTest::newRow("invalid utf-8 bytes") << u"vb = 0xC328FF00 AND bl = 0x00C328FFFE00"_qs << 1;
    QTest::newRow("bit 64 all ones") << u"bt + 0 = 18446744073709551615"_qs << 1;
    QTest::newRow("enum non-ascii") << u"en = 'ü'"_qs << 1;
    QTest::newRow("empty string is not NULL") << u"vc = '' AND tx = ''"_qs << 1;
    QTest::newRow("NULL stays NULL") << u"vc IS NULL AND bl IS NULL AND bt IS NULL AND js IS NULL"_qs << 1;
    QTest::newRow("the word NULL is text") << u"vc = 'NULL'"_qs << 1;
    QTest::newRow("json") << u"js = '{\"a\": [1, 2.5, \"ü😀\"], \"b\": null}'"_qs << 1;
}

void TestExactValues::specificValuesSurvive()
{
    QFETCH(QString, condition);
    QFETCH(int, expectedRows);
    for (const QString &table :
         {u"exact_inc"_qs, u"exact_full"_qs, u"exact_bulk_inc"_qs, u"exact_bulk_full"_qs, u"exact_bulk_typed"_qs}) {
        const qint64 found =
            m_db->target->scalar(u"SELECT COUNT(*) FROM "_qs + table + u" WHERE "_qs + condition).toLongLong();
        QVERIFY2(found == expectedRows, qPrintable(table + u": "_qs + condition));
    }
}

void TestExactValues::dltColumnsAreFilled()
{
    // A row's id depends on its key only, not on the reader that read it: text protocol and QtSql agree.
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM exact_bulk_inc t JOIN exact_bulk_typed q USING (id) "
                          "WHERE t._dlt_id = q._dlt_id"_qs)
                 .toLongLong(),
             60004);
    for (const QString &table : {u"exact_inc"_qs, u"exact_full"_qs}) {
        QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_load_id) FROM "_qs + table).toInt(), 1);
        QCOMPARE(m_db->target->scalar(u"SELECT MIN(_dlt_load_id) FROM "_qs + table).toString(), m_run.summary.loadId);
        QCOMPARE(m_db->target->scalar(u"SELECT COUNT(DISTINCT _dlt_id) FROM "_qs + table).toInt(), 4);
    }
    QCOMPARE(
        m_db->target->scalar(u"SELECT status FROM _dlt_loads WHERE load_id = ?"_qs, {m_run.summary.loadId}).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestExactValues)
#include "tst_exactvalues.moc"
