// First loads read their pages through the server's text protocol (PageReader::preferTextProtocol,
// core/db/TextProtocolQuery.h) and hand them to LOAD DATA as the server's text. Where a writer
// binds values instead (a page that warned), the text rows must become exactly the values the
// QtSql reader gives, and a row's id must not depend on which reader read it. Pages must follow
// the same keys, and the source session must be left as QtSql expects it.
#include "TestSandbox.h"

#include "db/InMemoryInfile.h"
#include "db/MySqlDialect.h"
#include "db/NativeHandle.h"
#include "db/SchemaReader.h"
#include "sync/BatchWriter.h"
#include "sync/PageReader.h"

#include <QTemporaryFile>
#include <QTest>

#include <cstring>

using namespace tablesync;
using namespace tablesync::test;

class TestTextPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textValuesAreTheValuesQtSqlReads();
    void compositeIntegerKeysPageAsQtSqlDoes();
    void resumedReaderContinuesAfterTheKey();
    void sessionResultsAreRestored();
    void textAndTemporalKeysPageInTheirOwnOrder();
    void floatKeysAreReadTyped();
    void aNullKeyFailsInsteadOfEndingTheCopy();
    void enumKeysPageInDefinitionOrder();
    void inMemoryInfileAnswersOnlyItsName();
    void escapedBytesAtEveryOffsetSurviveLoadData();

private:
    // Every page of `table` in key order, `pageRows` at a time, read as text or through QtSql.
    QList<Page> readAll(const QString &table, const QStringList &key, int pageRows, bool text,
                        const std::optional<QVariantList> &after = std::nullopt);
    QList<ColumnInfo> columnsOf(const QString &table);

    std::unique_ptr<SandboxPair> m_db;
    MySqlDialect m_dialect;
};

void TestTextPages::initTestCase()
{
    m_db = std::make_unique<SandboxPair>(u"textpages"_qs);
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE typed ("
             "id INT NOT NULL PRIMARY KEY, ti TINYINT, biu BIGINT UNSIGNED, bi BIGINT, dec65 DECIMAL(65,30), "
             "f FLOAT, d DOUBLE, dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), yr YEAR, "
             "vc VARCHAR(100), lat VARCHAR(50) CHARACTER SET latin1, bn BINARY(4), bl BLOB, bt BIT(64), "
             "en ENUM('a','ü'), st SET('x','y'), js JSON, "
             "si SMALLINT, tiu TINYINT UNSIGNED, mi MEDIUMINT, iu INT UNSIGNED, zf INT(6) UNSIGNED ZEROFILL"
             ") CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"_qs);
    src.exec(u"INSERT INTO typed VALUES "
             "(-5, 127, 18446744073709551615, -9223372036854775808, "
             "'-99999999999999999999999999999999999.999999999999999999999999999999', 3.4028234e38, "
             "1.7976931348623157e308, '9999-12-31', '2024-03-31 02:30:00.123456', '2038-01-19 03:14:07.999999', "
             "'-838:59:59.000000', 0, 'emoji 😀 tab\there', 'café ÿ', 0x00FF0A5C, 0x000A0D5C09FF, "
             "b'1111111111111111111111111111111111111111111111111111111111111111', 'ü', 'x,y', '{\"a\": \"ü\"}', "
             "-32768, 255, -8388608, 4294967295, 42),"
             "(0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
             "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
             "(7, -128, 0, 0, '0.000000000000000000000000000001', 1e-45, 0.1e0 + 0.2e0, '0000-00-00', "
             "'0000-00-00 00:00:00', '1970-01-01 00:00:01', '100:00:00.000001', 1901, '', '', 0x00000000, '', "
             "b'0', 'a', '', '[]', 0, 0, 0, 0, 0),"
             "(2147483647, 1, 1, 1, '1', -1.17549435e-38, 2.2250738585072014e-308, '2024-10-27', "
             "'2024-10-27 02:30:00.000001', NULL, '00:00:00', 2155, 'NULL', '\\\\N', 0x5C4E0000, 0x5C4E, b'1', "
             "NULL, 'y', 'null', 32767, 1, 8388607, 1, 1234567)"_qs);
    // A composite key of two integer columns, many rows per value of the first.
    src.exec(u"CREATE TABLE pairs (a INT NOT NULL, b BIGINT UNSIGNED NOT NULL, v VARCHAR(20), PRIMARY KEY (a, b))"_qs);
    src.exec(
        u"INSERT INTO pairs SELECT CAST(seq DIV 13 AS SIGNED) - 20, seq * 7919 MOD 1009, CONCAT('v', seq) FROM seq_1_to_1000"_qs);
    // Collation order is not byte order: 'B' sorts between 'a' and 'c', 'ß' as 'ss' after them.
    src.exec(u"CREATE TABLE named (k VARCHAR(10) NOT NULL PRIMARY KEY, v INT) "
             "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"_qs);
    src.exec(u"INSERT INTO named VALUES ('B', 1), ('a', 2), ('c', 3), ('ß', 4), ('d''q', 5), ('e\\\\', 6)"_qs);
    src.exec(u"CREATE TABLE stamped (t DATETIME(6) NOT NULL, d DECIMAL(10,3) NOT NULL, b VARBINARY(4) NOT NULL, "
             "v INT, PRIMARY KEY (t, d, b))"_qs);
    src.exec(u"INSERT INTO stamped SELECT TIMESTAMPADD(MICROSECOND, seq DIV 7, '2024-03-31 02:00:00'), "
             "seq MOD 7 - 3.5, UNHEX(HEX(seq MOD 3)), seq FROM seq_1_to_200"_qs);
    src.exec(u"CREATE TABLE floating (f DOUBLE NOT NULL PRIMARY KEY, v INT)"_qs);
    src.exec(u"INSERT INTO floating VALUES (0.5, 1), (0.25, 2)"_qs);
}

QList<ColumnInfo> TestTextPages::columnsOf(const QString &table)
{
    return SchemaReader::readTable(m_db->source->connection(), table).columns;
}

QList<Page> TestTextPages::readAll(const QString &table, const QStringList &key, int pageRows, bool text,
                                   const std::optional<QVariantList> &after)
{
    const QList<ColumnInfo> columns = columnsOf(table);
    QList<ColumnInfo> order;
    for (const QString &name : key) {
        for (const ColumnInfo &c : columns) {
            if (c.name == name)
                order << c;
        }
    }
    PageReader reader(m_db->source->connection(), m_dialect, table, columns, order, pageRows, std::nullopt);
    if (text)
        reader.preferTextProtocol();
    if (after)
        reader.startAfter(*after);
    QList<Page> pages;
    Page page;
    while (reader.next(page)) {
        pages << page;
        page = Page();
    }
    return pages;
}

// The same value, as far as a writer can tell: null alike, bytes alike, doubles bit for bit,
// everything else the same text.
static bool sameValue(const QVariant &typed, const QVariant &fromText)
{
    if (typed.isNull() || fromText.isNull())
        return typed.isNull() == fromText.isNull();
    const bool typedBytes = typed.typeId() == QMetaType::QByteArray;
    if (typedBytes != (fromText.typeId() == QMetaType::QByteArray))
        return false;
    if (typedBytes)
        return typed.toByteArray() == fromText.toByteArray();
    if (typed.typeId() == QMetaType::Double || fromText.typeId() == QMetaType::Double) {
        const double a = typed.toDouble();
        const double b = fromText.toDouble();
        return typed.typeId() == fromText.typeId() && std::memcmp(&a, &b, sizeof a) == 0;
    }
    return typed.toString() == fromText.toString();
}

void TestTextPages::textValuesAreTheValuesQtSqlReads()
{
    const QList<Page> text = readAll(u"typed"_qs, {u"id"_qs}, 3, true);
    const QList<Page> typed = readAll(u"typed"_qs, {u"id"_qs}, 3, false);
    QCOMPARE(text.size(), 2);
    QCOMPARE(typed.size(), 2);
    QList<int> allColumns;
    for (int c = 0; c < typed.first().columnCount; ++c)
        allColumns << c;
    for (int p = 0; p < text.size(); ++p) {
        QVERIFY(text[p].isText());
        QVERIFY(!typed[p].isText());
        QCOMPARE(text[p].rowCount(), typed[p].rowCount());
        for (int row = 0; row < text[p].rowCount(); ++row) {
            for (int c = 0; c < text[p].columnCount; ++c) {
                const QVariant a = typed[p].value(row, c);
                const QVariant b = text[p].valueAt(row, c);
                QVERIFY2(sameValue(a, b), qPrintable(QStringLiteral("page %1 row %2 column %3: %4 (%5) against %6 (%7)")
                                                         .arg(p)
                                                         .arg(row)
                                                         .arg(c)
                                                         .arg(a.toString(), QString::fromLatin1(a.typeName()),
                                                              b.toString(), QString::fromLatin1(b.typeName()))));
            }
            // Every column as a key: the id hashes each kind of value the same way from either page.
            for (int c : std::as_const(allColumns)) {
                QVERIFY2(BatchWriter::rowIdBytes(text[p], row, {c}) == BatchWriter::rowIdBytes(typed[p], row, {c}),
                         qPrintable(QStringLiteral("row id of column %1, row %2 (%3)")
                                        .arg(c)
                                        .arg(row)
                                        .arg(QString::fromLatin1(typed[p].value(row, c).typeName()))));
            }
            QCOMPARE(BatchWriter::rowIdBytes(text[p], row, allColumns),
                     BatchWriter::rowIdBytes(typed[p], row, allColumns));
        }
        // What a writer that binds values gets from a text page.
        Page converted = text[p];
        converted.convertToValues();
        QVERIFY(!converted.isText());
        QCOMPARE(converted.rowCount(), typed[p].rowCount());
        for (int i = 0; i < converted.values.size(); ++i)
            QVERIFY(sameValue(typed[p].values[i], converted.values[i]));
    }
}

static QStringList keysOf(const QList<Page> &pages, int columns)
{
    QStringList keys;
    for (const Page &page : pages) {
        for (int row = 0; row < page.rowCount(); ++row) {
            QStringList key;
            for (int c = 0; c < columns; ++c)
                key << page.valueAt(row, c).toString();
            keys << key.join(u',');
        }
    }
    return keys;
}

void TestTextPages::compositeIntegerKeysPageAsQtSqlDoes()
{
    const QList<Page> text = readAll(u"pairs"_qs, {u"a"_qs, u"b"_qs}, 7, true);
    const QList<Page> typed = readAll(u"pairs"_qs, {u"a"_qs, u"b"_qs}, 7, false);
    QVERIFY(text.first().isText());
    const QStringList keys = keysOf(text, 2);
    QCOMPARE(keys.size(), m_db->source->count(u"pairs"_qs));
    QCOMPARE(keys, keysOf(typed, 2));
    QCOMPARE(keys.first(), u"-20,"_qs + m_db->source->scalar(u"SELECT MIN(b) FROM pairs WHERE a = -20"_qs).toString());
}

void TestTextPages::resumedReaderContinuesAfterTheKey()
{
    // As a resumed first load does, with the key a saved token gives back.
    const std::optional<QVariantList> after = KeyToken::decode(KeyToken::encode({QVariant(qlonglong(3)), 500ULL}));
    QVERIFY(after.has_value());
    const QList<Page> text = readAll(u"pairs"_qs, {u"a"_qs, u"b"_qs}, 50, true, after);
    QVERIFY(text.first().isText());
    const QStringList keys = keysOf(text, 2);
    QCOMPARE(keys, keysOf(readAll(u"pairs"_qs, {u"a"_qs, u"b"_qs}, 50, false, after), 2));
    QCOMPARE(qint64(keys.size()),
             m_db->source->scalar(u"SELECT COUNT(*) FROM pairs WHERE a > 3 OR (a = 3 AND b > 500)"_qs).toLongLong());
}

void TestTextPages::sessionResultsAreRestored()
{
    DbConnection &source = m_db->source->connection();
    const QVariant before = m_db->source->scalar(u"SELECT @@session.character_set_results"_qs);
    QCOMPARE(before.toString(), u"utf8mb4"_qs);
    readAll(u"typed"_qs, {u"id"_qs}, 100, true); // read to the end
    QCOMPARE(m_db->source->scalar(u"SELECT @@session.character_set_results"_qs), before);
    {
        // Left before the end (a stopped copy): the reader's end restores the session.
        const QList<ColumnInfo> columns = columnsOf(u"pairs"_qs);
        PageReader reader(source, m_dialect, u"pairs"_qs, columns, {columns[0], columns[1]}, 10, std::nullopt);
        reader.preferTextProtocol();
        Page page;
        QVERIFY(reader.next(page) && page.isText());
        QCOMPARE(m_db->source->scalar(u"SELECT @@session.character_set_results"_qs).toByteArray(), "binary");
    }
    QCOMPARE(m_db->source->scalar(u"SELECT @@session.character_set_results"_qs), before);
    // QtSql reads text as it did before.
    QCOMPARE(m_db->source->scalar(u"SELECT vc FROM typed WHERE id = -5"_qs).toString(), u"emoji 😀 tab\there"_qs);
}

void TestTextPages::textAndTemporalKeysPageInTheirOwnOrder()
{
    const QList<Page> named = readAll(u"named"_qs, {u"k"_qs}, 2, true);
    QCOMPARE(named.size(), 3);
    QVERIFY(named.first().isText());
    QCOMPARE(keysOf(named, 1), (QStringList{u"a"_qs, u"B"_qs, u"c"_qs, u"d'q"_qs, u"e\\"_qs, u"ß"_qs}));
    QCOMPARE(keysOf(named, 1), keysOf(readAll(u"named"_qs, {u"k"_qs}, 2, false), 1));

    const QStringList key{u"t"_qs, u"d"_qs, u"b"_qs};
    const QList<Page> stamped = readAll(u"stamped"_qs, key, 9, true);
    QVERIFY(stamped.first().isText());
    QCOMPARE(keysOf(stamped, 3).size(), 200);
    QCOMPARE(keysOf(stamped, 3), keysOf(readAll(u"stamped"_qs, key, 9, false), 3));
    // Resumed from a saved key, as a first load after a stop is.
    const Page &first = stamped.first();
    const QVariantList after{first.valueAt(4, 0), first.valueAt(4, 1), first.valueAt(4, 2)};
    const std::optional<QVariantList> token = KeyToken::decode(KeyToken::encode(after));
    QVERIFY(token.has_value());
    const QList<Page> rest = readAll(u"stamped"_qs, key, 9, true, token);
    QVERIFY(rest.first().isText());
    QCOMPARE(keysOf(rest, 3), keysOf(stamped, 3).mid(5));
}

// An ENUM sorts by the position of its values in the definition, not as a string: pages must
// continue in that order, through either reader, or whole values would be skipped.
void TestTextPages::enumKeysPageInDefinitionOrder()
{
    m_db->source->exec(u"CREATE TABLE ranked (k ENUM('b','a','it''s','c') NOT NULL, i INT NOT NULL, "
                       "PRIMARY KEY (k, i))"_qs);
    m_db->source->exec(
        u"INSERT INTO ranked SELECT ELT(1 + seq MOD 4, 'b', 'a', 'it''s', 'c'), seq FROM seq_1_to_40"_qs);
    const QStringList key{u"k"_qs, u"i"_qs};
    for (bool text : {true, false}) {
        const QList<Page> pages = readAll(u"ranked"_qs, key, 3, text);
        QCOMPARE(pages.first().isText(), text);
        const QStringList keys = keysOf(pages, 2);
        QCOMPARE(keys.size(), 40);
        QCOMPARE(keys.at(0), u"b,4"_qs);
        QCOMPARE(keys.at(10), u"a,1"_qs);
        QCOMPARE(keys.at(20), u"it's,2"_qs);
        QCOMPARE(keys.at(39), u"c,39"_qs);
    }
}

// tables.json may name a unique key that allows NULL. A page ending on a NULL key has nothing
// after it by comparison: the reader must fail, not end the copy as if it were complete.
void TestTextPages::aNullKeyFailsInsteadOfEndingTheCopy()
{
    m_db->source->exec(u"CREATE TABLE loose (u INT NULL, v INT, UNIQUE KEY (u))"_qs);
    m_db->source->exec(u"INSERT INTO loose VALUES (NULL, 1), (NULL, 2), (1, 3), (2, 4), (3, 5)"_qs);
    for (bool text : {true, false}) {
        try {
            readAll(u"loose"_qs, {u"u"_qs}, 2, text);
            QFAIL("the pages ended on a NULL key without an error");
        } catch (const DbError &e) {
            QVERIFY2(e.message().contains(u"no value (NULL) in the key column u"_qs), qPrintable(e.message()));
        }
    }
    // Where no page ends on one, every row is read.
    QCOMPARE(keysOf(readAll(u"loose"_qs, {u"u"_qs}, 3, true), 1).size(), 5);
}

void TestTextPages::floatKeysAreReadTyped()
{
    // A DOUBLE key has no exact literal here: the keyset binds it through QtSql.
    const QList<Page> pages = readAll(u"floating"_qs, {u"f"_qs}, 1, true);
    QCOMPARE(pages.size(), 2);
    QVERIFY(!pages.first().isText());
    QCOMPARE(keysOf(pages, 1), (QStringList{u"0.25"_qs, u"0.5"_qs}));
}

// LOAD DATA LOCAL reads its rows from memory (LoadDataWriter); a statement naming any other file,
// a real one included, gets nothing from the client.
void TestTextPages::inMemoryInfileAnswersOnlyItsName()
{
    TestDb &target = *m_db->target;
    target.exec(u"CREATE TABLE loaded (a INT PRIMARY KEY, b VARCHAR(10))"_qs);
    QTemporaryFile real;
    QVERIFY(real.open());
    real.write("9\treal\n");
    real.close();
    {
        const InMemoryInfile file(nativeHandle(target.connection()), "page.tsv", "1\tone\n2\ttwo\n");
        target.exec(u"LOAD DATA LOCAL INFILE 'page.tsv' INTO TABLE loaded"_qs);
        QCOMPARE(target.count(u"loaded"_qs), 2);
        QVERIFY_THROWS_EXCEPTION(
            DbError, target.exec(u"LOAD DATA LOCAL INFILE '"_qs + real.fileName() + u"' IGNORE INTO TABLE loaded"_qs));
        QCOMPARE(target.count(u"loaded"_qs), 2);
    }
    QCOMPARE(target.scalar(u"SELECT GROUP_CONCAT(b ORDER BY a) FROM loaded"_qs).toString(), u"one,two"_qs);
}

// LOAD DATA's escapes are found eight bytes at a time (LoadDataWriter): a byte to escape at every
// offset of a word, at a value's start and end, in runs, and values of every length up to 40.
void TestTextPages::escapedBytesAtEveryOffsetSurviveLoadData()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE escapes (id INT PRIMARY KEY, b VARBINARY(100), t VARCHAR(100))"_qs);
    src.exec(u"INSERT INTO escapes SELECT seq, "
             "CONCAT(REPEAT('a', seq MOD 17), ELT(1 + seq MOD 6, X'5C', X'09', X'0A', X'00', X'5C5C', X'FF0A'), "
             "REPEAT('b', seq DIV 17 MOD 23)), "
             "CONCAT(REPEAT('ü', seq MOD 13), ELT(1 + seq MOD 4, '\\\\', '\t', '\n', '\\N'), REPEAT('c', seq MOD 9)) "
             "FROM seq_1_to_24000"_qs);
    src.exec(u"ANALYZE TABLE escapes"_qs);
    QCOMPARE(src.scalar(u"SELECT COUNT(DISTINCT LENGTH(b)) FROM escapes"_qs).toInt() >= 40, true);
    const RunOutcome run = runSync(m_db->settings, {tableSpec(u"escapes"_qs, {u"id"_qs}, QString(), 5000)});
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"writing with LOAD DATA LOCAL INFILE"_qs), qPrintable(run.log()));
    // Every page loaded as it was written: a wrong escape would have warned, and INSERTs taken over.
    QVERIFY2(!run.log().contains(u"writing such pages with INSERTs"_qs), qPrintable(run.log()));
    const auto source = src.dump(u"escapes"_qs, u"id"_qs);
    QCOMPARE(source.size(), 24000);
    QVERIFY2(m_db->target->dump(u"escapes"_qs, u"id"_qs) == source,
             qPrintable(firstDifferences(source, m_db->target->dump(u"escapes"_qs, u"id"_qs))));
}

QTEST_GUILESS_MAIN(TestTextPages)
#include "tst_textpages.moc"
