// The core pieces behind the GUI's profile editing: writing .env and tables.json so that they read
// back exactly (and keep the user's comments), atomically with mode 0600; entry validation; and
// the ranking of modifier candidates in discovery. No database, no window.
#include "config/EnvFile.h"
#include "config/ProfileWriter.h"
#include "config/TableSpecValidator.h"
#include "config/TablesFile.h"
#include "db/DiscoveredTable.h"
#include "db/TableDiscovery.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;

class TestProfileWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quotedValueReadsBack_data();
    void quotedValueReadsBack();
    void renderEnvKeepsLayout();
    void renderEnvAppendsAndRemoves();
    void tablesRoundTrip();
    void writeFileIsOwnerOnlyAndAtomic();
    void writeFileFailureLeavesOldFile();
    void validation_data();
    void validation();
    void validationAgainstCatalog();
    void modifierRanking();
};

void TestProfileWriter::quotedValueReadsBack_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << u"secret"_qs;
    QTest::newRow("empty") << QString();
    QTest::newRow("hash after space") << u"a #b"_qs;
    QTest::newRow("hash inside") << u"ab#cd"_qs;
    QTest::newRow("spaces around") << u"  padded  "_qs;
    QTest::newRow("single quote") << u"it's"_qs;
    QTest::newRow("double quote") << u"say \"hi\""_qs;
    QTest::newRow("backslash") << u"C:\\path\\x"_qs;
    QTest::newRow("both quotes and backslash") << u"p@ss #\"x'\\"_qs;
    QTest::newRow("newline and tab") << u"line1\nline2\tend"_qs;
    QTest::newRow("unicode") << u"Zoë 🔥 日本"_qs;
    QTest::newRow("equals") << u"a=b=c"_qs;
    QTest::newRow("dollar") << u"$HOME"_qs;
}

void TestProfileWriter::quotedValueReadsBack()
{
    QFETCH(QString, value);
    const QByteArray text = ProfileWriter::renderEnv({}, {{u"KEY"_qs, value}});
    ConfigErrors errors;
    const EnvFile env = EnvFile::parse(text, u"t.env"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString() + u" in "_qs + QString::fromUtf8(text)));
    QCOMPARE(env.value(u"KEY"_qs), value);
}

void TestProfileWriter::renderEnvKeepsLayout()
{
    const QByteArray existing = "# Production sync\n"
                                "\n"
                                "export SOURCE_DB_HOST=db1   # the primary\n"
                                "SOURCE_DB_PASS='old#pass'\n"
                                "LOG_LEVEL=debug\n"
                                "INTERVAL=60 # seconds\n";
    const QMap<QString, QString> values{{u"SOURCE_DB_HOST"_qs, u"db2.example.com"_qs},
                                        {u"SOURCE_DB_PASS"_qs, u"new pass"_qs},
                                        {u"LOG_LEVEL"_qs, u"debug"_qs},
                                        {u"INTERVAL"_qs, u"120"_qs}};
    const QByteArray text = ProfileWriter::renderEnv(existing, values);
    QCOMPARE(QString::fromUtf8(text), u"# Production sync\n"
                                      "\n"
                                      "export SOURCE_DB_HOST=db2.example.com   # the primary\n"
                                      "SOURCE_DB_PASS='new pass'\n"
                                      "LOG_LEVEL=debug\n"
                                      "INTERVAL=120 # seconds\n"_qs);
}

void TestProfileWriter::renderEnvAppendsAndRemoves()
{
    const QByteArray existing = "A=1\r\nB=2\r\n";
    const QByteArray text =
        ProfileWriter::renderEnv(existing, {{u"A"_qs, u"1"_qs}, {u"Z"_qs, u"26"_qs}, {u"C"_qs, u"3"_qs}}, {u"Z"_qs});
    QCOMPARE(QString::fromUtf8(text), u"A=1\nZ=26\nC=3\n"_qs);
}

void TestProfileWriter::tablesRoundTrip()
{
    TableSpec orders;
    orders.table = u"orders"_qs;
    orders.primaryKey = {u"id"_qs};
    orders.modifier = u"updated_at"_qs;
    orders.initialValue = u"2024-01-01 00:00:00.000001"_qs;
    orders.batchSize = 5000;
    TableSpec lines;
    lines.table = u"order_lines"_qs;
    lines.primaryKey = {u"order_id"_qs, u"line_no"_qs};
    lines.deletes = TableSpec::Deletes::Propagate; // a key the GUI does not edit still survives a save
    TableSpec odd;
    odd.table = u"weird \"name\" ü"_qs;
    odd.primaryKey = {u"k"_qs};
    odd.modifier = u"version"_qs;
    odd.initialValue = u"12345678901234567890"_qs; // beyond a double: stays text
    TableSpec keyless;                             // a full refresh of a table without a key: no "primary_key" at all
    keyless.table = u"event_log"_qs;
    const QList<TableSpec> specs{orders, lines, odd, keyless};

    const QByteArray json = ProfileWriter::renderTables(specs);
    QVERIFY(json.contains("{\"table\": \"event_log\"}"));
    QVERIFY(json.contains("{\"table\": \"orders\", \"primary_key\": \"id\", \"modifier\": \"updated_at\""));
    QVERIFY(json.contains("\"primary_key\": [\"order_id\",\"line_no\"]"));
    ConfigErrors errors;
    const QList<TableSpec> back = TablesFile::parse(json, u"tables.json"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(back.size(), specs.size());
    for (int i = 0; i < specs.size(); ++i) {
        QCOMPARE(back[i].table, specs[i].table);
        QCOMPARE(back[i].primaryKey, specs[i].primaryKey);
        QCOMPARE(back[i].modifier, specs[i].modifier);
        QCOMPARE(back[i].initialValue, specs[i].initialValue);
        QCOMPARE(back[i].batchSize, specs[i].batchSize);
        QCOMPARE(back[i].deletes, specs[i].deletes);
    }
}

void TestProfileWriter::writeFileIsOwnerOnlyAndAtomic()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u".env"_qs);
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("OLD=1\n");
        old.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                           QFileDevice::ReadOther);
    }
    QString error;
    QVERIFY2(ProfileWriter::writeFile(path, "NEW=2\n", &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("NEW=2\n"));
    QCOMPARE(QFileInfo(path).permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // Nothing but the file itself is left in the directory (no temporary files).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u".env"_qs});
}

void TestProfileWriter::writeFileFailureLeavesOldFile()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!ProfileWriter::writeFile(dir.filePath(u"missing/dir/.env"_qs), "X=1\n", &error));
    QVERIFY2(error.contains(u"missing/dir/.env"_qs), qPrintable(error));
}

void TestProfileWriter::validation_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QStringList>("key");
    QTest::addColumn<QString>("modifier");
    QTest::addColumn<QString>("initialValue");
    QTest::addColumn<int>("field");
    QTest::addColumn<int>("severity");
    QTest::addColumn<QString>("message");
    const int error = int(TableIssue::Severity::Error);
    const int warning = int(TableIssue::Severity::Warning);
    QTest::newRow("no name") << QString() << QStringList{u"id"_qs} << QString() << QString()
                             << int(TableIssue::Field::Table) << error << u"table name is required"_qs;
    QTest::newRow("duplicate") << u"ORDERS"_qs << QStringList{u"id"_qs} << QString() << QString()
                               << int(TableIssue::Field::Table) << error << u"already configured in row 1"_qs;
    QTest::newRow("incremental without key")
        << u"items"_qs << QStringList() << u"updated_at"_qs << QString() << int(TableIssue::Field::PrimaryKey) << error
        << u"Incremental sync needs a primary key"_qs;
    QTest::newRow("key twice") << u"items"_qs << QStringList{u"a"_qs, u"A"_qs} << QString() << QString()
                               << int(TableIssue::Field::PrimaryKey) << error << u"listed twice"_qs;
    QTest::newRow("initial without modifier") << u"items"_qs << QStringList{u"id"_qs} << QString() << u"5"_qs
                                              << int(TableIssue::Field::InitialValue) << warning << u"Ignored"_qs;
}

void TestProfileWriter::validation()
{
    QFETCH(QString, table);
    QFETCH(QStringList, key);
    QFETCH(QString, modifier);
    QFETCH(QString, initialValue);
    QFETCH(int, field);
    QFETCH(int, severity);
    QFETCH(QString, message);
    TableSpec first;
    first.table = u"orders"_qs;
    first.primaryKey = {u"id"_qs};
    TableSpec second;
    second.table = table;
    second.primaryKey = key;
    second.modifier = modifier;
    if (!initialValue.isEmpty())
        second.initialValue = initialValue;
    const QList<TableIssue> issues = TableSpecValidator::validate({first, second});
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues[0].row, 1);
    QCOMPARE(int(issues[0].field), field);
    QCOMPARE(int(issues[0].severity), severity);
    QVERIFY2(issues[0].message.contains(message), qPrintable(issues[0].message));
}

static ColumnInfo column(const QString &name, const QString &type, const QString &extra = {}, bool nullable = false)
{
    ColumnInfo c;
    c.name = name;
    c.dataType = type;
    c.columnType = type;
    c.extra = extra;
    c.nullable = nullable;
    c.charset = type.contains(u"char"_qs) ? u"utf8mb4"_qs : QString();
    return c;
}

void TestProfileWriter::validationAgainstCatalog()
{
    DiscoveredTable orders;
    orders.name = u"orders"_qs;
    orders.primaryKey = {u"id"_qs};
    orders.columns = {column(u"id"_qs, u"int"_qs), column(u"note"_qs, u"varchar"_qs),
                      column(u"updated_at"_qs, u"datetime"_qs)};
    orders.estimatedRows = 5'000'000;
    const QHash<QString, DiscoveredTable> catalog{{u"orders"_qs, orders}};

    TableSpec spec;
    spec.table = u"Orders"_qs;
    spec.primaryKey = {u"id"_qs, u"nope"_qs};
    spec.modifier = u"note"_qs;
    TableSpec missing;
    missing.table = u"ghost"_qs;
    missing.primaryKey = {u"id"_qs};
    QList<TableIssue> issues = TableSpecValidator::validate({spec, missing}, &catalog);
    QCOMPARE(issues.size(), 3);
    QVERIFY(issues[0].message.contains(u"no column \"nope\""_qs));
    QVERIFY(issues[1].message.contains(u"cannot order rows"_qs));
    QCOMPARE(issues[2].row, 1);
    QVERIFY(issues[2].message.contains(u"no table \"ghost\""_qs));

    spec.primaryKey = {u"id"_qs};
    spec.modifier = u"updated_at"_qs; // not indexed: a notice
    issues = TableSpecValidator::validate({spec}, &catalog);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues[0].severity, TableIssue::Severity::Notice);
    spec.modifier.clear(); // a large full refresh: a notice
    issues = TableSpecValidator::validate({spec}, &catalog);
    QCOMPARE(issues.size(), 1);
    QVERIFY(issues[0].message.contains(u"Full refresh"_qs));
}

void TestProfileWriter::modifierRanking()
{
    DiscoveredTable t;
    t.name = u"customers"_qs;
    t.primaryKey = {u"id"_qs};
    t.columns = {column(u"id"_qs, u"bigint"_qs),
                 column(u"created_at"_qs, u"datetime"_qs),
                 column(u"name"_qs, u"varchar"_qs),
                 column(u"last_modified"_qs, u"timestamp"_qs),
                 column(u"row_updated"_qs, u"datetime"_qs, u"on update current_timestamp()"_qs),
                 column(u"amount"_qs, u"decimal"_qs)};
    t.indexLeadingColumns = {u"row_updated"_qs};
    const QList<ModifierCandidate> ranked = TableDiscovery::rankModifiers(t);
    QStringList names;
    for (const ModifierCandidate &c : ranked)
        names << c.column;
    // The indexed ON UPDATE column first, the change-named one next, the creation time last;
    // the key, the text and an unremarkable DECIMAL are no candidates.
    QCOMPARE(names, (QStringList{u"row_updated"_qs, u"last_modified"_qs, u"created_at"_qs}));
    QCOMPARE(t.modifierCandidates.size(), 0);
    t.modifierCandidates = ranked;
    QCOMPARE(t.suggestedModifier(), u"row_updated"_qs);
    QVERIFY(ranked[0].reason.contains(u"indexed"_qs));
    QVERIFY(ranked[1].reason.contains(u"not indexed"_qs));

    DiscoveredTable plain;
    plain.columns = {column(u"id"_qs, u"int"_qs), column(u"created_at"_qs, u"datetime"_qs)};
    plain.primaryKey = {u"id"_qs};
    plain.modifierCandidates = TableDiscovery::rankModifiers(plain);
    QVERIFY(plain.suggestedModifier().isEmpty()); // a creation time is not a modifier
}

QTEST_GUILESS_MAIN(TestProfileWriter)
#include "tst_profilewriter.moc"
