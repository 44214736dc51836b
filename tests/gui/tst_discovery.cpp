// Connection tests and table discovery against the sandbox's real source server: the window
// reports the server version or the exact error with a hint, lists the source's tables with keys,
// row estimates and likely modifiers, explains tables without a key, and adds tables with a click.
#include "GuiTestSupport.h"
#include "TestSandbox.h"
#include "TestWindow.h"

#include "ConnectionsPage.h"
#include "DiscoveryModel.h"
#include "DiscoveryPanel.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "PlanDialog.h"
#include "ProfileDocument.h"
#include "ServerForm.h"
#include "TableListModel.h"
#include "TablesPage.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>

using namespace tablesync;

class TestDiscovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void testConnectionShowsServer();
    void testConnectionExplainsErrors();
    void testConnectionNamesTheMissingGrants();
    void privilegesThroughRolesCount();
    void discoverListsTables();
    void addWithAClick();
    void listIsCheckedAgainstTheSource();
    void discoverWithoutSourceSaysWhatToDo();
    void previewShowsWhatTheNextRunWouldDo();

private:
    int rowOf(const QString &table) const;

    std::unique_ptr<test::SandboxPair> m_sandbox;
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestDiscovery::initTestCase()
{
    m_sandbox = std::make_unique<test::SandboxPair>(u"gui_disc"_qs);
    test::TestDb &source = *m_sandbox->source;
    source.exec(u"CREATE TABLE orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2), "
                "updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
                "KEY idx_updated (updated_at))"_qs);
    source.exec(u"INSERT INTO orders (id, total) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                "WHERE i < 500) SELECT i, i * 1.5 FROM n"_qs);
    source.exec(u"CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50), created_at DATETIME, "
                "last_modified TIMESTAMP NULL)"_qs);
    source.exec(u"CREATE TABLE event_log (at DATETIME, message TEXT)"_qs);
    source.exec(u"CREATE TABLE settings_kv (k VARCHAR(40) NOT NULL, v TEXT, UNIQUE KEY uk (k))"_qs);
    source.exec(u"ANALYZE TABLE orders"_qs);
}

void TestDiscovery::init()
{
    test::useTemporarySettings(m_settings);
    const QString env = m_dir.filePath(u".env"_qs);
    const QString tables = m_dir.filePath(u"tables.json"_qs);
    test::writeText(env, test::envFor(m_sandbox->settings));
    test::writeText(tables, "[{\"table\": \"orders\", \"primary_key\": \"id\"}]\n");
    test::openWindow(m_window, env, tables);
}

void TestDiscovery::cleanup()
{
    m_window.reset();
}

int TestDiscovery::rowOf(const QString &table) const
{
    DiscoveryModel *model = m_window->tablesPage()->discoveryPanel()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->tableAt(row).name == table)
            return row;
    }
    return -1;
}

void TestDiscovery::testConnectionShowsServer()
{
    m_window->showPage(MainWindow::ConnectionsPageIndex);
    auto *button = m_window->findChild<QPushButton *>(u"sourceTestButton"_qs);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!button->isEnabled()); // the test runs off the window's thread; the window stays responsive
    MessageBanner *result = m_window->connectionsPage()->sourceForm()->resultBanner();
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 20000);
    QCOMPARE(result->kind(), MessageBanner::Kind::Success);
    QVERIFY2(result->text().contains(u"Connected to tablesync@127.0.0.1"_qs), qPrintable(result->text()));
    QVERIFY(result->isVisible());
}

void TestDiscovery::testConnectionExplainsErrors()
{
    auto *password = m_window->findChild<QLineEdit *>(u"TARGET_DB_PASS"_qs);
    password->selectAll();
    QTest::keyClicks(password, u"wrong"_qs);
    ServerForm *target = m_window->connectionsPage()->targetForm();
    target->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(!target->isTesting(), 20000);
    MessageBanner *result = target->resultBanner();
    QCOMPARE(result->kind(), MessageBanner::Kind::Error);
    QVERIFY2(result->text().contains(u"Access denied"_qs), qPrintable(result->text()));
    // The hint is in the banner's body; the password is never in it.
    const QString all = result->details();
    QVERIFY2(all.contains(u"Check the user name and password"_qs), qPrintable(all));
    QVERIFY(!all.contains(u"wrong"_qs));

    // A required field left empty is flagged beside the field, and nothing is tried.
    auto *host = m_window->findChild<QLineEdit *>(u"TARGET_DB_HOST"_qs);
    host->selectAll();
    QTest::keyClick(host, Qt::Key_Delete);
    QVERIFY(m_window->findChild<QLabel *>(u"TARGET_DB_HOSTError"_qs)->isVisible());
    target->testConnection();
    QVERIFY(!target->isTesting());
    QCOMPARE(result->kind(), MessageBanner::Kind::Warning);
}

// Logging in is not enough: the test says which privileges the account lacks for its side, and
// the GRANT that adds them.
void TestDiscovery::testConnectionNamesTheMissingGrants()
{
    const QString account = u"'gui_reader'@'127.0.0.1'"_qs;
    m_sandbox->target->exec(u"DROP USER IF EXISTS "_qs + account);
    m_sandbox->target->exec(u"CREATE USER "_qs + account + u" IDENTIFIED BY 'gui_reader'"_qs);
    m_sandbox->target->exec(u"GRANT SELECT, INSERT ON `"_qs + m_sandbox->settings.target.database + u"`.* TO "_qs +
                            account);
    for (const auto &[key, value] :
         {std::pair{u"TARGET_DB_USER"_qs, u"gui_reader"_qs}, std::pair{u"TARGET_DB_PASS"_qs, u"gui_reader"_qs}}) {
        auto *edit = m_window->findChild<QLineEdit *>(key);
        edit->selectAll();
        QTest::keyClicks(edit, value);
    }
    ServerForm *target = m_window->connectionsPage()->targetForm();
    target->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(!target->isTesting(), 20000);
    MessageBanner *result = target->resultBanner();
    QCOMPARE(result->kind(), MessageBanner::Kind::Error);
    QVERIFY2(
        result->text().contains(u"but 'gui_reader'@'127.0.0.1' lacks UPDATE, DELETE, CREATE, ALTER, DROP there"_qs),
        qPrintable(result->text()));
    const QString grant = u"GRANT UPDATE, DELETE, CREATE, ALTER, DROP ON `"_qs + m_sandbox->settings.target.database +
                          u"`.* TO 'gui_reader'@'127.0.0.1';"_qs;
    QVERIFY2(result->details().contains(grant), qPrintable(result->details()));
    QVERIFY2(result->details().contains(u"Without TRIGGER"_qs), qPrintable(result->details()));

    // A grant on the database's name in other letters is another database's: it does not count.
    // One to PUBLIC (every account) does.
    const QString database = m_sandbox->settings.target.database;
    m_sandbox->target->exec(u"GRANT DELETE ON `"_qs + database.toUpper() + u"`.* TO "_qs + account);
    {
        m_sandbox->target->exec(u"GRANT ALTER ON `"_qs + database + u"`.* TO PUBLIC"_qs);
        const auto revokePublic =
            qScopeGuard([&] { m_sandbox->target->exec(u"REVOKE ALTER ON `"_qs + database + u"`.* FROM PUBLIC"_qs); });
        target->testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(!target->isTesting(), 20000);
        QVERIFY2(result->text().endsWith(u"lacks UPDATE, DELETE, CREATE, DROP there"_qs), qPrintable(result->text()));
    }

    // Granted what it lacked, the same account passes.
    m_sandbox->target->exec(u"GRANT UPDATE, DELETE, CREATE, ALTER, DROP, TRIGGER ON `"_qs +
                            m_sandbox->settings.target.database + u"`.* TO "_qs + account);
    target->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(!target->isTesting(), 20000);
    QVERIFY2(result->kind() == MessageBanner::Kind::Success, qPrintable(result->text() + result->details()));
}

// What a role grants counts once the role is enabled at login (the account's default role); a
// role granted but not enabled does not, and Test connection says how to enable it.
void TestDiscovery::privilegesThroughRolesCount()
{
    test::TestDb &server = *m_sandbox->target;
    const QString database = m_sandbox->settings.target.database + u"_roles"_qs; // the sync's own tables go there
    server.exec(u"CREATE DATABASE IF NOT EXISTS `"_qs + database + u'`');
    const QString account = u"'gui_roled'@'127.0.0.1'"_qs;
    server.exec(u"DROP USER IF EXISTS "_qs + account);
    server.exec(u"DROP ROLE IF EXISTS gui_sync_writer"_qs);
    server.exec(u"CREATE ROLE gui_sync_writer"_qs);
    server.exec(u"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, TRIGGER ON `"_qs + database +
                u"`.* TO gui_sync_writer"_qs);
    server.exec(u"CREATE USER "_qs + account + u" IDENTIFIED BY 'gui_roled'"_qs);
    server.exec(u"GRANT gui_sync_writer TO "_qs + account);
    server.exec(u"GRANT SELECT ON `"_qs + database + u"`.* TO "_qs + account); // a reader, writing through the role
    auto dropAccount = qScopeGuard([&] {
        server.exec(u"DROP USER IF EXISTS "_qs + account);
        server.exec(u"DROP ROLE IF EXISTS gui_sync_writer"_qs);
        server.exec(u"DROP ROLE IF EXISTS gui_sync_deleter"_qs);
        server.exec(u"DROP DATABASE IF EXISTS `"_qs + database + u'`');
        m_sandbox->source->exec(u"DROP TABLE IF EXISTS roled_items"_qs);
    });
    for (const auto &[key, value] :
         {std::pair{u"TARGET_DB_USER"_qs, u"gui_roled"_qs}, std::pair{u"TARGET_DB_PASS"_qs, u"gui_roled"_qs},
          std::pair{u"TARGET_DB_NAME"_qs, database}}) {
        auto *edit = m_window->findChild<QLineEdit *>(key);
        edit->selectAll();
        QTest::keyClicks(edit, value);
    }
    ServerForm *target = m_window->connectionsPage()->targetForm();
    MessageBanner *result = target->resultBanner();
    const auto testConnection = [&] {
        target->testConnection();
        QTRY_VERIFY_WITH_TIMEOUT(!target->isTesting(), 20000);
    };

    // Granted, not enabled at login: its privileges are not the session's.
    testConnection();
    QCOMPARE(result->kind(), MessageBanner::Kind::Error);
    QVERIFY2(result->text().contains(u"lacks INSERT, UPDATE, DELETE, CREATE, ALTER, DROP"_qs),
             qPrintable(result->text()));
    QVERIFY2(result->details().contains(u"SET DEFAULT ROLE `gui_sync_writer` FOR 'gui_roled'@'127.0.0.1';"_qs),
             qPrintable(result->details()));

    // The account's default role: enabled at every login, what it grants counts (read from
    // SHOW GRANTS, since information_schema shows an account only its own grants).
    server.exec(u"SET DEFAULT ROLE gui_sync_writer FOR "_qs + account);
    testConnection();
    QVERIFY2(result->kind() == MessageBanner::Kind::Success, qPrintable(result->text() + result->details()));

    // Unescaped, `_` in a granted database name is a wildcard; escaped, the name is exact.
    const QString exact = QString(database).replace(u"_"_qs, u"\\_"_qs);

    // A role of the role counts too; a grant on another database does not.
    server.exec(u"REVOKE DELETE, DROP ON `"_qs + database + u"`.* FROM gui_sync_writer"_qs);
    server.exec(u"DROP ROLE IF EXISTS gui_sync_deleter"_qs);
    server.exec(u"CREATE ROLE gui_sync_deleter"_qs);
    server.exec(u"GRANT DELETE ON `"_qs + database + u"`.* TO gui_sync_deleter"_qs);
    server.exec(u"GRANT DROP ON `mysql`.* TO gui_sync_deleter"_qs);
    server.exec(u"GRANT gui_sync_deleter TO gui_sync_writer"_qs);
    testConnection();
    QCOMPARE(result->kind(), MessageBanner::Kind::Error);
    QVERIFY2(result->text().endsWith(u"lacks DROP there"_qs), qPrintable(result->text()));

    // Of the database grants that match, the server applies one: an exact name before a pattern.
    // With DROP granted on the exact name, that grant is all the roles give on the database.
    server.exec(u"GRANT DROP ON `"_qs + exact + u"`.* TO gui_sync_deleter"_qs);
    testConnection();
    QCOMPARE(result->kind(), MessageBanner::Kind::Error);
    QVERIFY2(result->text().endsWith(u"lacks INSERT, UPDATE, DELETE, CREATE, ALTER there"_qs),
             qPrintable(result->text()));
    Settings roled = m_sandbox->settings;
    roled.target.user = u"gui_roled"_qs;
    roled.target.password = u"gui_roled"_qs;
    roled.target.database = database;
    m_sandbox->source->exec(u"CREATE TABLE IF NOT EXISTS roled_items (id INT PRIMARY KEY, v INT)"_qs);
    m_sandbox->source->exec(u"REPLACE INTO roled_items VALUES (1, 10), (2, 20)"_qs);
    const QList<TableSpec> tables{test::tableSpec(u"roled_items"_qs, {u"id"_qs})};
    const test::RunOutcome denied = test::runSync(roled, tables); // the server agrees
    QVERIFY2(!denied.summary.allSucceeded() && denied.log().contains(u"CREATE command denied"_qs),
             qPrintable(denied.log()));
    server.exec(u"REVOKE DROP ON `"_qs + exact + u"`.* FROM gui_sync_deleter"_qs);

    // Two patterns that both match: which one applies is the server's choice, so what only one
    // of them grants is uncertain, neither sure nor missing.
    server.exec(u"REVOKE DELETE ON `"_qs + database + u"`.* FROM gui_sync_deleter"_qs);
    server.exec(u"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, TRIGGER ON `"_qs +
                database.left(database.size() - 3) + u"%`.* TO gui_sync_deleter"_qs);
    testConnection();
    QCOMPARE(result->kind(), MessageBanner::Kind::Warning);
    QVERIFY2(result->text().endsWith(u"may lack DELETE, DROP there"_qs), qPrintable(result->text()));
    QVERIFY2(result->details().contains(u"several database grants match"_qs), qPrintable(result->details()));

    // Granted in both: sure.
    server.exec(u"GRANT DELETE, DROP ON `"_qs + database + u"`.* TO gui_sync_writer"_qs);
    testConnection();
    QVERIFY2(result->kind() == MessageBanner::Kind::Success, qPrintable(result->text() + result->details()));

    // And a sync through the roles works: their privileges are the session's.
    const test::RunOutcome synced = test::runSync(roled, tables);
    QVERIFY2(synced.summary.allSucceeded(), qPrintable(synced.log()));
    QCOMPARE(server.scalar(u"SELECT COUNT(*) FROM `"_qs + database + u"`.roled_items"_qs).toInt(), 2);
}

void TestDiscovery::discoverListsTables()
{
    m_window->showPage(MainWindow::TablesPageIndex);
    auto *button = m_window->findChild<QPushButton *>(u"discoverButton"_qs);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->tablesPage()->isDiscovering(), 20000);
    DiscoveryModel *model = m_window->tablesPage()->discoveryPanel()->model();
    QCOMPARE(model->rowCount(), 4);

    // At 1024 px wide, every column of the pane is in view, the modifier included.
    QTreeView *view = m_window->tablesPage()->discoveryPanel()->view();
    QHeaderView *columns = view->header();
    QVERIFY(columns->sectionViewportPosition(DiscoveryModel::ModifierColumn) +
                columns->sectionSize(DiscoveryModel::ModifierColumn) <=
            view->viewport()->width());
    QVERIFY(columns->sectionSize(DiscoveryModel::ModifierColumn) >= 60);

    const int orders = rowOf(u"orders"_qs);
    QVERIFY(orders >= 0);
    QCOMPARE(model->tableAt(orders).primaryKey, QStringList{u"id"_qs});
    QCOMPARE(model->tableAt(orders).suggestedModifier(), u"updated_at"_qs);
    QVERIFY(model->tableAt(orders).estimatedRows > 0);
    QVERIFY(model->isConfigured(orders));
    QCOMPARE(model->index(orders, DiscoveryModel::NoteColumn).data().toString(), u"configured"_qs);

    const int customers = rowOf(u"customers"_qs);
    QCOMPARE(model->tableAt(customers).suggestedModifier(), u"last_modified"_qs);
    QVERIFY(model->isAddable(customers));

    // Shown and explained, not skipped.
    const int log = rowOf(u"event_log"_qs);
    QVERIFY(log >= 0);
    QVERIFY(model->isAddable(log)); // as a full refresh of the whole table
    QCOMPARE(model->index(log, DiscoveryModel::NoteColumn).data().toString(), u"no key: whole table"_qs);
    QCOMPARE(model->index(log, DiscoveryModel::ModifierColumn).data().toString(), u"— full refresh"_qs);
    QVERIFY(model->index(log, DiscoveryModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"No primary key and no unique key"_qs));
    // A unique key of NOT NULL columns stands in for a primary key.
    const int kv = rowOf(u"settings_kv"_qs);
    QCOMPARE(model->tableAt(kv).syncKey(), QStringList{u"k"_qs});
    QVERIFY(model->isAddable(kv));

    auto *status = m_window->findChild<QLabel *>(u"discoveryStatus"_qs);
    QVERIFY2(status->text().contains(u"4 tables in gui_disc_src"_qs), qPrintable(status->text()));
    QVERIFY(status->text().contains(u"1 without a key: synced whole every run"_qs));
}

void TestDiscovery::addWithAClick()
{
    m_window->showPage(MainWindow::TablesPageIndex);
    m_window->tablesPage()->discover();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->tablesPage()->isDiscovering(), 20000);
    DiscoveryPanel *panel = m_window->tablesPage()->discoveryPanel();
    QTreeView *view = panel->view();
    TableListModel *tables = m_window->document()->tables();

    // Double-click on customers adds it with its key and likely modifier.
    const QModelIndex customers =
        view->model()->match(view->model()->index(0, 0), Qt::DisplayRole, u"customers"_qs).value(0);
    QVERIFY(customers.isValid());
    const QPoint at = view->visualRect(customers).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(tables->rowCount(), 2);
    QCOMPARE(tables->tableAt(1).table, u"customers"_qs);
    QCOMPARE(tables->tableAt(1).primaryKey, QStringList{u"id"_qs});
    QCOMPARE(tables->tableAt(1).modifier, u"last_modified"_qs);
    QVERIFY(m_window->isWindowModified());

    // Adding everything adds what can be synced and says why the rest was not.
    QList<int> all;
    for (int row = 0; row < panel->model()->rowCount(); ++row)
        all << row;
    // settings_kv, and event_log without a key as a full refresh; orders and customers are there already.
    QCOMPARE(panel->addRows(all), 2);
    QCOMPARE(tables->rowCount(), 4);
    QStringList added{tables->tableAt(2).table, tables->tableAt(3).table};
    const int kvRow = added.indexOf(u"settings_kv"_qs) + 2;
    const int logRow = added.indexOf(u"event_log"_qs) + 2;
    QVERIFY(kvRow >= 2 && logRow >= 2);
    QCOMPARE(tables->tableAt(kvRow).primaryKey, QStringList{u"k"_qs});
    QVERIFY(tables->tableAt(logRow).primaryKey.isEmpty());
    QVERIFY(tables->tableAt(logRow).modifier.isEmpty());
    auto *banner = panel->findChild<MessageBanner *>(u"discoveryBanner"_qs);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(u"Added without a key: event_log"_qs), qPrintable(banner->text()));
}

void TestDiscovery::listIsCheckedAgainstTheSource()
{
    m_window->tablesPage()->discover();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->tablesPage()->isDiscovering(), 20000);
    TableListModel *tables = m_window->document()->tables();
    QVERIFY(tables->hasCatalog());
    // Modifier choices come from the source's orderable columns.
    const QStringList choices =
        tables->index(0, TableListModel::ModifierColumn).data(TableListModel::ColumnChoicesRole).toStringList();
    QCOMPARE(choices, (QStringList{u"id"_qs, u"total"_qs, u"updated_at"_qs}));

    QVERIFY(tables->setData(tables->index(0, TableListModel::ModifierColumn), u"nope"_qs));
    const QModelIndex modifier = tables->index(0, TableListModel::ModifierColumn);
    QCOMPARE(modifier.data(TableListModel::SeverityRole).toInt(), int(TableIssue::Severity::Warning));
    QVERIFY(modifier.data(Qt::ToolTipRole).toString().contains(u"no column \"nope\""_qs));
    QVERIFY(m_window->tablesPage()->banner()->text().contains(u"will fail when"_qs));
    QVERIFY(tables->setData(modifier, u"updated_at"_qs));
    QCOMPARE(modifier.data(TableListModel::SeverityRole).toInt(), -1);

    // A primary_key that does not identify the source's rows: the engine would refuse it, so the
    // cell says so while it is edited, with the keys the source has.
    const QModelIndex key = tables->index(0, TableListModel::PrimaryKeyColumn);
    QVERIFY(tables->setData(key, u"total"_qs));
    QCOMPARE(key.data(TableListModel::SeverityRole).toInt(), int(TableIssue::Severity::Warning));
    QVERIFY2(key.data(Qt::ToolTipRole).toString().contains(u"(total) is not a unique key of the source"_qs),
             qPrintable(key.data(Qt::ToolTipRole).toString()));
    QVERIFY(key.data(Qt::ToolTipRole).toString().contains(u"Its keys: (id)."_qs));
    QVERIFY(tables->setData(key, u"id, total"_qs)); // a superset of a key identifies rows too
    QCOMPARE(key.data(TableListModel::SeverityRole).toInt(), -1);
    QVERIFY(tables->setData(key, u"id"_qs));

    QVERIFY(tables->setData(tables->index(0, TableListModel::TableColumn), u"ghost"_qs));
    QVERIFY(tables->index(0, TableListModel::TableColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"no table \"ghost\""_qs));
}

void TestDiscovery::discoverWithoutSourceSaysWhatToDo()
{
    m_window->document()->newProfile();
    m_window->tablesPage()->discover();
    QVERIFY(!m_window->tablesPage()->isDiscovering());
    auto *banner = m_window->findChild<MessageBanner *>(u"discoveryBanner"_qs);
    QVERIFY(banner->text().contains(u"source server is not set up"_qs));
    QSignalSpy wanted(m_window->tablesPage(), &TablesPage::connectionsRequested);
    Q_EMIT banner->actionTriggered();
    QCOMPARE(wanted.size(), 1);
    QCOMPARE(m_window->currentPage(), MainWindow::ConnectionsPageIndex);
}

// The plan of the tables on screen (unsaved edits included), computed off the window's thread
// against the real servers: one row per table with its strategy and what would change, the
// selected table's whole plan below, and nothing written to the target.
void TestDiscovery::previewShowsWhatTheNextRunWouldDo()
{
    m_window->showPage(MainWindow::TablesPageIndex);
    TableSpec log;
    log.table = u"event_log"_qs; // no key: a full refresh of the whole table
    TableSpec ghost;
    ghost.table = u"ghost"_qs;
    ghost.primaryKey = {u"id"_qs};
    QList<TableSpec> tables{m_window->document()->tables()->tableAt(0), log, ghost};
    m_window->document()->tables()->setTables(tables);

    QTest::mouseClick(m_window->findChild<QToolButton *>(u"previewRunButton"_qs), Qt::LeftButton);
    PlanDialog *dialog = m_window->planDialog();
    QVERIFY(dialog && dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isPlanning(), 30000);
    QTreeWidget *tree = dialog->tree();
    QCOMPARE(tree->topLevelItemCount(), 3);
    QTreeWidgetItem *orders = tree->topLevelItem(0);
    QCOMPARE(orders->text(1), u"full refresh (new table)"_qs);
    QVERIFY2(orders->text(2).contains(u"creates the table"_qs), qPrintable(orders->text(2)));
    QCOMPARE(tree->topLevelItem(1)->text(1), u"full refresh (new table)"_qs);
    QCOMPARE(tree->topLevelItem(2)->text(1), u"would fail"_qs);
    QVERIFY2(tree->topLevelItem(2)->text(2).contains(u"table ghost does not exist in the source"_qs),
             qPrintable(tree->topLevelItem(2)->text(2)));
    QVERIFY2(dialog->statusText().contains(u"3 tables planned"_qs) && dialog->statusText().contains(u"1 table would "
                                                                                                    "fail"_qs),
             qPrintable(dialog->statusText()));

    tree->setCurrentItem(tree->topLevelItem(1));
    const QString details = dialog->findChild<QPlainTextEdit *>(u"planDetails"_qs)->toPlainText();
    QVERIFY2(details.contains(u"no primary_key: the table is read whole"_qs), qPrintable(details));
    QVERIFY2(details.contains(u"would run: CREATE TABLE `event_log`"_qs), qPrintable(details));
    QVERIFY(dialog->planText().contains(u"orders: full refresh (new table)\n  "_qs));

    // Nothing was written: no synced table, no bookkeeping table.
    QCOMPARE(
        m_sandbox->target->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"_qs)
            .toInt(),
        0);
}

QTEST_MAIN(TestDiscovery)
#include "tst_discovery.moc"
