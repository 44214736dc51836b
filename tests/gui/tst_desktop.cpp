// The desktop parts for real: a tray (trayer) and a notification service (dunst) on an Xvfb
// screen in a private D-Bus session, started by tests/support/with-desktop.sh. A table that starts
// failing and the recovery after it reach the notification service as freedesktop.org
// notifications (read back from dunst's own history); the tray icon is embedded in the tray.
#include "GuiTestSupport.h"
#include "TestSandbox.h"
#include "TestWindow.h"

#include "MainWindow.h"
#include "RunController.h"
#include "RunHistoryModel.h"
#include "TableListModel.h"
#include "TrayController.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace tablesync;

namespace {
// What dunst has shown, as (application, summary, body): dunstctl closes what is on screen, which
// moves it into the history it lists.
struct Shown
{
    QString app;
    QString summary;
    QString body;
};

QList<Shown> shownByDunst()
{
    QProcess::execute(u"dunstctl"_qs, {u"close-all"_qs});
    QProcess history;
    history.start(u"dunstctl"_qs, {u"history"_qs});
    history.waitForFinished(10000);
    const QJsonArray items =
        QJsonDocument::fromJson(history.readAllStandardOutput()).object().value(u"data"_qs).toArray().at(0).toArray();
    QList<Shown> shown;
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        const auto field = [&o](const char *name) {
            return o.value(QLatin1StringView(name)).toObject().value(u"data"_qs).toString();
        };
        shown << Shown{field("appname"), field("summary"), field("body")};
    }
    return shown;
}

bool wasShown(const QString &summary, const QString &bodyPart)
{
    const QList<Shown> shown = shownByDunst();
    return std::any_of(shown.cbegin(), shown.cend(), [&](const Shown &s) {
        return s.app == u"tablesync" && s.summary == summary && s.body.contains(bodyPart);
    });
}
} // namespace

class TestDesktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void theIconSitsInTheTray();
    void failureAndRecoveryAreNotified();

private:
    void runAndWait(int runs);

    std::unique_ptr<test::SandboxPair> m_sandbox;
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;
    QString m_env;
    QString m_tables;
    std::unique_ptr<MainWindow> m_window;
};

void TestDesktop::initTestCase()
{
    QVERIFY2(qEnvironmentVariable("QT_QPA_PLATFORM") == u"xcb", "run through tests/support/with-desktop.sh");
    m_sandbox = std::make_unique<test::SandboxPair>(u"gui_desktop"_qs);
    m_sandbox->source->exec(u"CREATE TABLE prices (sku VARCHAR(10) PRIMARY KEY, price DECIMAL(10,4))"_qs);
    m_sandbox->source->exec(u"INSERT INTO prices VALUES ('A', 1.5)"_qs);
    m_env = m_dir.filePath(u".env"_qs);
    m_tables = m_dir.filePath(u"tables.json"_qs);
    test::writeText(m_env, test::envFor(m_sandbox->settings));
    test::writeText(m_tables, "[{\"table\": \"prices\", \"primary_key\": \"sku\"},\n"
                              " {\"table\": \"stock\", \"primary_key\": \"sku\"}]\n");
}

void TestDesktop::init()
{
    test::useTemporarySettings(m_settings);
    test::openWindow(m_window, m_env, m_tables, test::discardEverything(), QSize()); // the desktop's own size
}

void TestDesktop::cleanup()
{
    m_window.reset();
}

void TestDesktop::runAndWait(int runs)
{
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && m_window->historyModel()->rowCount() == runs,
                             60000);
}

void TestDesktop::theIconSitsInTheTray()
{
    auto *tray = m_window->findChild<TrayController *>();
    QVERIFY(tray);
    QVERIFY2(tray->isAvailable(), "trayer owns the system tray selection");
    // The tray embeds the icon's window: the tree under trayer's panel holds a tablesync window.
    QTRY_VERIFY_WITH_TIMEOUT(
        [] {
            QProcess tree;
            tree.start(u"xwininfo"_qs, {u"-root"_qs, u"-tree"_qs});
            tree.waitForFinished(10000);
            const QString text = QString::fromUtf8(tree.readAllStandardOutput());
            const qsizetype panel = text.indexOf(u"\"panel\": (\"panel\" \"trayer\")"_qs);
            const qsizetype next = text.indexOf(u"\n     0x"_qs, panel + 1); // the next top-level window
            return panel >= 0 && text.mid(panel, next - panel).contains(u"tablesync"_qs, Qt::CaseInsensitive);
        }(),
        10000);
    // Closing the window keeps the app running in the tray.
    QVERIFY(!QApplication::quitOnLastWindowClosed());
}

void TestDesktop::failureAndRecoveryAreNotified()
{
    // `stock` does not exist in the source yet: the run fails it, and the desktop is told once.
    runAndWait(1);
    QTRY_VERIFY_WITH_TIMEOUT(wasShown(u"tablesync: 1 table failed"_qs, u"stock"_qs), 10000);
    const qsizetype afterFailure = shownByDunst().size();
    // The next failing run of the same table says nothing new.
    runAndWait(2);
    QTest::qWait(1000);
    QCOMPARE(shownByDunst().size(), afterFailure);

    m_sandbox->source->exec(u"CREATE TABLE stock (sku VARCHAR(10) PRIMARY KEY, qty INT)"_qs);
    runAndWait(3);
    QTRY_VERIFY_WITH_TIMEOUT(wasShown(u"tablesync: synced again"_qs, u"Every table synced"_qs), 10000);
}

QTEST_MAIN(TestDesktop)
#include "tst_desktop.moc"
