// The command line of DESIGN.md, parsed in-process, and how it overrides the files.
#include "config/CommandLine.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;

class TestCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesOptions();
    void inlineValues();
    void rejects_data();
    void rejects();
    void overridesApplyToSettings();
    void environmentAloneIsEnoughWithoutDefaultEnvFile();
    void envAloneFindsItsPairedTables();

private:
    static std::optional<CommandLine> parse(const QStringList &args, QString *error = nullptr)
    {
        QString e;
        auto result = CommandLine::parse(QStringList{u"tablesync"_qs} + args, e);
        if (error)
            *error = e;
        return result;
    }
};

void TestCommandLine::parsesOptions()
{
    const auto cl = parse({u"--headless"_qs, u"--env"_qs, u"/etc/ts/.env"_qs, u"--tables"_qs, u"t.json"_qs,
                           u"--table"_qs, u"a"_qs, u"--table"_qs, u"b"_qs, u"--interval"_qs, u"30"_qs,
                           u"--health-port"_qs, u"9000"_qs, u"--health-host"_qs, u"0.0.0.0"_qs});
    QVERIFY(cl);
    QVERIFY(cl->headless);
    QVERIFY(!cl->once);
    QVERIFY(cl->envGiven);
    QCOMPARE(cl->envPath, u"/etc/ts/.env"_qs);
    QCOMPARE(cl->tablesPath, u"t.json"_qs);
    QCOMPARE(cl->onlyTables, (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(cl->intervalSeconds.value(), 30);
    QCOMPARE(cl->healthPort.value(), 9000);
    QCOMPARE(cl->healthHost, u"0.0.0.0"_qs);

    const auto defaults = parse({});
    QVERIFY(defaults);
    QVERIFY(!defaults->headless);
    QCOMPARE(defaults->envPath, u".env"_qs);
    QCOMPARE(defaults->tablesPath, u"tables.json"_qs);
    QVERIFY(!defaults->envGiven);
}

void TestCommandLine::inlineValues()
{
    const auto cl = parse({u"--once"_qs, u"--interval=0"_qs, u"--env=x.env"_qs});
    QVERIFY(cl);
    QVERIFY(cl->once);
    QCOMPARE(cl->intervalSeconds.value(), 0);
    QCOMPARE(cl->envPath, u"x.env"_qs);
}

void TestCommandLine::rejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown") << QStringList{u"--fast"_qs} << u"unknown option --fast"_qs;
    QTest::newRow("missing value") << QStringList{u"--env"_qs} << u"--env needs a value"_qs;
    QTest::newRow("negative interval") << QStringList{u"--interval"_qs, u"-1"_qs} << u"--interval"_qs;
    QTest::newRow("port zero") << QStringList{u"--health-port"_qs, u"0"_qs} << u"between 1 and 65535"_qs;
    QTest::newRow("port too big") << QStringList{u"--health-port"_qs, u"65536"_qs} << u"between 1 and 65535"_qs;
    QTest::newRow("stray argument") << QStringList{u"sync"_qs} << u"unexpected argument"_qs;
    QTest::newRow("empty table") << QStringList{u"--table="_qs} << u"--table needs a table name"_qs;
    QTest::newRow("plan and verify") << QStringList{u"--plan"_qs, u"--verify"_qs}
                                     << u"--plan cannot be combined with --verify or --repair"_qs;
}

void TestCommandLine::rejects()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!parse(args, &message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

void TestCommandLine::overridesApplyToSettings()
{
    QTemporaryDir dir;
    QFile env(dir.filePath(u".env"_qs));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("SOURCE_DB_USER=u\nSOURCE_DB_HOST=h\nSOURCE_DB_NAME=s\nTARGET_DB_USER=u\nTARGET_DB_HOST=h\n"
              "TARGET_DB_NAME=t\nINTERVAL=120\n");
    env.close();
    QFile tables(dir.filePath(u"tables.json"_qs));
    QVERIFY(tables.open(QIODevice::WriteOnly));
    tables.write(R"([{"table": "a", "primary_key": "id"}, {"table": "B", "primary_key": ["x", "y"]}])");
    tables.close();

    auto cl = parse({u"--once"_qs, u"--env"_qs, env.fileName(), u"--tables"_qs, tables.fileName(), u"--table"_qs,
                     u"b"_qs, u"--health-port"_qs, u"18089"_qs});
    QVERIFY(cl);
    ConfigErrors errors;
    const Settings settings = cl->loadSettings(QProcessEnvironment(), errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(settings.intervalSeconds, 0);
    QCOMPARE(settings.healthPort, 18089);
    QCOMPARE(settings.tables.size(), 1);
    QCOMPARE(settings.tables[0].table, u"B"_qs);

    cl->onlyTables = {u"zzz"_qs};
    errors.clear();
    cl->loadSettings(QProcessEnvironment(), errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0].toString().contains(u"--table zzz: no such table"_qs));

    // --plan runs once and writes nothing.
    auto plan = parse({u"--plan"_qs, u"--env"_qs, env.fileName(), u"--tables"_qs, tables.fileName()});
    QVERIFY(plan);
    errors.clear();
    const Settings planned = plan->loadSettings(QProcessEnvironment(), errors);
    QCOMPARE(planned.runMode, Settings::RunMode::Plan);
    QCOMPARE(planned.intervalSeconds, 0);
    QVERIFY(!planned.writesTarget());
}

void TestCommandLine::environmentAloneIsEnoughWithoutDefaultEnvFile()
{
    QTemporaryDir dir;
    QFile tables(dir.filePath(u"tables.json"_qs));
    QVERIFY(tables.open(QIODevice::WriteOnly));
    tables.write(R"([{"table": "a", "primary_key": "id"}])");
    tables.close();
    auto cl = parse({u"--headless"_qs, u"--tables"_qs, tables.fileName()});
    cl->envPath = dir.filePath(u".env"_qs); // the default name, in a folder without one
    QProcessEnvironment environment;
    for (const char *key :
         {"SOURCE_DB_USER", "SOURCE_DB_HOST", "SOURCE_DB_NAME", "TARGET_DB_USER", "TARGET_DB_HOST", "TARGET_DB_NAME"})
        environment.insert(QString::fromLatin1(key), u"x"_qs);
    ConfigErrors errors;
    cl->loadSettings(environment, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));

    // Given explicitly, a missing file is an error naming it.
    cl->envGiven = true;
    cl->loadSettings(environment, errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0].toString().contains(dir.filePath(u".env"_qs)));
}

// The desktop app saves prod.env with prod.tables.json: --env prod.env alone runs that pair, not
// a tables.json of another profile; --tables always wins, and without a pair the default stays.
void TestCommandLine::envAloneFindsItsPairedTables()
{
    QTemporaryDir dir;
    const QString env = dir.filePath(u"prod.env"_qs);
    QCOMPARE(parse({u"--env"_qs, env})->tablesPath, u"tables.json"_qs); // no pair yet
    QFile paired(dir.filePath(u"prod.tables.json"_qs));
    QVERIFY(paired.open(QIODevice::WriteOnly));
    paired.close();
    QCOMPARE(parse({u"--env"_qs, env})->tablesPath, dir.filePath(u"prod.tables.json"_qs));
    QCOMPARE(parse({u"--env"_qs, env, u"--tables"_qs, u"x.json"_qs})->tablesPath, u"x.json"_qs);
    QCOMPARE(parse({u"--env"_qs, dir.filePath(u".env"_qs)})->tablesPath, u"tables.json"_qs);
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
