#include "config/TablesFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;

class TestTablesFile : public QObject
{
    Q_OBJECT

private slots:
    void parsesEntry_data();
    void parsesEntry();
    void parsesSeveralEntriesInOrder();
    void reportsEntryError_data();
    void reportsEntryError();
    void reportsFileError_data();
    void reportsFileError();
    void reportsEveryProblem();
    void readsDeletes();
    void knownKeysAreListed();
    void loadReportsMissingFile();
    void loadReadsRealFile();
};

void TestTablesFile::parsesEntry_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QStringList>("primaryKey");
    QTest::addColumn<QString>("modifier");
    QTest::addColumn<bool>("hasInitialValue");
    QTest::addColumn<QString>("initialValue");
    QTest::addColumn<int>("batchSize");

    QTest::newRow("string key, full refresh")
        << QByteArray(R"([{"table": "orders", "primary_key": "id"}])") << u"orders"_qs << QStringList{u"id"_qs}
        << QString() << false << QString() << 0;
    QTest::newRow("composite key") << QByteArray(R"([{"table": "lines", "primary_key": ["order_id", "line_no"]}])")
                                   << u"lines"_qs << QStringList{u"order_id"_qs, u"line_no"_qs} << QString() << false
                                   << QString() << 0;
    QTest::newRow("one-column array") << QByteArray(R"([{"table": "t", "primary_key": ["id"]}])") << u"t"_qs
                                      << QStringList{u"id"_qs} << QString() << false << QString() << 0;
    QTest::newRow("incremental, string initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "updated_at",
                           "initial_value": "2024-01-01 00:00:00"}])")
        << u"t"_qs << QStringList{u"id"_qs} << u"updated_at"_qs << true << u"2024-01-01 00:00:00"_qs << 0;
    QTest::newRow("integer initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "seq", "initial_value": 42}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"seq"_qs << true << u"42"_qs << 0;
    QTest::newRow("integer written as 1.0")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "seq", "initial_value": 7.0}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"seq"_qs << true << u"7"_qs << 0;
    QTest::newRow("large exact integer") << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "seq",
                           "initial_value": 9007199254740993}])")
                                         << u"t"_qs << QStringList{u"id"_qs} << u"seq"_qs << true
                                         << u"9007199254740993"_qs << 0;
    QTest::newRow("negative initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "seq", "initial_value": -5}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"seq"_qs << true << u"-5"_qs << 0;
    QTest::newRow("decimal initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "v", "initial_value": 0.1}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"v"_qs << true << u"0.1"_qs << 0;
    QTest::newRow("exponent initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "v", "initial_value": 1.5e-7}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"v"_qs << true << u"0.00000015"_qs << 0;
    QTest::newRow("null initial value is absent")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "v", "initial_value": null}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"v"_qs << false << QString() << 0;
    QTest::newRow("null modifier is absent (old pipeline)")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": null}])") << u"t"_qs << QStringList{u"id"_qs}
        << QString() << false << QString() << 0;
    QTest::newRow("empty-string initial value")
        << QByteArray(R"([{"table": "t", "primary_key": "id", "modifier": "v", "initial_value": ""}])") << u"t"_qs
        << QStringList{u"id"_qs} << u"v"_qs << true << QString() << 0;
    QTest::newRow("full refresh without a key")
        << QByteArray(R"([{"table": "t"}])") << u"t"_qs << QStringList() << QString() << false << QString() << 0;
    QTest::newRow("null key is absent") << QByteArray(R"([{"table": "t", "primary_key": null}])") << u"t"_qs
                                        << QStringList() << QString() << false << QString() << 0;
    QTest::newRow("batch size") << QByteArray(R"([{"table": "t", "primary_key": "id", "batch_size": 500}])") << u"t"_qs
                                << QStringList{u"id"_qs} << QString() << false << QString() << 500;
    QTest::newRow("batch size limits") << QByteArray(R"([{"table": "t", "primary_key": "id", "batch_size": 1e6}])")
                                       << u"t"_qs << QStringList{u"id"_qs} << QString() << false << QString()
                                       << 1000000;
    QTest::newRow("BOM and CRLF") << QByteArray("\xEF\xBB\xBF[\r\n{\"table\": \"t\", \"primary_key\": \"id\"}\r\n]")
                                  << u"t"_qs << QStringList{u"id"_qs} << QString() << false << QString() << 0;
    QTest::newRow("UTF-8 name") << QByteArray("[{\"table\": \"b\xC3\xBC"
                                              "cher\", \"primary_key\": \"id\"}]")
                                << u"bücher"_qs << QStringList{u"id"_qs} << QString() << false << QString() << 0;
}

void TestTablesFile::parsesEntry()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, table);
    QFETCH(QStringList, primaryKey);
    QFETCH(QString, modifier);
    QFETCH(bool, hasInitialValue);
    QFETCH(QString, initialValue);
    QFETCH(int, batchSize);

    ConfigErrors errors;
    const QList<TableSpec> specs = TablesFile::parse(json, u"tables.json"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(specs.size(), 1);
    const TableSpec &spec = specs[0];
    QCOMPARE(spec.table, table);
    QCOMPARE(spec.primaryKey, primaryKey);
    QCOMPARE(spec.modifier, modifier);
    QCOMPARE(spec.isIncremental(), !modifier.isEmpty());
    QCOMPARE(spec.initialValue.has_value(), hasInitialValue);
    if (hasInitialValue)
        QCOMPARE(*spec.initialValue, initialValue);
    QCOMPARE(spec.batchSize, batchSize);
    QCOMPARE(spec.entryIndex, 1);
}

void TestTablesFile::parsesSeveralEntriesInOrder()
{
    ConfigErrors errors;
    const QList<TableSpec> specs = TablesFile::parse(R"([
        {"table": "customers", "primary_key": "id", "modifier": "updated_at"},
        {"table": "orders", "primary_key": ["shop", "id"]},
        {"table": "items", "primary_key": "sku", "batch_size": 100}
    ])",
                                                     u"tables.json"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(specs.size(), 3);
    QCOMPARE(specs[0].table, u"customers"_qs);
    QCOMPARE(specs[1].table, u"orders"_qs);
    QCOMPARE(specs[2].table, u"items"_qs);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(specs[i].entryIndex, i + 1);
}

void TestTablesFile::reportsEntryError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QStringList>("mentions"); // every one must appear in the message

    const auto row = [](const char *name, const char *json, const QString &location, const QStringList &mentions) {
        QTest::newRow(name) << QByteArray(json) << location << mentions;
    };

    row("entry not an object", R"([{"table": "a", "primary_key": "id"}, "b"])", u"entry 2"_qs,
        {u"expected an object"_qs, u"a string"_qs});
    row("entry is an array", R"([[1]])", u"entry 1"_qs, {u"expected an object"_qs, u"an array"_qs});
    row("unknown key", R"([{"table": "orders", "primary_key": "id", "modifer": "x"}])", u"entry 1 (orders)"_qs,
        {u"unknown key \"modifer\""_qs, u"table, primary_key, modifier, initial_value, batch_size"_qs});
    row("missing table", R"([{"primary_key": "id"}])", u"entry 1"_qs, {u"missing"_qs, u"\"table\""_qs});
    row("table not a string", R"([{"table": 5, "primary_key": "id"}])", u"entry 1"_qs,
        {u"\"table\""_qs, u"a number"_qs});
    row("table null", R"([{"table": null, "primary_key": "id"}])", u"entry 1"_qs, {u"\"table\""_qs, u"null"_qs});
    row("empty table", R"([{"table": "", "primary_key": "id"}])", u"entry 1"_qs, {u"\"table\""_qs, u"empty"_qs});
    row("blank table", R"([{"table": "  ", "primary_key": "id"}])", u"entry 1"_qs, {u"\"table\""_qs, u"empty"_qs});
    row("incremental without primary key", R"([{"table": "orders", "modifier": "updated_at"}])", u"entry 1 (orders)"_qs,
        {u"\"modifier\" needs a \"primary_key\""_qs, u"Leave out \"modifier\""_qs});
    row("primary key a number", R"([{"table": "orders", "primary_key": 1}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key\""_qs, u"a number"_qs});
    row("incremental with null primary key", R"([{"table": "orders", "primary_key": null, "modifier": "v"}])",
        u"entry 1 (orders)"_qs, {u"\"modifier\" needs a \"primary_key\""_qs});
    row("empty primary key", R"([{"table": "orders", "primary_key": ""}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key\""_qs, u"empty"_qs});
    row("empty primary key array", R"([{"table": "orders", "primary_key": []}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key\""_qs, u"at least one column"_qs});
    row("primary key item not a string", R"([{"table": "orders", "primary_key": ["id", 2]}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key item 2\""_qs, u"a number"_qs});
    row("primary key item empty", R"([{"table": "orders", "primary_key": ["", "id"]}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key item 1\""_qs, u"empty"_qs});
    row("duplicate primary key column", R"([{"table": "orders", "primary_key": ["id", "ID"]}])", u"entry 1 (orders)"_qs,
        {u"\"primary_key\""_qs, u"\"ID\""_qs, u"twice"_qs});
    row("modifier not a string", R"([{"table": "orders", "primary_key": "id", "modifier": true}])",
        u"entry 1 (orders)"_qs, {u"\"modifier\""_qs, u"true"_qs});
    row("empty modifier", R"([{"table": "orders", "primary_key": "id", "modifier": ""}])", u"entry 1 (orders)"_qs,
        {u"\"modifier\""_qs, u"empty"_qs});
    row("initial value bool", R"([{"table": "orders", "primary_key": "id", "initial_value": false}])",
        u"entry 1 (orders)"_qs, {u"\"initial_value\""_qs, u"a string or a number"_qs, u"false"_qs});
    row("initial value object", R"([{"table": "orders", "primary_key": "id", "initial_value": {}}])",
        u"entry 1 (orders)"_qs, {u"\"initial_value\""_qs, u"an object"_qs});
    row("initial value not exact", R"([{"table": "orders", "primary_key": "id", "initial_value": 1e30}])",
        u"entry 1 (orders)"_qs, {u"\"initial_value\""_qs, u"as a string"_qs});
    row("batch size zero", R"([{"table": "orders", "primary_key": "id", "batch_size": 0}])", u"entry 1 (orders)"_qs,
        {u"\"batch_size\""_qs, u"1 to 1000000"_qs, u"found 0"_qs});
    row("batch size too big", R"([{"table": "orders", "primary_key": "id", "batch_size": 1000001}])",
        u"entry 1 (orders)"_qs, {u"\"batch_size\""_qs, u"found 1000001"_qs});
    row("deletes unknown word", R"([{"table": "orders", "primary_key": "id", "modifier": "m", "deletes": "hard"}])",
        u"entry 1 (orders)"_qs, {u"\"deletes\""_qs, u"\"keep\", \"propagate\" or \"soft\""_qs, u"\"hard\""_qs});
    row("deletes word in capitals", R"([{"table": "orders", "primary_key": "id", "modifier": "m", "deletes": "Soft"}])",
        u"entry 1 (orders)"_qs, {u"\"deletes\""_qs, u"\"Soft\""_qs});
    row("soft deletes on a full refresh", R"([{"table": "orders", "primary_key": "id", "deletes": "soft"}])",
        u"entry 1 (orders)"_qs, {u"\"soft\""_qs, u"\"modifier\""_qs, u"full refresh"_qs});
    row("deletes not a string", R"([{"table": "orders", "primary_key": "id", "deletes": true}])",
        u"entry 1 (orders)"_qs, {u"\"deletes\""_qs, u"true"_qs});
    row("batch size fraction", R"([{"table": "orders", "primary_key": "id", "batch_size": 2.5}])",
        u"entry 1 (orders)"_qs, {u"\"batch_size\""_qs, u"found 2.5"_qs});
    row("batch size string", R"([{"table": "orders", "primary_key": "id", "batch_size": "500"}])",
        u"entry 1 (orders)"_qs, {u"\"batch_size\""_qs, u"a string"_qs});
    row("duplicate table", R"([{"table": "orders", "primary_key": "id"}, {"table": "a", "primary_key": "id"},
                               {"table": "Orders", "primary_key": "id"}])",
        u"entry 3 (Orders)"_qs, {u"\"Orders\""_qs, u"already configured in entry 1"_qs});
}

void TestTablesFile::reportsEntryError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, location);
    QFETCH(QStringList, mentions);

    ConfigErrors errors;
    TablesFile::parse(json, u"cfg/tables.json"_qs, errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, u"cfg/tables.json"_qs);
    QCOMPARE(errors[0].location, location);
    for (const QString &mention : std::as_const(mentions))
        QVERIFY2(errors[0].message.contains(mention), qPrintable(errors[0].message + u" lacks "_qs + mention));
}

void TestTablesFile::reportsFileError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("mention");

    QTest::newRow("empty array") << QByteArray("[ ]") << QString() << u"no tables configured"_qs;
    QTest::newRow("empty file") << QByteArray(" \n") << QString() << u"empty"_qs;
    QTest::newRow("object at top") << QByteArray(R"({"table": "t", "primary_key": "id"})") << QString()
                                   << u"expected a JSON array"_qs;
    QTest::newRow("number at top") << QByteArray("42") << u"line 1, column 2"_qs << u"JSON array"_qs;
    QTest::newRow("missing value") << QByteArray("[\n  {\"table\": }\n]") << u"line 2, column 14"_qs
                                   << u"invalid JSON"_qs;
    QTest::newRow("trailing garbage") << QByteArray("[{\"table\": \"t\", \"primary_key\": \"id\"}] x")
                                      << u"line 1, column 39"_qs << u"garbage"_qs;
    QTest::newRow("column counts characters")
        << QByteArray("[\n{\"table\": \"\xC3\xA4\xC3\xA4\", x}]") << u"line 2, column 18"_qs << u"invalid JSON"_qs;
}

void TestTablesFile::reportsFileError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, location);
    QFETCH(QString, mention);

    ConfigErrors errors;
    const QList<TableSpec> specs = TablesFile::parse(json, u"tables.json"_qs, errors);
    QVERIFY(specs.isEmpty());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, u"tables.json"_qs);
    QCOMPARE(errors[0].location, location);
    QVERIFY2(errors[0].message.contains(mention), qPrintable(errors[0].message));
}

void TestTablesFile::reportsEveryProblem()
{
    // All problems at once, so a user fixes the file in one go; good entries are still read.
    ConfigErrors errors;
    const QList<TableSpec> specs = TablesFile::parse(R"([
        {"table": "good", "primary_key": "id"},
        {"table": "bad", "primary_key": [], "batch": 5},
        {"primary_key": "id"}
    ])",
                                                     u"tables.json"_qs, errors);
    QCOMPARE(specs.size(), 1);
    QCOMPARE(specs[0].table, u"good"_qs);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors[0].location, u"entry 2 (bad)"_qs);
    QCOMPARE(errors[1].location, u"entry 2 (bad)"_qs);
    QCOMPARE(errors[2].location, u"entry 3"_qs);
    QCOMPARE(errors[2].toString(), u"tables.json, entry 3: missing required key \"table\""_qs);
}

void TestTablesFile::readsDeletes()
{
    ConfigErrors errors;
    const auto specs = TablesFile::parse(R"([{"table": "a", "primary_key": "id", "deletes": "propagate"},
                                             {"table": "b", "primary_key": "id", "deletes": "keep"},
                                             {"table": "c", "primary_key": "id"},
                                             {"table": "d", "primary_key": "id", "modifier": "m", "deletes": "soft"},
                                             {"table": "e", "primary_key": "id", "deletes": null}])",
                                         u"tables.json"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(specs.size(), 5);
    QCOMPARE(specs[0].deletes, TableSpec::Deletes::Propagate);
    QCOMPARE(specs[1].deletes, TableSpec::Deletes::Keep);
    QCOMPARE(specs[2].deletes, TableSpec::Deletes::Keep);
    QCOMPARE(specs[3].deletes, TableSpec::Deletes::Soft);
    QCOMPARE(specs[4].deletes, TableSpec::Deletes::Keep);
}

void TestTablesFile::knownKeysAreListed()
{
    QCOMPARE(TablesFile::knownKeys(), (QStringList{u"table"_qs, u"primary_key"_qs, u"modifier"_qs, u"initial_value"_qs,
                                                   u"batch_size"_qs, u"deletes"_qs, u"lag"_qs}));
}

void TestTablesFile::loadReportsMissingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"tables.json"_qs);
    ConfigErrors errors;
    QVERIFY(TablesFile::load(path, errors).isEmpty());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, path);
    QVERIFY(errors[0].location.isEmpty());
    QVERIFY2(errors[0].message.contains(u"not found"_qs), qPrintable(errors[0].message));
}

void TestTablesFile::loadReadsRealFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"tables.json"_qs);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"([{"table": "orders", "primary_key": ["id"], "modifier": "updated_at", "initial_value": 0}])");
    file.close();

    ConfigErrors errors;
    const QList<TableSpec> specs = TablesFile::load(path, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(specs.size(), 1);
    QCOMPARE(specs[0].table, u"orders"_qs);
    QCOMPARE(specs[0].initialValue, std::optional<QString>(u"0"_qs));
}

QTEST_GUILESS_MAIN(TestTablesFile)
#include "tst_tablesfile.moc"
