// SQL building and identifier quoting, without a database: what the sync sends to the servers.
#include "db/MySqlDialect.h"
#include "sync/SchemaSync.h"

#include <QTest>

using namespace tablesync;

Q_DECLARE_METATYPE(tablesync::ColumnInfo)

namespace {
ColumnInfo column(const QString &name, const QString &dataType, const QString &columnType, const QString &charset = {},
                  const QString &collation = {})
{
    ColumnInfo c;
    c.name = name;
    c.dataType = dataType;
    c.columnType = columnType;
    c.charset = charset;
    c.collation = collation;
    return c;
}
} // namespace

class TestMySqlDialect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quotesIdentifiers_data();
    void quotesIdentifiers();
    void quotesStrings();
    void readsEachKindExactly_data();
    void readsEachKindExactly();
    void writesTextAsItsOwnCharset();
    void comparesInTheColumnsOrder();
    void buildsExpandedKeysetConditions();
    void writesKeyValuesAsLiterals();
    void buildsMultiRowInsertsAndUpserts();
    void valueKinds_data();
    void valueKinds();
    void createStatementLosesForeignKeysAndCounter();
};

void TestMySqlDialect::quotesIdentifiers_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << u"orders"_qs << u"`orders`"_qs;
    QTest::newRow("backtick") << u"a`b"_qs << u"`a``b`"_qs;
    QTest::newRow("injection") << u"x`; DROP TABLE t; --"_qs << u"`x``; DROP TABLE t; --`"_qs;
    QTest::newRow("quotes and spaces") << u"it's \"q\" s"_qs << u"`it's \"q\" s`"_qs;
    QTest::newRow("unicode") << u"tábla_😀"_qs << u"`tábla_😀`"_qs;
    QTest::newRow("only backticks") << u"``"_qs << u"``````"_qs;
}

void TestMySqlDialect::quotesIdentifiers()
{
    QFETCH(QString, name);
    QFETCH(QString, quoted);
    QCOMPARE(MySqlDialect().quoteIdentifier(name), quoted);
}

void TestMySqlDialect::quotesStrings()
{
    QCOMPARE(MySqlDialect::quoteString(u"it's"_qs), u"'it''s'"_qs);
    QCOMPARE(MySqlDialect::quoteString(u"a\\b"_qs), u"'a\\\\b'"_qs);
    QCOMPARE(MySqlDialect::quoteString(u"a"_qs + QChar(0) + u"b"_qs), u"'a\\0b'"_qs);
}

void TestMySqlDialect::readsEachKindExactly_data()
{
    QTest::addColumn<ColumnInfo>("column");
    QTest::addColumn<QString>("expression");
    QTest::newRow("bigint") << column(u"n"_qs, u"bigint"_qs, u"bigint(20) unsigned"_qs) << u"`n`"_qs;
    QTest::newRow("decimal as text") << column(u"d"_qs, u"decimal"_qs, u"decimal(65,30)"_qs) << u"CAST(`d` AS CHAR)"_qs;
    QTest::newRow("datetime as text") << column(u"t"_qs, u"datetime"_qs, u"datetime(6)"_qs) << u"CAST(`t` AS CHAR)"_qs;
    QTest::newRow("timestamp as text") << column(u"t"_qs, u"timestamp"_qs, u"timestamp"_qs) << u"CAST(`t` AS CHAR)"_qs;
    QTest::newRow("time as text") << column(u"t"_qs, u"time"_qs, u"time"_qs) << u"CAST(`t` AS CHAR)"_qs;
    QTest::newRow("bit as number") << column(u"b"_qs, u"bit"_qs, u"bit(64)"_qs) << u"(`b`+0)"_qs;
    QTest::newRow("float widened") << column(u"f"_qs, u"float"_qs, u"float"_qs) << u"CAST(`f` AS DOUBLE)"_qs;
    QTest::newRow("double as is") << column(u"f"_qs, u"double"_qs, u"double"_qs) << u"`f`"_qs;
    QTest::newRow("text as bytes") << column(u"s"_qs, u"varchar"_qs, u"varchar(5)"_qs, u"latin1"_qs)
                                   << u"CAST(`s` AS BINARY)"_qs;
    QTest::newRow("blob as is") << column(u"b"_qs, u"blob"_qs, u"blob"_qs) << u"`b`"_qs;
}

void TestMySqlDialect::readsEachKindExactly()
{
    QFETCH(ColumnInfo, column);
    QFETCH(QString, expression);
    QCOMPARE(MySqlDialect().readExpression(column), expression);
}

void TestMySqlDialect::writesTextAsItsOwnCharset()
{
    MySqlDialect d;
    QCOMPARE(d.writePlaceholder(column(u"s"_qs, u"text"_qs, u"text"_qs, u"latin1"_qs)), u"CONVERT(? USING latin1)"_qs);
    QCOMPARE(d.writePlaceholder(column(u"b"_qs, u"varbinary"_qs, u"varbinary(4)"_qs)), u"?"_qs);
    QCOMPARE(d.writePlaceholder(column(u"t"_qs, u"datetime"_qs, u"datetime(6)"_qs)), u"?"_qs);
}

void TestMySqlDialect::comparesInTheColumnsOrder()
{
    MySqlDialect d;
    QCOMPARE(
        d.comparePlaceholder(column(u"s"_qs, u"varchar"_qs, u"varchar(5)"_qs, u"utf8mb4"_qs, u"utf8mb4_unicode_ci"_qs)),
        u"CONVERT(? USING utf8mb4) COLLATE utf8mb4_unicode_ci"_qs);
    ColumnInfo dec = column(u"d"_qs, u"decimal"_qs, u"decimal(12,4)"_qs);
    dec.numericPrecision = 12;
    dec.numericScale = 4;
    QCOMPARE(d.comparePlaceholder(dec), u"CAST(? AS DECIMAL(12,4))"_qs);
    QCOMPARE(d.comparePlaceholder(column(u"t"_qs, u"timestamp"_qs, u"timestamp(3)"_qs)), u"CAST(? AS DATETIME(6))"_qs);
    QCOMPARE(d.comparePlaceholder(column(u"t"_qs, u"date"_qs, u"date"_qs)), u"CAST(? AS DATE)"_qs);
    QCOMPARE(d.comparePlaceholder(column(u"n"_qs, u"int"_qs, u"int(11)"_qs)), u"?"_qs);
}

void TestMySqlDialect::buildsExpandedKeysetConditions()
{
    MySqlDialect d;
    QList<int> order;
    const QList<ColumnInfo> one{column(u"id"_qs, u"int"_qs, u"int(11)"_qs)};
    QCOMPARE(d.keysetAfter(one, order), u"((`id` > ?))"_qs);
    QCOMPARE(order, (QList<int>{0}));

    const QList<ColumnInfo> three{column(u"m"_qs, u"datetime"_qs, u"datetime"_qs),
                                  column(u"a"_qs, u"int"_qs, u"int"_qs), column(u"b"_qs, u"int"_qs, u"int"_qs)};
    QCOMPARE(d.keysetAfter(three, order),
             u"((`m` > CAST(? AS DATETIME(6))) OR (`m` = CAST(? AS DATETIME(6)) AND `a` > ?) OR "
             "(`m` = CAST(? AS DATETIME(6)) AND `a` = ? AND `b` > ?))"_qs);
    QCOMPARE(order, (QList<int>{0, 0, 1, 0, 1, 2}));
}

// Text-protocol pages put the last key into the SQL (PageReader): each literal compares as the
// placeholder would, and a value that cannot be written exactly gets none.
void TestMySqlDialect::writesKeyValuesAsLiterals()
{
    MySqlDialect d;
    const ColumnInfo id = column(u"id"_qs, u"bigint"_qs, u"bigint(20) unsigned"_qs);
    QCOMPARE(d.compareLiteral(id, QVariant(18446744073709551615ULL)), u"18446744073709551615"_qs);
    QCOMPARE(d.compareLiteral(id, QVariant(qlonglong(-5))), u"-5"_qs);
    QVERIFY(!d.compareLiteral(id, QVariant(u"1 OR 1=1"_qs))); // a string is no integer literal
    const ColumnInfo name = column(u"k"_qs, u"varchar"_qs, u"varchar(10)"_qs, u"utf8mb4"_qs, u"utf8mb4_unicode_ci"_qs);
    QCOMPARE(d.compareLiteral(name, QVariant(QByteArray("a'\\\xc3\xbc"))),
             u"CONVERT(X'61275cc3bc' USING utf8mb4) COLLATE utf8mb4_unicode_ci"_qs);
    QVERIFY(!d.compareLiteral(name, QVariant(QMetaType::fromType<QByteArray>()))); // NULL, as QtSql gives it
    QCOMPARE(d.compareLiteral(name, QVariant(QByteArray(""))),
             u"CONVERT(X'' USING utf8mb4) COLLATE utf8mb4_unicode_ci"_qs);
    QCOMPARE(d.compareLiteral(column(u"b"_qs, u"varbinary"_qs, u"varbinary(4)"_qs), QVariant(QByteArray("\0\xff", 2))),
             u"X'00ff'"_qs);
    QCOMPARE(
        d.compareLiteral(column(u"t"_qs, u"datetime"_qs, u"datetime(6)"_qs), QVariant(u"2024-03-31 02:30:00.5"_qs)),
        u"CAST('2024-03-31 02:30:00.5' AS DATETIME(6))"_qs);
    QCOMPARE(d.compareLiteral(column(u"t"_qs, u"date"_qs, u"date"_qs), QVariant(u"x') OR ('1"_qs)),
             u"CAST('x'') OR (''1' AS DATE)"_qs); // quoted, whatever it holds
    QVERIFY(!d.compareLiteral(column(u"f"_qs, u"double"_qs, u"double"_qs), QVariant(0.5)));
    QVERIFY(!d.compareLiteral(column(u"b"_qs, u"bit"_qs, u"bit(8)"_qs), QVariant(5ULL)));
    // An ENUM compares by its position in the definition, as it sorts.
    ColumnInfo ranked = column(u"r"_qs, u"enum"_qs, u"enum('b','a','it''s')"_qs, u"utf8mb4"_qs, u"utf8mb4_bin"_qs);
    QCOMPARE(d.compareLiteral(ranked, QVariant(QByteArray("a"))),
             u"FIELD(CONVERT(X'61' USING utf8mb4) COLLATE utf8mb4_bin, 'b','a','it''s')"_qs);
    QCOMPARE(d.comparePlaceholder(ranked), u"FIELD(CONVERT(? USING utf8mb4) COLLATE utf8mb4_bin, 'b','a','it''s')"_qs);
    QCOMPARE(d.keysetAfterLiterals({id, name}, {u"7"_qs, u"X'61'"_qs}),
             u"((`id` > 7) OR (`id` = 7 AND `k` > X'61'))"_qs);
}

void TestMySqlDialect::buildsMultiRowInsertsAndUpserts()
{
    MySqlDialect d;
    const QList<ColumnInfo> columns{column(u"id"_qs, u"int"_qs, u"int"_qs),
                                    column(u"s"_qs, u"varchar"_qs, u"varchar(5)"_qs, u"utf8mb4"_qs)};
    const QStringList extra{u"_dlt_load_id"_qs, u"_dlt_id"_qs};
    QCOMPARE(d.insertRows(u"t`x"_qs, columns, extra, 2, SqlDialect::OnDuplicate::Fail),
             u"INSERT INTO `t``x` (`id`,`s`,`_dlt_load_id`,`_dlt_id`) VALUES "
             "(?,CONVERT(? USING utf8mb4),?,?),(?,CONVERT(? USING utf8mb4),?,?)"_qs);
    const QString upsert = d.insertRows(u"t"_qs, columns, extra, 1, SqlDialect::OnDuplicate::Update);
    QVERIFY(upsert.endsWith(u" ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`s`=VALUES(`s`),"
                            "`_dlt_load_id`=VALUES(`_dlt_load_id`),`_dlt_id`=VALUES(`_dlt_id`)"_qs));
    QVERIFY(!upsert.contains(u"REPLACE"_qs));
    // The load id is assigned first, while the other columns still hold their old values.
    QVERIFY(d.insertRows(u"t"_qs, columns, extra, 1, SqlDialect::OnDuplicate::UpdateIfChanged)
                .endsWith(u" ON DUPLICATE KEY UPDATE `_dlt_load_id`=IF(`id`<=>VALUES(`id`) AND CAST(`id` AS "
                          "BINARY)<=>CAST(VALUES(`id`) AS BINARY) AND `s`<=>VALUES(`s`) AND CAST(`s` AS "
                          "BINARY)<=>CAST(VALUES(`s`) AS BINARY),`_dlt_load_id`,VALUES(`_dlt_load_id`)),"
                          "`id`=VALUES(`id`),`s`=VALUES(`s`),`_dlt_id`=VALUES(`_dlt_id`)"_qs));
}

void TestMySqlDialect::valueKinds_data()
{
    QTest::addColumn<ColumnInfo>("column");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("canOrder");
    QTest::newRow("int") << column(u"c"_qs, u"int"_qs, u"int"_qs) << int(ValueKind::Integer) << true;
    QTest::newRow("year") << column(u"c"_qs, u"year"_qs, u"year(4)"_qs) << int(ValueKind::Integer) << true;
    QTest::newRow("decimal") << column(u"c"_qs, u"decimal"_qs, u"decimal(5,2)"_qs) << int(ValueKind::Decimal) << true;
    QTest::newRow("datetime") << column(u"c"_qs, u"datetime"_qs, u"datetime"_qs) << int(ValueKind::Temporal) << true;
    QTest::newRow("double") << column(u"c"_qs, u"double"_qs, u"double"_qs) << int(ValueKind::Float) << false;
    QTest::newRow("varchar") << column(u"c"_qs, u"varchar"_qs, u"varchar(3)"_qs, u"utf8mb4"_qs) << int(ValueKind::Text)
                             << false;
    QTest::newRow("enum") << column(u"c"_qs, u"enum"_qs, u"enum('a')"_qs, u"utf8mb4"_qs) << int(ValueKind::Text)
                          << false;
    QTest::newRow("binary charset text") << column(u"c"_qs, u"varchar"_qs, u"varchar(3)"_qs, u"binary"_qs)
                                         << int(ValueKind::Bytes) << false;
    QTest::newRow("bit") << column(u"c"_qs, u"bit"_qs, u"bit(1)"_qs) << int(ValueKind::Bit) << false;
    QTest::newRow("geometry") << column(u"c"_qs, u"geometry"_qs, u"geometry"_qs) << int(ValueKind::Bytes) << false;
}

void TestMySqlDialect::valueKinds()
{
    QFETCH(ColumnInfo, column);
    QFETCH(int, kind);
    QFETCH(bool, canOrder);
    QCOMPARE(int(column.kind()), kind);
    QCOMPARE(column.canOrderRows(), canOrder);
}

void TestMySqlDialect::createStatementLosesForeignKeysAndCounter()
{
    const QString source = u"CREATE TABLE `child` (\n"
                           "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                           "  `parent_id` int(11) NOT NULL,\n"
                           "  PRIMARY KEY (`id`),\n"
                           "  KEY `fk_parent` (`parent_id`),\n"
                           "  CONSTRAINT `fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`)\n"
                           ") ENGINE=InnoDB AUTO_INCREMENT=1000 DEFAULT CHARSET=utf8mb4"_qs;
    const QString expected = u"CREATE TABLE `child` (\n"
                             "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                             "  `parent_id` int(11) NOT NULL,\n"
                             "  PRIMARY KEY (`id`),\n"
                             "  KEY `fk_parent` (`parent_id`)\n"
                             ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"_qs;
    QCOMPARE(SchemaSync::targetCreateStatement(source), expected);
}

QTEST_GUILESS_MAIN(TestMySqlDialect)
#include "tst_mysqldialect.moc"
