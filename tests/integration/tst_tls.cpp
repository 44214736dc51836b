// TLS to MySQL through Qt 6.4's QMYSQL and libmariadb, against the sandbox: its target offers TLS
// with a throwaway CA (tests/support/sandbox.sh, $DIR/tls), its source offers none.
// What is asserted: SSL_CA gives an encrypted session; <ROLE>_DB_SSL_REQUIRE refuses a server
// without TLS with a message naming it (and not the password); a certificate from another CA is
// refused; a real sync runs over TLS; plain connections stay plain; the key's parsing.
#include "TestSandbox.h"

#include <QFileInfo>
#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

namespace {

QString tlsFile(const QString &name)
{
    return QFileInfo(sandboxEnvPath()).absolutePath() + u"/tls/"_qs + name;
}

QString sessionCipher(DbConnection &connection)
{
    QSqlQuery query = connection.newQuery();
    if (!query.exec(u"SHOW SESSION STATUS LIKE 'Ssl_cipher'"_qs) || !query.next())
        return u"(cannot read Ssl_cipher: "_qs + query.lastError().text() + u')';
    return query.value(1).toString();
}

// The password of a user made for this test: unlike the sandbox's, it differs from the user name,
// so a message can be searched for it.
const QString kProbeUser = u"tls_probe"_qs;
const QString kProbePassword = u"Probe-Secret-7f3a91"_qs;

} // namespace

class TestTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plainConnectionsStayPlain();
    void caGivesAnEncryptedSession();
    void requireRefusesAServerWithoutTls();
    void withoutRequireTheClientFallsBackToPlainText();
    void certificateFromAnotherCaIsRefused();
    void syncOverTls();
    void requireKey_data();
    void requireKey();

private:
    std::unique_ptr<SandboxPair> m_db;
};

void TestTls::initTestCase()
{
    m_db = std::make_unique<SandboxPair>(u"tls"_qs);
    QVERIFY2(QFile::exists(tlsFile(u"ca.pem"_qs)) && QFile::exists(tlsFile(u"other-ca.pem"_qs)),
             qPrintable(u"no sandbox CA in "_qs + tlsFile({}) + u" (tests/support/sandbox.sh start makes it)"_qs));
    const QString haveSsl = m_db->target->scalar(u"SELECT @@have_ssl"_qs).toString();
    QVERIFY2(haveSsl == u"YES",
             qPrintable(u"the sandbox target offers no TLS (have_ssl="_qs + haveSsl +
                        u"); it was started before sandbox.sh configured TLS: run sandbox.sh stop, then start"_qs));
    QCOMPARE(m_db->source->scalar(u"SELECT @@have_ssl"_qs).toString(), u"DISABLED"_qs);
    for (const QString &host : {u"127.0.0.1"_qs, u"localhost"_qs}) {
        m_db->source->exec(QStringLiteral("CREATE OR REPLACE USER '%1'@'%2' IDENTIFIED BY '%3'")
                               .arg(kProbeUser, host, kProbePassword));
        m_db->source->exec(
            QStringLiteral("GRANT ALL ON `%1`.* TO '%2'@'%3'").arg(m_db->settings.source.database, kProbeUser, host));
    }
}

// The sandbox's own settings name no TLS file: what every other test does is unchanged.
void TestTls::plainConnectionsStayPlain()
{
    QCOMPARE(sessionCipher(m_db->source->connection()), QString());
    QCOMPARE(sessionCipher(m_db->target->connection()), QString());
    QCOMPARE(m_db->target->connection().sslCipher(), QString());
}

void TestTls::caGivesAnEncryptedSession()
{
    for (const bool required : {false, true}) {
        ConnectionSettings settings = m_db->settings.target;
        settings.sslCa = tlsFile(u"ca.pem"_qs);
        settings.sslRequired = required;
        DbConnection connection(settings);
        connection.open();
        const QString cipher = sessionCipher(connection);
        QVERIFY2(!cipher.isEmpty() && !cipher.startsWith(u'('), qPrintable(cipher));
        QCOMPARE(connection.sslCipher(), cipher);
        QSqlQuery version = connection.newQuery();
        QVERIFY(version.exec(u"SHOW SESSION STATUS LIKE 'Ssl_version'"_qs) && version.next());
        QVERIFY2(version.value(1).toString().startsWith(u"TLSv1."_qs), qPrintable(version.value(1).toString()));
        qInfo("target session over %s: %s", qPrintable(version.value(1).toString()), qPrintable(cipher));
    }
}

void TestTls::requireRefusesAServerWithoutTls()
{
    ConnectionSettings settings = m_db->settings.source;
    settings.user = kProbeUser;
    settings.password = kProbePassword;
    settings.sslCa = tlsFile(u"ca.pem"_qs);
    settings.sslRequired = true;
    DbConnection connection(settings);
    QString message;
    try {
        connection.open();
    } catch (const DbError &e) {
        message = e.message();
    }
    QVERIFY2(!message.isEmpty(), "a server without TLS was accepted although SOURCE_DB_SSL_REQUIRE is true");
    const QString server =
        QStringLiteral("%1@127.0.0.1:%2/%3").arg(kProbeUser).arg(settings.port).arg(settings.database);
    QVERIFY2(message.startsWith(u"refusing the source server "_qs + server + u": the connection is not encrypted"_qs),
             qPrintable(message));
    QVERIFY2(message.contains(u"SOURCE_DB_SSL_REQUIRE"_qs), qPrintable(message));
    QVERIFY2(!message.contains(kProbePassword), qPrintable(message));
    QVERIFY(!connection.isOpen());
    // Not a transient error: retrying cannot make the server encrypt.
    QVERIFY(!message.contains(u"Can't connect"_qs) && !message.contains(u"timed out"_qs));
}

// libmariadb's own behaviour, and the reason for SSL_REQUIRE: a CA alone does not insist on TLS.
void TestTls::withoutRequireTheClientFallsBackToPlainText()
{
    ConnectionSettings settings = m_db->settings.source;
    settings.sslCa = tlsFile(u"ca.pem"_qs);
    DbConnection connection(settings);
    connection.open();
    QCOMPARE(sessionCipher(connection), QString());
}

// libmariadb checks the server's chain against SSL_CA whenever SSL_CA is given (but not the host
// name: docs/security.md, "TLS to the databases").
void TestTls::certificateFromAnotherCaIsRefused()
{
    for (const bool required : {false, true}) {
        ConnectionSettings settings = m_db->settings.target;
        settings.sslCa = tlsFile(u"other-ca.pem"_qs);
        settings.sslRequired = required;
        DbConnection connection(settings);
        QString message;
        try {
            connection.open();
        } catch (const DbError &e) {
            message = e.message();
        }
        QVERIFY2(!message.isEmpty(), "a server certificate from another CA was accepted");
        QVERIFY2(message.startsWith(u"cannot connect to the target server "_qs + settings.displayName() + u": "_qs),
                 qPrintable(message));
        QVERIFY2(message.contains(u"certificate"_qs, Qt::CaseInsensitive), qPrintable(message));
        qInfo("wrong CA: %s", qPrintable(message));
    }
}

void TestTls::syncOverTls()
{
    m_db->source->exec(
        u"CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40), updated_at DATETIME(6) NOT NULL)"_qs);
    m_db->source->exec(
        u"INSERT INTO orders WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
        "SELECT i, CONCAT('order ', i, ' 🔒'), TIMESTAMPADD(SECOND, i, '2024-05-01') FROM n"_qs);
    Settings settings = m_db->settings;
    // Every target connection the engine opens (workers, writers, bookkeeping) must be encrypted,
    // or it fails: a table that synced proves they were.
    settings.target.sslCa = tlsFile(u"ca.pem"_qs);
    settings.target.sslRequired = true;
    const RunOutcome first = runSync(settings, {tableSpec(u"orders"_qs, {u"id"_qs}, u"updated_at"_qs, 1000)});
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.log()));
    QCOMPARE(m_db->target->dump(u"orders"_qs, u"id"_qs), m_db->source->dump(u"orders"_qs, u"id"_qs));
    m_db->source->exec(u"UPDATE orders SET note = 'changed', updated_at = '2024-06-01' WHERE id <= 10"_qs);
    const RunOutcome second = runSync(settings, {tableSpec(u"orders"_qs, {u"id"_qs}, u"updated_at"_qs, 1000)});
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.log()));
    QCOMPARE(m_db->target->dump(u"orders"_qs, u"id"_qs), m_db->source->dump(u"orders"_qs, u"id"_qs));

    // Requiring TLS of the plain source fails the table, saying why.
    settings.source.sslCa = tlsFile(u"ca.pem"_qs);
    settings.source.sslRequired = true;
    const RunOutcome refused = runSync(settings, {tableSpec(u"orders"_qs, {u"id"_qs}, u"updated_at"_qs, 1000)});
    QVERIFY(!refused.summary.allSucceeded());
    QVERIFY2(refused.log().contains(u"the connection is not encrypted, but SOURCE_DB_SSL_REQUIRE is true"_qs),
             qPrintable(refused.log()));
}

void TestTls::requireKey_data()
{
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<bool>("sourceRequired");
    QTest::addColumn<bool>("targetRequired");
    QTest::addColumn<QString>("error");
    const QByteArray ca = "SOURCE_DB_SSL_CA=/ca.pem\nTARGET_DB_SSL_CA=/ca.pem\n"; // lines 7 and 8
    QTest::newRow("default") << ca << false << false << QString();
    QTest::newRow("true, yes") << ca + "SOURCE_DB_SSL_REQUIRE=true\nTARGET_DB_SSL_REQUIRE=YES\n"
                               << true << true << QString();
    QTest::newRow("1, on") << ca + "SOURCE_DB_SSL_REQUIRE=1\nTARGET_DB_SSL_REQUIRE=on  # comment\n"
                           << true << true << QString();
    QTest::newRow("false, 0, empty") << ca + "SOURCE_DB_SSL_REQUIRE=false\nTARGET_DB_SSL_REQUIRE=\n"
                                     << false << false << QString();
    QTest::newRow("a cert is enough to try TLS")
        << QByteArray("TARGET_DB_SSL_CERT=/c.pem\nTARGET_DB_SSL_KEY=/k.pem\nTARGET_DB_SSL_REQUIRE=true\n") << false
        << true << QString();
    QTest::newRow("typo")
        << ca + "SOURCE_DB_SSL_REQUIRE=ture\n"
        << false << false
        << u"app.env, line 9: SOURCE_DB_SSL_REQUIRE: \"ture\" is not a switch; expected true or false"_qs;
    QTest::newRow("no TLS file") << QByteArray("TARGET_DB_SSL_REQUIRE=true\n") << false << false
                                 << u"app.env, line 7: TARGET_DB_SSL_REQUIRE is true, but none of TARGET_DB_SSL_CA, "
                                    "_SSL_CERT, _SSL_KEY is set"_qs;
}

void TestTls::requireKey()
{
    QFETCH(QByteArray, env);
    QFETCH(bool, sourceRequired);
    QFETCH(bool, targetRequired);
    QFETCH(QString, error);
    const QByteArray required = "SOURCE_DB_USER=u\nSOURCE_DB_HOST=h\nSOURCE_DB_NAME=n\n"
                                "TARGET_DB_USER=u\nTARGET_DB_HOST=h\nTARGET_DB_NAME=n\n";
    ConfigErrors errors;
    const EnvFile file = EnvFile::parse(required + env, u"app.env"_qs, errors);
    const Settings settings = Settings::fromEnv(file, QProcessEnvironment(), errors);
    if (!error.isEmpty()) {
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().toString().startsWith(error), qPrintable(errors.first().toString()));
        return;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().toString()));
    QCOMPARE(settings.source.sslRequired, sourceRequired);
    QCOMPARE(settings.target.sslRequired, targetRequired);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
