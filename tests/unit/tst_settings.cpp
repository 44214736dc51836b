#include "config/EnvFile.h"
#include "config/Settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;

namespace {

// The six required keys, on lines 1-6; a test's own lines start at line 7.
const QByteArray kRequired = "SOURCE_DB_USER=su\n"
                             "SOURCE_DB_HOST=sh\n"
                             "SOURCE_DB_NAME=sn\n"
                             "TARGET_DB_USER=tu\n"
                             "TARGET_DB_HOST=th\n"
                             "TARGET_DB_NAME=tn\n";

Settings fromText(const QByteArray &text, ConfigErrors &errors, const QProcessEnvironment &processEnv = {})
{
    const EnvFile env = EnvFile::parse(text, u"app.env"_qs, errors);
    return Settings::fromEnv(env, processEnv, errors);
}

// The test's own view of where each numeric key lands.
int numberOf(const Settings &s, const QString &key)
{
    const QHash<QString, int> values = {
        {u"SOURCE_DB_PORT"_qs, s.source.port},
        {u"TARGET_DB_PORT"_qs, s.target.port},
        {u"FETCH_LIMIT"_qs, s.requestedFetchLimit},
        {u"INTERVAL"_qs, s.intervalSeconds},
        {u"POOL_SIZE"_qs, s.poolSize},
        {u"MAX_OVERFLOW"_qs, s.maxOverflow},
        {u"POOL_TIMEOUT"_qs, s.poolTimeoutSeconds},
        {u"POOL_RECYCLE"_qs, s.poolRecycleSeconds},
        {u"HEALTH_PORT"_qs, s.healthPort},
        {u"DB_CONNECT_TIMEOUT"_qs, s.source.connectTimeoutSeconds},
        {u"DB_READ_TIMEOUT"_qs, s.source.readTimeoutSeconds},
        {u"DB_WRITE_TIMEOUT"_qs, s.source.writeTimeoutSeconds},
    };
    Q_ASSERT(values.contains(key));
    return values.value(key);
}

QString describe(const ConfigErrors &errors)
{
    QStringList lines;
    for (const ConfigError &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void readsEveryKey();
    void acceptsNumber_data();
    void acceptsNumber();
    void rejectsNumber_data();
    void rejectsNumber();
    void missingRequiredKey_data();
    void missingRequiredKey();
    void reportsEveryMissingKey();
    void emptyRequiredKey();
    void processEnvironmentOverrides();
    void badNumberFromEnvironment();
    void fetchLimitRaised_data();
    void fetchLimitRaised();
    void displayName();
    void misspeltKeysAreNamed();
    void passwordsEveryoneCanReadAreNamed();
    void keychainProfileRunHeadlessSaysWhere();
};

void TestSettings::defaults()
{
    ConfigErrors errors;
    const Settings s = fromText(kRequired, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));

    QCOMPARE(s.source.role, u"source"_qs);
    QCOMPARE(s.target.role, u"target"_qs);
    QCOMPARE(s.source.user, u"su"_qs);
    QCOMPARE(s.source.host, u"sh"_qs);
    QCOMPARE(s.source.database, u"sn"_qs);
    QCOMPARE(s.target.user, u"tu"_qs);
    QCOMPARE(s.target.host, u"th"_qs);
    QCOMPARE(s.target.database, u"tn"_qs);
    for (const ConnectionSettings *c : {&s.source, &s.target}) {
        QCOMPARE(c->password, QString());
        QCOMPARE(c->port, 3306);
        QCOMPARE(c->connectTimeoutSeconds, 10);
        QCOMPARE(c->readTimeoutSeconds, 600);
        QCOMPARE(c->writeTimeoutSeconds, 600);
        QVERIFY(c->sslCa.isEmpty());
        QVERIFY(c->sslCert.isEmpty());
        QVERIFY(c->sslKey.isEmpty());
    }
    QCOMPARE(s.fetchLimit, 10000);
    QCOMPARE(s.requestedFetchLimit, 10000);
    QCOMPARE(s.intervalSeconds, 60);
    QCOMPARE(s.poolSize, 20);
    QCOMPARE(s.maxOverflow, 30);
    QCOMPARE(s.poolTimeoutSeconds, 60);
    QCOMPARE(s.poolRecycleSeconds, 3600);
    QCOMPARE(s.healthHost, u"127.0.0.1"_qs);
    QCOMPARE(s.healthPort, 8089);
    QVERIFY(s.warnings().isEmpty());
}

void TestSettings::readsEveryKey()
{
    ConfigErrors errors;
    const Settings s =
        fromText("SOURCE_DB_USER=reader\nSOURCE_DB_PASS='p#ss word'\nSOURCE_DB_HOST=src.example\n"
                 "SOURCE_DB_PORT=3307\nSOURCE_DB_NAME=shop\n"
                 "SOURCE_DB_SSL_CA=/etc/ssl/ca.pem\nSOURCE_DB_SSL_CERT=/c.pem\nSOURCE_DB_SSL_KEY=/k.pem\n"
                 "TARGET_DB_USER=writer\nTARGET_DB_PASS=secret\nTARGET_DB_HOST=tgt.example\n"
                 "TARGET_DB_PORT=3308\nTARGET_DB_NAME=mirror\nTARGET_DB_SSL_CA=/t-ca.pem\n"
                 "FETCH_LIMIT=5000\nINTERVAL=0\nPOOL_SIZE=4\nMAX_OVERFLOW=0\nPOOL_TIMEOUT=5\n"
                 "POOL_RECYCLE=-1\nHEALTH_HOST=0.0.0.0\nHEALTH_PORT=9000\n"
                 "DB_CONNECT_TIMEOUT=3\nDB_READ_TIMEOUT=30\nDB_WRITE_TIMEOUT=40\n",
                 errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));

    QCOMPARE(s.source.user, u"reader"_qs);
    QCOMPARE(s.source.password, u"p#ss word"_qs);
    QCOMPARE(s.source.host, u"src.example"_qs);
    QCOMPARE(s.source.port, 3307);
    QCOMPARE(s.source.database, u"shop"_qs);
    QCOMPARE(s.source.sslCa, u"/etc/ssl/ca.pem"_qs);
    QCOMPARE(s.source.sslCert, u"/c.pem"_qs);
    QCOMPARE(s.source.sslKey, u"/k.pem"_qs);
    QCOMPARE(s.target.user, u"writer"_qs);
    QCOMPARE(s.target.password, u"secret"_qs);
    QCOMPARE(s.target.host, u"tgt.example"_qs);
    QCOMPARE(s.target.port, 3308);
    QCOMPARE(s.target.database, u"mirror"_qs);
    QCOMPARE(s.target.sslCa, u"/t-ca.pem"_qs);
    QVERIFY(s.target.sslCert.isEmpty());
    QCOMPARE(s.fetchLimit, 5000);
    QCOMPARE(s.requestedFetchLimit, 5000);
    QCOMPARE(s.intervalSeconds, 0);
    QCOMPARE(s.poolSize, 4);
    QCOMPARE(s.maxOverflow, 0);
    QCOMPARE(s.poolTimeoutSeconds, 5);
    QCOMPARE(s.poolRecycleSeconds, -1);
    QCOMPARE(s.healthHost, u"0.0.0.0"_qs);
    QCOMPARE(s.healthPort, 9000);
    // The timeouts are one setting for both servers.
    for (const ConnectionSettings *c : {&s.source, &s.target}) {
        QCOMPARE(c->connectTimeoutSeconds, 3);
        QCOMPARE(c->readTimeoutSeconds, 30);
        QCOMPARE(c->writeTimeoutSeconds, 40);
    }
}

void TestSettings::acceptsNumber_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("expected");

    QTest::newRow("port 1") << u"SOURCE_DB_PORT"_qs << QByteArray("1") << 1;
    QTest::newRow("port 65535") << u"TARGET_DB_PORT"_qs << QByteArray("65535") << 65535;
    QTest::newRow("quoted with blanks") << u"SOURCE_DB_PORT"_qs << QByteArray("\" 3310 \"") << 3310;
    QTest::newRow("plus sign") << u"POOL_SIZE"_qs << QByteArray("+7") << 7;
    QTest::newRow("leading zeros") << u"POOL_SIZE"_qs << QByteArray("007") << 7;
    QTest::newRow("interval 0 = once") << u"INTERVAL"_qs << QByteArray("0") << 0;
    QTest::newRow("interval a week") << u"INTERVAL"_qs << QByteArray("604800") << 604800;
    QTest::newRow("max overflow 0") << u"MAX_OVERFLOW"_qs << QByteArray("0") << 0;
    QTest::newRow("recycle never") << u"POOL_RECYCLE"_qs << QByteArray("-1") << -1;
    QTest::newRow("recycle 1") << u"POOL_RECYCLE"_qs << QByteArray("1") << 1;
    QTest::newRow("pool timeout 1") << u"POOL_TIMEOUT"_qs << QByteArray("1") << 1;
    QTest::newRow("health port") << u"HEALTH_PORT"_qs << QByteArray("65535") << 65535;
    QTest::newRow("fetch limit max") << u"FETCH_LIMIT"_qs << QByteArray("1000000") << 1000000;
    QTest::newRow("connect timeout") << u"DB_CONNECT_TIMEOUT"_qs << QByteArray("1") << 1;
    QTest::newRow("read timeout") << u"DB_READ_TIMEOUT"_qs << QByteArray("86400") << 86400;
    QTest::newRow("write timeout with comment") << u"DB_WRITE_TIMEOUT"_qs << QByteArray("90 # seconds") << 90;
}

void TestSettings::acceptsNumber()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, value);
    QFETCH(int, expected);

    ConfigErrors errors;
    const Settings s = fromText(kRequired + key.toUtf8() + '=' + value + '\n', errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(numberOf(s, key), expected);
}

void TestSettings::rejectsNumber_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("mention");

    QTest::newRow("port 0") << u"SOURCE_DB_PORT"_qs << u"0"_qs << u"1 to 65535"_qs;
    QTest::newRow("port 70000") << u"SOURCE_DB_PORT"_qs << u"70000"_qs << u"1 to 65535"_qs;
    QTest::newRow("target port 0") << u"TARGET_DB_PORT"_qs << u"0"_qs << u"1 to 65535"_qs;
    QTest::newRow("negative port") << u"TARGET_DB_PORT"_qs << u"-3306"_qs << u"1 to 65535"_qs;
    QTest::newRow("port not a number") << u"SOURCE_DB_PORT"_qs << u"mysql"_qs << u"not a whole number"_qs;
    QTest::newRow("trailing garbage") << u"SOURCE_DB_PORT"_qs << u"3306x"_qs << u"not a whole number"_qs;
    QTest::newRow("inner blank") << u"SOURCE_DB_PORT"_qs << u"33 06"_qs << u"not a whole number"_qs;
    QTest::newRow("decimal") << u"POOL_SIZE"_qs << u"5.0"_qs << u"not a whole number"_qs;
    QTest::newRow("hex") << u"POOL_SIZE"_qs << u"0x10"_qs << u"not a whole number"_qs;
    QTest::newRow("sign only") << u"POOL_SIZE"_qs << u"-"_qs << u"not a whole number"_qs;
    QTest::newRow("empty") << u"INTERVAL"_qs << QString() << u"not a whole number"_qs;
    QTest::newRow("overflows int") << u"INTERVAL"_qs << u"4294967296"_qs << u"out of range"_qs;
    QTest::newRow("overflows 64 bits") << u"FETCH_LIMIT"_qs << u"99999999999999999999"_qs << u"out of range"_qs;
    QTest::newRow("fetch limit 0") << u"FETCH_LIMIT"_qs << u"0"_qs << u"out of range"_qs;
    QTest::newRow("interval negative") << u"INTERVAL"_qs << u"-1"_qs << u"0 to 604800"_qs;
    QTest::newRow("interval over a week") << u"INTERVAL"_qs << u"604801"_qs << u"0 to 604800"_qs;
    QTest::newRow("pool size 0") << u"POOL_SIZE"_qs << u"0"_qs << u"at least 1"_qs;
    QTest::newRow("max overflow negative") << u"MAX_OVERFLOW"_qs << u"-1"_qs << u"at least 0"_qs;
    QTest::newRow("pool timeout 0") << u"POOL_TIMEOUT"_qs << u"0"_qs << u"at least 1"_qs;
    QTest::newRow("recycle 0") << u"POOL_RECYCLE"_qs << u"0"_qs << u"-1 or at least 1"_qs;
    QTest::newRow("recycle -2") << u"POOL_RECYCLE"_qs << u"-2"_qs << u"-1 or at least 1"_qs;
    QTest::newRow("health port 0") << u"HEALTH_PORT"_qs << u"0"_qs << u"1 to 65535"_qs;
    QTest::newRow("health port 65536") << u"HEALTH_PORT"_qs << u"65536"_qs << u"1 to 65535"_qs;
    QTest::newRow("connect timeout 0") << u"DB_CONNECT_TIMEOUT"_qs << u"0"_qs << u"at least 1"_qs;
    QTest::newRow("read timeout text") << u"DB_READ_TIMEOUT"_qs << u"10m"_qs << u"not a whole number"_qs;
    QTest::newRow("write timeout 0") << u"DB_WRITE_TIMEOUT"_qs << u"0"_qs << u"at least 1"_qs;
}

void TestSettings::rejectsNumber()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, mention);

    ConfigErrors errors;
    const Settings s = fromText(kRequired + "\n" + key.toUtf8() + '=' + value.toUtf8() + '\n', errors);
    QCOMPARE(errors.size(), 1);
    const ConfigError &e = errors[0];
    QCOMPARE(e.file, u"app.env"_qs);
    QCOMPARE(e.location, u"line 8"_qs);
    QVERIFY2(e.message.startsWith(key + u": \""_qs + value + u'"'), qPrintable(e.message));
    QVERIFY2(e.message.contains(mention), qPrintable(e.message));
    // A bad value never leaks into the settings.
    ConfigErrors none;
    QCOMPARE(numberOf(s, key), numberOf(fromText(kRequired, none), key));
}

void TestSettings::missingRequiredKey_data()
{
    QTest::addColumn<QString>("key");
    for (const char *key :
         {"SOURCE_DB_USER", "SOURCE_DB_HOST", "SOURCE_DB_NAME", "TARGET_DB_USER", "TARGET_DB_HOST", "TARGET_DB_NAME"})
        QTest::newRow(key) << QString::fromLatin1(key);
}

void TestSettings::missingRequiredKey()
{
    QFETCH(QString, key);

    const QByteArray prefix = key.toUtf8() + '=';
    QByteArrayList lines = kRequired.split('\n');
    lines.removeIf([&](const QByteArray &line) { return line.startsWith(prefix); });
    ConfigErrors errors;
    fromText(lines.join('\n'), errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, u"app.env"_qs);
    QVERIFY(errors[0].location.isEmpty());
    QCOMPARE(errors[0].message, u"missing "_qs + key);
}

void TestSettings::reportsEveryMissingKey()
{
    ConfigErrors errors;
    const Settings s = fromText("# nothing here\n", errors);
    QStringList messages;
    for (const ConfigError &e : std::as_const(errors))
        messages << e.message;
    messages.sort();
    QCOMPARE(messages,
             (QStringList{u"missing SOURCE_DB_HOST"_qs, u"missing SOURCE_DB_NAME"_qs, u"missing SOURCE_DB_USER"_qs,
                          u"missing TARGET_DB_HOST"_qs, u"missing TARGET_DB_NAME"_qs, u"missing TARGET_DB_USER"_qs}));
    // The password is optional.
    QVERIFY(!messages.join(u' ').contains(u"PASS"_qs));
}

void TestSettings::emptyRequiredKey()
{
    ConfigErrors errors;
    fromText(kRequired + "SOURCE_DB_HOST=\nHEALTH_HOST=''\n", errors);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].location, u"line 7"_qs);
    QCOMPARE(errors[0].message, u"SOURCE_DB_HOST is empty"_qs);
    QCOMPARE(errors[1].location, u"line 8"_qs);
    QCOMPARE(errors[1].message, u"HEALTH_HOST is empty"_qs);
}

void TestSettings::processEnvironmentOverrides()
{
    QProcessEnvironment processEnv;
    processEnv.insert(u"SOURCE_DB_HOST"_qs, u"from-env"_qs);
    processEnv.insert(u"TARGET_DB_PASS"_qs, u"env-secret"_qs);
    processEnv.insert(u"FETCH_LIMIT"_qs, u"2000"_qs);
    processEnv.insert(u"DB_READ_TIMEOUT"_qs, u"7"_qs);
    // A required key missing from the file may come from the environment alone.
    processEnv.insert(u"TARGET_DB_NAME"_qs, u"env-db"_qs);

    QByteArrayList lines = kRequired.split('\n');
    lines.removeIf([](const QByteArray &line) { return line.startsWith("TARGET_DB_NAME="); });
    ConfigErrors errors;
    const Settings s = fromText(lines.join('\n') + "\nTARGET_DB_PASS=file-secret\nFETCH_LIMIT=3000\nPOOL_SIZE=3\n",
                                errors, processEnv);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(s.source.host, u"from-env"_qs);
    QCOMPARE(s.target.host, u"th"_qs);
    QCOMPARE(s.target.password, u"env-secret"_qs);
    QCOMPARE(s.target.database, u"env-db"_qs);
    QCOMPARE(s.fetchLimit, 2000);
    QCOMPARE(s.poolSize, 3); // not in the environment: the file's value
    QCOMPARE(s.source.readTimeoutSeconds, 7);
    QCOMPARE(s.target.readTimeoutSeconds, 7);
}

void TestSettings::badNumberFromEnvironment()
{
    QProcessEnvironment processEnv;
    processEnv.insert(u"TARGET_DB_PORT"_qs, u"70000"_qs);
    ConfigErrors errors;
    // The file's good value is overridden, and the error blames the environment, not the file.
    const Settings s = fromText(kRequired + "TARGET_DB_PORT=3307\n", errors, processEnv);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, u"environment"_qs);
    QVERIFY(errors[0].location.isEmpty());
    QVERIFY2(errors[0].message.startsWith(u"TARGET_DB_PORT: \"70000\""_qs), qPrintable(errors[0].message));
    QCOMPARE(errors[0].toString().contains(u"app.env"_qs), false);
}

void TestSettings::fetchLimitRaised_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("fetchLimit");
    QTest::addColumn<bool>("warns");

    QTest::newRow("1 (old pipeline's example)") << QByteArray("1") << Settings::kMinFetchLimit << true;
    QTest::newRow("just below the minimum")
        << QByteArray::number(Settings::kMinFetchLimit - 1) << Settings::kMinFetchLimit << true;
    QTest::newRow("the minimum") << QByteArray::number(Settings::kMinFetchLimit) << Settings::kMinFetchLimit << false;
    QTest::newRow("above") << QByteArray("25000") << 25000 << false;
}

void TestSettings::fetchLimitRaised()
{
    QFETCH(QByteArray, value);
    QFETCH(int, fetchLimit);
    QFETCH(bool, warns);

    ConfigErrors errors;
    const Settings s = fromText(kRequired + "FETCH_LIMIT=" + value + '\n', errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(s.fetchLimit, fetchLimit);
    QCOMPARE(s.requestedFetchLimit, value.toInt());
    const QStringList warnings = s.warnings();
    QCOMPARE(warnings.size(), warns ? 1 : 0);
    if (warns) {
        QVERIFY2(warnings[0].contains(u"FETCH_LIMIT="_qs + QString::fromLatin1(value)), qPrintable(warnings[0]));
        QVERIFY2(warnings[0].contains(QString::number(Settings::kMinFetchLimit)), qPrintable(warnings[0]));
    }
}

void TestSettings::displayName()
{
    ConfigErrors errors;
    const Settings s =
        fromText(kRequired + "SOURCE_DB_PASS=hunter2\nSOURCE_DB_PORT=3310\nTARGET_DB_HOST=::1\n", errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(s.source.displayName(), u"su@sh:3310/sn"_qs);
    QVERIFY(!s.source.displayName().contains(u"hunter2"_qs));
    // An IPv6 address is bracketed so the port stays readable.
    QCOMPARE(s.target.displayName(), u"tu@[::1]:3306/tn"_qs);
}

void TestSettings::misspeltKeysAreNamed()
{
    ConfigErrors errors;
    const Settings s = fromText(kRequired + "SYNC_WORKER=8\n"      // line 7
                                            "LOG_LEVEL=debug\n"    // someone else's key: no word
                                            "sync_workers=8\n"     // line 9
                                            "TARGET_DB_HOTS=db2\n" // line 10
                                            "DESTINATION__CREDENTIALS=x\n",
                                errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(s.workers, 4); // ignored, as the warning says
    QCOMPARE(
        s.warnings(),
        (QStringList{
            u"app.env, line 7: SYNC_WORKER is not a key tablesync reads, so it is ignored; did you mean SYNC_WORKERS?"_qs,
            u"app.env, line 9: sync_workers is not a key tablesync reads, so it is ignored; did you mean SYNC_WORKERS?"_qs,
            u"app.env, line 10: TARGET_DB_HOTS is not a key tablesync reads, so it is ignored; did you mean "
            "TARGET_DB_HOST?"_qs}));
}

void TestSettings::passwordsEveryoneCanReadAreNamed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"prod.env"_qs);
    const auto warningsFor = [&path](const QByteArray &text, QFileDevice::Permissions permissions) {
        QFile file(path);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(text);
        file.close();
        file.setPermissions(permissions);
        ConfigErrors errors;
        return Settings::fromEnv(EnvFile::load(path, errors), {}, errors).warnings();
    };
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    const auto everyone = owner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    QCOMPARE(warningsFor(kRequired + "SOURCE_DB_PASS=secret\nTARGET_DB_PASS=x\n", everyone),
             QStringList{path +
                         u" holds SOURCE_DB_PASS, TARGET_DB_PASS and every user of this machine can read it: "
                         "chmod 600 "_qs +
                         path + u" (or 640 with the service's group)"_qs});
    QCOMPARE(warningsFor(kRequired + "SOURCE_DB_PASS=secret\n", owner), QStringList());
    QCOMPARE(warningsFor(kRequired + "SOURCE_DB_PASS=secret\n", owner | QFileDevice::ReadGroup), QStringList());
    QCOMPARE(warningsFor(kRequired, everyone), QStringList()); // nothing secret in it
}

// The desktop app keeps the passwords in the keychain; a headless run is told so, and the
// environment may still give them.
void TestSettings::keychainProfileRunHeadlessSaysWhere()
{
    ConfigErrors errors;
    fromText(kRequired + "TABLESYNC_PASSWORD_STORE=keychain\n", errors);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].toString(),
             u"app.env, line 7: SOURCE_DB_PASS is not in this file: TABLESYNC_PASSWORD_STORE=keychain says the "
             "tablesync desktop app keeps it in the OS keychain, which a headless run does not read. Give the run "
             "SOURCE_DB_PASS in its environment (for the service: an EnvironmentFile readable only by its user), or "
             "keep passwords in the .env (in the desktop app: Options, Passwords, \"In the .env file\")"_qs);
    QVERIFY(errors[1].message.startsWith(u"TARGET_DB_PASS is not in this file"_qs));

    errors.clear();
    QProcessEnvironment environment;
    environment.insert(u"SOURCE_DB_PASS"_qs, u"s"_qs);
    environment.insert(u"TARGET_DB_PASS"_qs, u"t"_qs);
    fromText(kRequired + "TABLESYNC_PASSWORD_STORE=keychain\n", errors, environment);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));

    fromText(kRequired + "TABLESYNC_PASSWORD_STORE=vault\n", errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0].message.contains(u"\"vault\" is not a password store"_qs));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
