// Passwords in a real Secret Service: gnome-keyring in a private D-Bus session, started by
// tests/support/with-keyring.sh. ctest runs this twice: against a keyring that stores, and against
// a Secret Service that answers but has no collection to store into, where a save must lose
// nothing. What the keychain holds is read back with secret-tool, not through tablesync's code.
#include "GuiTestSupport.h"
#include "TestWindow.h"

#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProfileDocument.h"
#include "config/EnvFile.h"

#include <QFileInfo>
#include <QProcess>
#include <QRadioButton>

using namespace tablesync;

namespace {
const QByteArray kEnv = "# Orders replica\n"
                        "SOURCE_DB_HOST=db-src.internal\n"
                        "SOURCE_DB_USER=reader\n"
                        "SOURCE_DB_PASS='ab#cd ef'\n"
                        "SOURCE_DB_NAME=shop\n"
                        "TARGET_DB_HOST=db-dst.internal\n"
                        "TARGET_DB_PORT=3307\n"
                        "TARGET_DB_USER=writer\n"
                        "TARGET_DB_PASS=s3cret\n"
                        "TARGET_DB_NAME=shop_copy\n"
                        "INTERVAL=0\n";
const QByteArray kTables = "[{\"table\": \"customers\", \"primary_key\": \"id\"}]\n";

// What secret-tool finds for QtKeychain's attributes of `account`'s entry: the password, and the
// whole listing (label included).
struct Found
{
    QString password;
    QString listing;
};

Found lookUp(const QString &account)
{
    const QString service = u"tablesync: MySQL password of "_qs + account;
    QProcess lookup;
    lookup.start(u"secret-tool"_qs, {u"lookup"_qs, u"server"_qs, service, u"user"_qs, account});
    lookup.waitForFinished(10000);
    QProcess search;
    search.start(u"secret-tool"_qs, {u"search"_qs, u"--all"_qs, u"server"_qs, service});
    search.waitForFinished(10000);
    return {QString::fromUtf8(lookup.readAllStandardOutput()),
            QString::fromUtf8(search.readAllStandardOutput() + search.readAllStandardError())};
}
} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    // with-keyring.sh working
    void savedPasswordsLiveInTheKeychainOnly();
    void aMovedProfileFindsItsPasswords();
    // with-keyring.sh no-collection
    void aKeychainThatCannotStoreLosesNothing();
    void thePasswordsMayGoToTheEnvInstead();

private:
    // Opens the profile and chooses "In the OS keychain", once the keychain has answered.
    void chooseKeychain();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QString m_env;
    QString m_tables;
    QMessageBox::StandardButton m_answer = QMessageBox::Cancel;
    QStringList m_asked;
};

void TestKeychain::init()
{
    QVERIFY2(qEnvironmentVariableIsSet("GNOME_KEYRING_CONTROL"), "run through tests/support/with-keyring.sh");
    m_settings = std::make_unique<QTemporaryDir>();
    test::useTemporarySettings(*m_settings);
    m_dir = std::make_unique<QTemporaryDir>();
    m_env = m_dir->filePath(u".env"_qs);
    m_tables = m_dir->filePath(u"tables.json"_qs);
    test::writeText(m_env, kEnv);
    test::writeText(m_tables, kTables);
    m_asked.clear();
    test::openWindow(
        m_window, m_env, m_tables,
        [this](const QString &title, const QString &, QMessageBox::StandardButtons) {
            m_asked << title;
            return m_answer;
        },
        QSize());
}

void TestKeychain::cleanup()
{
    m_window.reset();
}

void TestKeychain::chooseKeychain()
{
    auto *keychain = m_window->findChild<QRadioButton *>(u"passwordsInKeychain"_qs);
    QVERIFY(keychain);
    QTRY_VERIFY_WITH_TIMEOUT(keychain->isEnabled(), 10000); // the Secret Service answered the probe
    keychain->click();
    QCOMPARE(m_window->document()->passwordStorage(), ProfileDocument::PasswordStorage::Keychain);
}

void TestKeychain::savedPasswordsLiveInTheKeychainOnly()
{
    chooseKeychain();
    QVERIFY(m_window->saveProfile());
    QVERIFY(m_asked.isEmpty());

    ConfigErrors errors;
    const EnvFile env = EnvFile::load(m_env, errors);
    QVERIFY(errors.isEmpty());
    QVERIFY(!env.contains(u"SOURCE_DB_PASS"_qs));
    QVERIFY(!env.contains(u"TARGET_DB_PASS"_qs));
    QCOMPARE(env.value(u"TABLESYNC_PASSWORD_STORE"_qs), u"keychain"_qs);

    const Found source = lookUp(u"reader@db-src.internal:3306"_qs);
    QCOMPARE(source.password, u"ab#cd ef"_qs);
    QCOMPARE(lookUp(u"writer@db-dst.internal:3307"_qs).password, u"s3cret"_qs);
    // A person browsing the keychain sees whose password it is.
    QVERIFY2(source.listing.contains(u"label = tablesync: MySQL password of reader@db-src.internal:3306"_qs),
             qPrintable(source.listing));

    // A headless run of the profile says where the passwords are instead of trying to log in.
    const QString binary = qEnvironmentVariable("TABLESYNC_BINARY");
    QVERIFY(QFileInfo::exists(binary));
    QProcess run;
    run.start(binary, {u"--once"_qs, u"--env"_qs, m_env, u"--tables"_qs, m_tables});
    QVERIFY(run.waitForFinished(30000));
    const QString said = QString::fromUtf8(run.readAllStandardError());
    QCOMPARE(run.exitCode(), 2);
    QVERIFY2(said.contains(u"SOURCE_DB_PASS is not in this file: TABLESYNC_PASSWORD_STORE=keychain"_qs),
             qPrintable(said));
}

void TestKeychain::aMovedProfileFindsItsPasswords()
{
    chooseKeychain();
    QVERIFY(m_window->saveProfile());
    m_window.reset();

    // Moved to another folder (and renamed): the entries belong to the accounts, not the path.
    QTemporaryDir elsewhere;
    const QString env = elsewhere.filePath(u"orders.env"_qs);
    const QString tables = elsewhere.filePath(u"orders-tables.json"_qs);
    QVERIFY(QFile::rename(m_env, env));
    QVERIFY(QFile::rename(m_tables, tables));
    MainWindow window(env, tables);
    window.show();
    ProfileDocument *document = window.document();
    QTRY_COMPARE_WITH_TIMEOUT(document->value(u"SOURCE_DB_PASS"_qs), u"ab#cd ef"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(document->value(u"TARGET_DB_PASS"_qs), u"s3cret"_qs, 10000);
    QCOMPARE(document->passwordStorage(), ProfileDocument::PasswordStorage::Keychain);
    QVERIFY(!window.isWindowModified()); // passwords read from the keychain are not edits
}

void TestKeychain::aKeychainThatCannotStoreLosesNothing()
{
    chooseKeychain();
    m_answer = QMessageBox::Cancel;
    QVERIFY(!m_window->saveProfile());
    QCOMPARE(m_asked, QStringList{u"Passwords not stored"_qs});
    // The .env is as it was, passwords included; the window still has the changes to save.
    QCOMPARE(test::readText(m_env), kEnv);
    QVERIFY(m_window->isWindowModified());
    const QList<MessageBanner *> banners = m_window->findChildren<MessageBanner *>();
    QVERIFY2(std::any_of(banners.cbegin(), banners.cend(),
                         [](const MessageBanner *b) {
                             return b->isVisible() && b->text().contains(u"not saved"_qs) &&
                                    b->details().contains(u"keychain"_qs);
                         }),
             "a banner says the profile was not saved, and why");
    QVERIFY(lookUp(u"reader@db-src.internal:3306"_qs).password.isEmpty());
}

void TestKeychain::thePasswordsMayGoToTheEnvInstead()
{
    chooseKeychain();
    m_answer = QMessageBox::Save;
    QVERIFY(m_window->saveProfile());
    QCOMPARE(m_window->document()->passwordStorage(), ProfileDocument::PasswordStorage::EnvFile);
    ConfigErrors errors;
    const EnvFile env = EnvFile::load(m_env, errors);
    QCOMPARE(env.value(u"SOURCE_DB_PASS"_qs), u"ab#cd ef"_qs);
    QCOMPARE(env.value(u"TARGET_DB_PASS"_qs), u"s3cret"_qs);
    QVERIFY(!env.contains(u"TABLESYNC_PASSWORD_STORE"_qs));
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
