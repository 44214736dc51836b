// The window on a profile without any database: opening a profile fills the forms and the table
// list, editing shows validation where the mistake is, and saving writes both files (0600) so that
// the headless reader gets exactly what was on screen.
#include "GuiTestSupport.h"
#include "TestWindow.h"

#include "ConnectionsPage.h"
#include "EmptyState.h"
#include "GuiSettings.h"
#include "HealthForm.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProfileDocument.h"
#include "ProfilePair.h"
#include "TableListModel.h"
#include "TablesPage.h"
#include "config/EnvFile.h"
#include "config/ProfileFiles.h"
#include "config/TablesFile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QWheelEvent>

using namespace tablesync;

namespace {
const QByteArray kEnv = "# Orders replica: written by hand\n"
                        "SOURCE_DB_HOST=db-src.internal   # primary\n"
                        "SOURCE_DB_USER=reader\n"
                        "SOURCE_DB_PASS='ab#cd ef'\n"
                        "SOURCE_DB_NAME=shop\n"
                        "\n"
                        "TARGET_DB_HOST=db-dst.internal\n"
                        "TARGET_DB_PORT=3307\n"
                        "TARGET_DB_USER=writer\n"
                        "TARGET_DB_PASS=\"q\\\"uote\"\n"
                        "TARGET_DB_NAME=shop_copy\n"
                        "LOG_LEVEL=debug\n"
                        "INTERVAL=0\n";
const QByteArray kTables = "[\n"
                           "  {\"table\": \"customers\", \"primary_key\": \"id\", \"modifier\": \"updated_at\"},\n"
                           "  {\"table\": \"order_lines\", \"primary_key\": [\"order_id\", \"line_no\"]}\n"
                           "]\n";
} // namespace

class TestProfileEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void opensProfileIntoForms();
    void editingATableShowsValidation();
    void deletesAreChosenInTheTable();
    void requireTlsIsACheckBox();
    void healthServerKeysAreEdited();
    void entryErrorsBlockSaving();
    void savesBothFilesAndReadsBack();
    void saveAsCreatesANewPair();
    void twoProfilesInOneFolderKeepTheirOwnTables();
    void aNewProfileIsProposedANamedPair();
    void newProfileShowsWhatToDo();
    void unsavedChangesArePrompted();
    void saveAsHasItsShortcut();
    void confirmationsDefaultToCancel();
    void theWheelScrollsThePageNotTheSpinBox();
    void aNewProfileWaitsBeforeItsFirstSync();
    void theFormDoesNotJumpWhileTyping();
    void theWindowOpensWithinItsScreen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QString m_env;
    QString m_tables;
};

void TestProfileEditor::init()
{
    m_settings = std::make_unique<QTemporaryDir>();
    test::useTemporarySettings(*m_settings);
    m_dir = std::make_unique<QTemporaryDir>();
    m_env = m_dir->filePath(u".env"_qs);
    m_tables = m_dir->filePath(u"tables.json"_qs);
    test::writeText(m_env, kEnv);
    test::writeText(m_tables, kTables);
    test::openWindow(m_window, m_env, m_tables);
}

void TestProfileEditor::cleanup()
{
    m_window.reset();
}

void TestProfileEditor::opensProfileIntoForms()
{
    const auto *host = m_window->findChild<QLineEdit *>(u"SOURCE_DB_HOST"_qs);
    QVERIFY(host);
    QCOMPARE(host->text(), u"db-src.internal"_qs);
    QCOMPARE(m_window->findChild<QLineEdit *>(u"SOURCE_DB_PASS"_qs)->text(), u"ab#cd ef"_qs);
    QCOMPARE(m_window->findChild<QLineEdit *>(u"TARGET_DB_PASS"_qs)->text(), u"q\"uote"_qs);
    QCOMPARE(m_window->findChild<QSpinBox *>(u"TARGET_DB_PORT"_qs)->value(), 3307);
    QCOMPARE(m_window->findChild<QSpinBox *>(u"SOURCE_DB_PORT"_qs)->value(), 3306); // the default
    QCOMPARE(m_window->findChild<QSpinBox *>(u"INTERVAL"_qs)->value(), 0);

    TableListModel *tables = m_window->document()->tables();
    QCOMPARE(tables->rowCount(), 2);
    QCOMPARE(tables->index(1, TableListModel::PrimaryKeyColumn).data().toString(), u"order_id, line_no"_qs);
    QCOMPARE(tables->index(0, TableListModel::StrategyColumn).data().toString(), u"incremental"_qs);
    QCOMPARE(tables->index(1, TableListModel::StrategyColumn).data().toString(), u"full refresh"_qs);
    QVERIFY(tables->issues().isEmpty());
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(!m_window->banner()->isVisible());
    QVERIFY(m_window->windowTitle().contains(QFileInfo(m_env).absoluteFilePath()));
}

void TestProfileEditor::editingATableShowsValidation()
{
    m_window->showPage(MainWindow::TablesPageIndex);
    QTableView *view = m_window->tablesPage()->view();
    QAbstractItemModel *model = view->model();
    const QModelIndex name = model->index(1, TableListModel::TableColumn);

    // Typed into the cell as a user would: the second entry gets the first one's name.
    view->setCurrentIndex(name);
    view->edit(name);
    auto *editor = view->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, u"Customers"_qs);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(name.data().toString(), u"Customers"_qs); // the delegate commits on the next event loop turn

    QCOMPARE(name.data(TableListModel::SeverityRole).toInt(), int(TableIssue::Severity::Error));
    QVERIFY(name.data(Qt::ToolTipRole).toString().contains(u"already configured in row 1"_qs));
    QVERIFY(!name.data(Qt::DecorationRole).value<QIcon>().isNull());
    MessageBanner *banner = m_window->tablesPage()->banner();
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(u"must be fixed before saving"_qs), qPrintable(banner->text()));
    auto *details = m_window->findChild<QLabel *>(u"tableIssueDetails"_qs);
    QVERIFY(details->isVisible());
    QVERIFY(details->text().contains(u"already configured"_qs));
    QVERIFY(m_window->isWindowModified());
    // Run now is refused while the list has errors, and says why.
    QTRY_VERIFY(!m_window->runNowAction()->isEnabled());
    QVERIFY(m_window->runNowAction()->toolTip().contains(u"table entry problem"_qs));

    // No key is fine for a full refresh (the whole table is replaced); with a modifier it is an
    // error in its own cell. Fixing both clears everything.
    QVERIFY(model->setData(model->index(1, TableListModel::PrimaryKeyColumn), QString()));
    QCOMPARE(model->index(1, TableListModel::PrimaryKeyColumn).data(TableListModel::SeverityRole).toInt(), -1);
    QVERIFY(model->setData(model->index(1, TableListModel::ModifierColumn), u"updated_at"_qs));
    QCOMPARE(model->index(1, TableListModel::PrimaryKeyColumn).data(TableListModel::SeverityRole).toInt(),
             int(TableIssue::Severity::Error));
    QVERIFY(model->index(1, TableListModel::PrimaryKeyColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"Incremental sync needs a primary key"_qs));
    QVERIFY(model->setData(model->index(1, TableListModel::ModifierColumn), QString()));
    QVERIFY(model->setData(name, u"order_lines"_qs));
    QVERIFY(model->setData(model->index(1, TableListModel::PrimaryKeyColumn), u"order_id , line_no"_qs));
    QVERIFY(m_window->document()->tables()->issues().isEmpty());
    QVERIFY(!banner->isVisible());
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());

    // An initial value without a modifier is only a warning, on its own cell.
    QVERIFY(model->setData(model->index(1, TableListModel::InitialValueColumn), u"42"_qs));
    QCOMPARE(model->index(1, TableListModel::InitialValueColumn).data(TableListModel::SeverityRole).toInt(),
             int(TableIssue::Severity::Warning));
}

void TestProfileEditor::healthServerKeysAreEdited()
{
    ProfileDocument *document = m_window->document();
    auto *host = m_window->findChild<QLineEdit *>(u"HEALTH_HOST"_qs);
    auto *port = m_window->findChild<QSpinBox *>(u"HEALTH_PORT"_qs);
    auto *token = m_window->findChild<QLineEdit *>(u"HEALTH_TOKEN"_qs);
    auto *tokenFile = m_window->findChild<QLineEdit *>(u"HEALTH_TOKEN_FILE"_qs);
    auto *note = m_window->findChild<QLabel *>(u"healthNote"_qs);
    QVERIFY(host && port && token && tokenFile && note);
    QCOMPARE(port->value(), 8089); // not in the .env: the default, and no key written for it
    QVERIFY(note->text().contains(u"to this machine only"_qs));

    // Every interface without a token: said plainly.
    QTest::keyClicks(host, u"0.0.0.0"_qs);
    QCOMPARE(document->value(u"HEALTH_HOST"_qs), u"0.0.0.0"_qs);
    QVERIFY2(note->text().contains(u"Other machines can read /status"_qs), qPrintable(note->text()));
    port->setValue(9100);
    QCOMPARE(document->value(u"HEALTH_PORT"_qs), u"9100"_qs);
    QVERIFY(note->text().contains(u"http://0.0.0.0:9100/"_qs));

    // A generated token is one the engine takes, and it ends the warning.
    m_window->findChild<QPushButton *>(u"generateHealthToken"_qs)->click();
    const QString generated = document->value(u"HEALTH_TOKEN"_qs);
    QCOMPARE(generated.size(), 64);
    QCOMPARE(token->text(), generated);
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QVERIFY(!note->text().contains(u"Other machines"_qs));
    ConfigErrors errors;
    const Settings settings = document->settings(errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(settings.healthToken, generated);
    QVERIFY(HealthForm::randomToken() != generated);

    // A token file as well: the page's banner says to keep one.
    QTest::keyClicks(tokenFile, m_dir->filePath(u"token"_qs));
    auto *banner = m_window->findChild<MessageBanner *>(u"connectionsBanner"_qs);
    QTRY_VERIFY2(banner->isVisible() &&
                     banner->details().contains(u"HEALTH_TOKEN and HEALTH_TOKEN_FILE are both set; keep one"_qs),
                 qPrintable(banner->text() + u": "_qs + banner->details()));
    token->clear();
    QTest::keyClicks(token, u"x"_qs);
    QTest::keyClick(token, Qt::Key_Backspace); // emptied by typing: the key goes
    QVERIFY(!document->contains(u"HEALTH_TOKEN"_qs));

    // Saved, it is what a headless run reads; opened again, the fields show it.
    test::writeText(m_dir->filePath(u"token"_qs), "0123456789abcdef0123\n");
    QVERIFY(m_window->saveProfile());
    ConfigErrors readErrors;
    const EnvFile env = EnvFile::load(m_env, readErrors);
    QCOMPARE(env.value(u"HEALTH_HOST"_qs), u"0.0.0.0"_qs);
    QCOMPARE(env.value(u"HEALTH_TOKEN_FILE"_qs), m_dir->filePath(u"token"_qs));
    QVERIFY(!env.contains(u"HEALTH_TOKEN"_qs));
    test::writeText(m_env, kEnv + QByteArray("HEALTH_TOKEN=abcdefghijklmnop\n"));
    QVERIFY(document->open(m_env, m_tables).isEmpty());
    QCOMPARE(token->text(), u"abcdefghijklmnop"_qs);
    QVERIFY(host->text().isEmpty());
    QVERIFY(tokenFile->text().isEmpty());
    QCOMPARE(port->value(), 8089);
}

void TestProfileEditor::entryErrorsBlockSaving()
{
    TableListModel *tables = m_window->document()->tables();
    QVERIFY(tables->setData(tables->index(0, TableListModel::TableColumn), QString()));
    const QByteArray before = test::readText(m_tables);
    QVERIFY(!m_window->saveProfile());
    QCOMPARE(test::readText(m_tables), before);
    QVERIFY(m_window->banner()->isVisible());
    QVERIFY(m_window->banner()->text().contains(u"Not saved"_qs));
    QCOMPARE(m_window->currentPage(), MainWindow::TablesPageIndex);
}

void TestProfileEditor::deletesAreChosenInTheTable()
{
    m_window->showPage(MainWindow::TablesPageIndex);
    QTableView *view = m_window->tablesPage()->view();
    QAbstractItemModel *model = view->model();
    const QModelIndex incremental = model->index(0, TableListModel::DeletesColumn);
    const QModelIndex fullRefresh = model->index(1, TableListModel::DeletesColumn);
    QCOMPARE(incremental.data().toString(), u"keep"_qs); // the default
    QCOMPARE(model->headerData(TableListModel::DeletesColumn, Qt::Horizontal).toString(), u"Deletes"_qs);

    // Chosen in the cell's editor, as a user would: a combo box of the three tables.json words.
    const auto choose = [&](const QModelIndex &cell, const QString &word) {
        view->setCurrentIndex(cell);
        view->edit(cell);
        auto *combo = view->findChild<QComboBox *>();
        QVERIFY(combo);
        QCOMPARE(combo->count(), 3);
        QVERIFY(!combo->isEditable());
        combo->setCurrentText(word);
        view->itemDelegate()->setModelData(combo, model, cell);
        view->closePersistentEditor(cell);
        QTest::keyClick(combo, Qt::Key_Escape);
    };
    choose(incremental, u"soft"_qs);
    QCOMPARE(incremental.data().toString(), u"soft"_qs);
    QCOMPARE(incremental.data(TableListModel::SeverityRole).toInt(), -1);
    QVERIFY(m_window->isWindowModified());

    // Soft deletes on a full-refresh table cannot work: an error on that cell, which blocks saving.
    choose(fullRefresh, u"soft"_qs);
    QCOMPARE(fullRefresh.data(TableListModel::SeverityRole).toInt(), int(TableIssue::Severity::Error));
    QVERIFY(fullRefresh.data(Qt::ToolTipRole).toString().contains(u"need a modifier"_qs));
    choose(fullRefresh, u"propagate"_qs);
    QCOMPARE(fullRefresh.data(TableListModel::SeverityRole).toInt(), -1);

    QVERIFY(m_window->saveProfile());
    ConfigErrors errors;
    const QList<TableSpec> back = TablesFile::load(m_tables, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(back[0].deletes, TableSpec::Deletes::Soft);
    QCOMPARE(back[1].deletes, TableSpec::Deletes::Propagate);
}

void TestProfileEditor::requireTlsIsACheckBox()
{
    auto *require = m_window->findChild<QCheckBox *>(u"TARGET_DB_SSL_REQUIRE"_qs);
    QVERIFY(require);
    QVERIFY(!require->isChecked()); // not in the .env: off
    require->click();
    ProfileDocument *document = m_window->document();
    QCOMPARE(document->value(u"TARGET_DB_SSL_REQUIRE"_qs), u"true"_qs);
    QVERIFY(m_window->isWindowModified());
    require->click();
    QVERIFY(!document->contains(u"TARGET_DB_SSL_REQUIRE"_qs)); // off is the default: no key

    // Any of the words the .env takes for true checks it when the profile is opened.
    test::writeText(m_env, kEnv + QByteArray("SOURCE_DB_SSL_REQUIRE=Yes\n"));
    QVERIFY(document->open(m_env, m_tables).isEmpty());
    QVERIFY(m_window->findChild<QCheckBox *>(u"SOURCE_DB_SSL_REQUIRE"_qs)->isChecked());
    QVERIFY(!require->isChecked());
}

void TestProfileEditor::savesBothFilesAndReadsBack()
{
    // Edits on both pages, as typed.
    auto *host = m_window->findChild<QLineEdit *>(u"SOURCE_DB_HOST"_qs);
    host->selectAll();
    QTest::keyClicks(host, u"db-src2.internal"_qs);
    auto *password = m_window->findChild<QLineEdit *>(u"SOURCE_DB_PASS"_qs);
    password->selectAll();
    QTest::keyClicks(password, u"n3w #pass'\\"_qs);
    m_window->findChild<QSpinBox *>(u"INTERVAL"_qs)->setValue(300);
    m_window->findChild<QSpinBox *>(u"SOURCE_DB_PORT"_qs)->setValue(3310);
    TableListModel *tables = m_window->document()->tables();
    TableSpec spec;
    spec.table = u"products"_qs;
    spec.primaryKey = {u"sku"_qs};
    spec.batchSize = 2500;
    tables->addTable(spec);
    QVERIFY(tables->setData(tables->index(0, TableListModel::InitialValueColumn), u"2024-01-01 00:00:00"_qs));
    QVERIFY(m_window->isWindowModified());

    QVERIFY(m_window->saveProfile());
    QVERIFY(!m_window->isWindowModified());

    // Owner-only, both of them.
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    const auto mask = ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
    QCOMPARE(QFileInfo(m_env).permissions() & mask, ownerOnly);
    QCOMPARE(QFileInfo(m_tables).permissions() & mask, ownerOnly);

    // The .env keeps the user's comments and unknown keys, and reads back to what was typed.
    const QString envText = QString::fromUtf8(test::readText(m_env));
    QVERIFY(envText.startsWith(u"# Orders replica: written by hand\n"_qs));
    QVERIFY2(envText.contains(u"SOURCE_DB_HOST=db-src2.internal   # primary\n"_qs), qPrintable(envText));
    QVERIFY(envText.contains(u"LOG_LEVEL=debug\n"_qs));
    ConfigErrors errors;
    const EnvFile env = EnvFile::load(m_env, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(env.value(u"SOURCE_DB_HOST"_qs), u"db-src2.internal"_qs);
    QCOMPARE(env.value(u"SOURCE_DB_PASS"_qs), u"n3w #pass'\\"_qs);
    QCOMPARE(env.value(u"TARGET_DB_PASS"_qs), u"q\"uote"_qs);
    QCOMPARE(env.value(u"INTERVAL"_qs), u"300"_qs);
    QCOMPARE(env.value(u"SOURCE_DB_PORT"_qs), u"3310"_qs);
    QVERIFY(!env.contains(u"TARGET_DB_SSL_CA"_qs)); // untouched options are not written

    const QList<TableSpec> back = TablesFile::load(m_tables, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QCOMPARE(back.size(), 3);
    QCOMPARE(back[0].initialValue.value_or(QString()), u"2024-01-01 00:00:00"_qs);
    QCOMPARE(back[1].primaryKey, (QStringList{u"order_id"_qs, u"line_no"_qs}));
    QCOMPARE(back[2].table, u"products"_qs);
    QCOMPARE(back[2].batchSize, 2500);

    // The headless side reads the same profile without complaint.
    ProfileDocument *document = m_window->document();
    QVERIFY(document->open(m_env, m_tables).isEmpty());
    QCOMPARE(document->tables()->rowCount(), 3);
}

void TestProfileEditor::saveAsCreatesANewPair()
{
    QTemporaryDir other;
    const QString env = other.filePath(u"prod.env"_qs);
    const QString tables = other.filePath(u"tables.json"_qs);
    QVERIFY(m_window->saveProfileAs(env, tables));
    QCOMPARE(m_window->document()->envPath(), env);
    ConfigErrors errors;
    QCOMPARE(EnvFile::load(env, errors).value(u"TARGET_DB_NAME"_qs), u"shop_copy"_qs);
    QCOMPARE(TablesFile::load(tables, errors).size(), 2);
    QVERIFY(errors.isEmpty());
}

// Save As into the folder of another profile: the new .env gets a tables file of its own, so
// editing one profile's tables never changes the other's.
void TestProfileEditor::twoProfilesInOneFolderKeepTheirOwnTables()
{
    const QString staging = m_dir->filePath(u"staging.env"_qs);
    m_window->setSaveFileChooser([&](const QString &) { return staging; });
    m_window->saveProfileAsDialog();
    QCOMPARE(m_window->document()->envPath(), staging);
    QCOMPARE(m_window->document()->tablesPath(), m_dir->filePath(u"staging.tables.json"_qs));

    TableSpec spec;
    spec.table = u"only_in_staging"_qs;
    spec.primaryKey = {u"id"_qs};
    m_window->document()->tables()->addTable(spec);
    QVERIFY(m_window->saveProfile());
    QCOMPARE(test::readText(m_tables), kTables); // the first profile's tables.json is untouched
    QVERIFY(test::readText(m_dir->filePath(u"staging.tables.json"_qs)).contains("only_in_staging"));

    // Opening either .env finds its own tables again.
    QVERIFY(m_window->openProfile(m_env, ProfilePair::tablesPathToOpen(m_env)));
    QCOMPARE(m_window->document()->tables()->rowCount(), 2);
    QVERIFY(m_window->openProfile(staging, ProfilePair::tablesPathToOpen(staging)));
    QCOMPARE(m_window->document()->tables()->rowCount(), 3);
}

void TestProfileEditor::aNewProfileIsProposedANamedPair()
{
    QTemporaryDir home; // the proposal creates ~/tablesync: not in the real home
    const QByteArray realHome = qgetenv("HOME");
    qputenv("HOME", home.path().toUtf8());
    const auto restoreHome = qScopeGuard([&] { qputenv("HOME", realHome); });
    m_window->document()->newProfile();
    m_window->document()->setValue(u"SOURCE_DB_NAME"_qs, u"shop"_qs);
    m_window->document()->setValue(u"TARGET_DB_NAME"_qs, u"shop copy"_qs);
    QString proposed;
    m_window->setSaveFileChooser([&](const QString &start) {
        proposed = start;
        return QString(); // cancelled
    });
    m_window->saveProfileAsDialog();
    QCOMPARE(proposed, home.filePath(u"tablesync/shop-to-shop_copy.env"_qs));
    QVERIFY(QFileInfo(home.filePath(u"tablesync"_qs)).isDir());
    QCOMPARE(ProfileFiles::tablesPathFor(proposed), home.filePath(u"tablesync/shop-to-shop_copy.tables.json"_qs));
    QCOMPARE(ProfileFiles::tablesPathFor(u"/p/.env"_qs), u"/p/tables.json"_qs);
    QCOMPARE(ProfileFiles::tablesPathFor(u"/p/.env.prod"_qs), u"/p/env.prod.tables.json"_qs);
}

void TestProfileEditor::saveAsHasItsShortcut()
{
    QString offered;
    m_window->setSaveFileChooser([&](const QString &start) {
        offered = start;
        return QString();
    });
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(offered, m_env); // Save As asked where to, starting from the current file
}

// Enter in a confirmation that changes files or the target answers Cancel.
void TestProfileEditor::confirmationsDefaultToCancel()
{
    m_window->setConfirmHandler({}); // the real dialog
    test::writeText(m_dir->filePath(u"other.tables.json"_qs), "[]\n");
    m_window->setSaveFileChooser([&](const QString &) { return m_dir->filePath(u"other.env"_qs); });
    const test::EnterInNextMessageBox enter(this);
    m_window->saveProfileAsDialog(); // "Replace the tables file?"
    QCOMPARE(enter.pressed(), QMessageBox::Cancel);
    QCOMPARE(test::readText(m_dir->filePath(u"other.tables.json"_qs)), QByteArray("[]\n")); // not replaced
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"other.env"_qs)));
}

void TestProfileEditor::theWheelScrollsThePageNotTheSpinBox()
{
    auto *interval = m_window->findChild<QSpinBox *>(u"INTERVAL"_qs);
    QVERIFY(interval);
    const int before = interval->value();
    m_window->findChild<QLineEdit *>(u"SOURCE_DB_HOST"_qs)->setFocus();
    const QPoint at = interval->rect().center();
    QWheelEvent wheel(at, interval->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(interval, &wheel);
    QCOMPARE(interval->value(), before); // passing over it changes nothing
    interval->setFocus();
    QApplication::sendEvent(interval, &wheel);
    QVERIFY(interval->value() != before); // focused, it takes the wheel
}

// Saved for the first time, a new profile does not start writing to the target on its own.
void TestProfileEditor::aNewProfileWaitsBeforeItsFirstSync()
{
    const QByteArray env = kEnv;
    m_window->document()->newProfile();
    ConfigErrors errors;
    const EnvFile values = EnvFile::parse(env, u"t"_qs, errors);
    for (const QString &key : values.keys())
        m_window->document()->setValue(key, values.value(key));
    TableSpec spec;
    spec.table = u"customers"_qs;
    spec.primaryKey = {u"id"_qs};
    m_window->document()->tables()->addTable(spec);
    QTemporaryDir elsewhere;
    QVERIFY(m_window->saveProfileAs(elsewhere.filePath(u"new.env"_qs), elsewhere.filePath(u"new.tables.json"_qs)));
    QVERIFY(m_window->pauseAction()->isChecked());
    const QList<MessageBanner *> banners = m_window->findChildren<MessageBanner *>();
    QVERIFY(std::any_of(banners.cbegin(), banners.cend(), [](const MessageBanner *b) {
        return b->isVisible() && b->text().contains(u"Syncing has not started yet"_qs) &&
               b->details().contains(u"creates the 1 listed tables in shop_copy"_qs);
    }));
    // A later save of the same profile leaves the schedule as the user set it.
    m_window->pauseAction()->setChecked(false);
    QVERIFY(m_window->saveProfile());
    QVERIFY(!m_window->pauseAction()->isChecked());
}

// Emptying a field while typing flags the field, not a banner that would push the form down; the
// banner appears on opening (or saving) and names the fields by their labels.
void TestProfileEditor::theFormDoesNotJumpWhileTyping()
{
    MessageBanner *banner = m_window->connectionsPage()->banner();
    QVERIFY(!banner->isVisible());
    auto *host = m_window->findChild<QLineEdit *>(u"TARGET_DB_HOST"_qs);
    const int hostY = host->mapTo(m_window.get(), QPoint()).y();
    host->selectAll();
    QTest::keyClick(host, Qt::Key_Delete);
    QTest::qWait(500); // past the validation's debounce
    QVERIFY(m_window->findChild<QLabel *>(u"TARGET_DB_HOSTError"_qs)->isVisible());
    QVERIFY(!banner->isVisible());
    QCOMPARE(host->mapTo(m_window.get(), QPoint()).y(), hostY);

    QVERIFY(m_window->saveProfile());
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->details().contains(u"Host of the target server (TARGET_DB_HOST)"_qs),
             qPrintable(banner->details()));
    // Fixed while it is shown: it says so in place instead of vanishing under the cursor.
    QTest::keyClicks(host, u"db-dst.internal"_qs);
    QTest::qWait(500);
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->kind(), MessageBanner::Kind::Success);
}

void TestProfileEditor::newProfileShowsWhatToDo()
{
    m_window->document()->newProfile();
    QCOMPARE(m_window->document()->tables()->rowCount(), 0);
    auto *empty = m_window->tablesPage()->findChild<EmptyState *>();
    QVERIFY(empty);
    m_window->showPage(MainWindow::TablesPageIndex);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(m_window->connectionsPage()->banner()->text().contains(u"new profile"_qs, Qt::CaseInsensitive));
    QVERIFY(!m_window->runNowAction()->isEnabled());
    // Its explanation is shown whole: a wrapped label as tall as its width needs.
    for (const QLabel *label : empty->findChildren<QLabel *>()) {
        if (label->wordWrap())
            QVERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(label->text()));
    }
    // The status bar says why nothing can sync, not only that something needs attention.
    const QString status = m_window->findChild<QLabel *>(u"statusText"_qs)->text();
    QVERIFY2(status.startsWith(u"cannot sync: "_qs) && status.contains(u"problems in the profile"_qs),
             qPrintable(status));
    // A long problem in the status bar does not widen the window past a small screen.
    QVERIFY2(m_window->minimumSizeHint().width() <= 1024,
             qPrintable(QString::number(m_window->minimumSizeHint().width())));
}

void TestProfileEditor::unsavedChangesArePrompted()
{
    QStringList asked;
    m_window->setConfirmHandler([&](const QString &title, const QString &, QMessageBox::StandardButtons) {
        asked << title;
        return QMessageBox::Cancel;
    });
    m_window->document()->setValue(u"TARGET_DB_NAME"_qs, u"other"_qs);
    m_window->requestQuit(); // cancelled: nothing happens
    QCOMPARE(asked, QStringList{u"Unsaved changes"_qs});
    QVERIFY(m_window->isVisible());
    QCOMPARE(m_window->document()->value(u"TARGET_DB_NAME"_qs), u"other"_qs);
}

QTEST_MAIN(TestProfileEditor)
// Run by ctest once on the offscreen platform's own screen and once on a 1024x700 laptop panel
// (tests/gui/laptop-screen.json): the window opens whole on either, also where the size saved
// last time came from a bigger screen.
void TestProfileEditor::theWindowOpensWithinItsScreen()
{
    for (const bool savedOnABiggerScreen : {false, true}) {
        m_window.reset();
        if (savedOnABiggerScreen) {
            QWidget big;
            big.setGeometry(0, 0, 1920, 1200);
            GuiSettings::setWindowGeometry(big.saveGeometry());
        }
        auto window = std::make_unique<MainWindow>(m_env, m_tables);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        const QRect available = window->screen()->availableGeometry();
        QVERIFY2(available.contains(window->frameGeometry()),
                 qPrintable(u"window %1x%2%3 at %4,%5 on a screen of %6x%7"_qs.arg(window->frameGeometry().width())
                                .arg(window->frameGeometry().height())
                                .arg(savedOnABiggerScreen ? u" (saved on a bigger screen)"_qs : QString())
                                .arg(window->frameGeometry().x())
                                .arg(window->frameGeometry().y())
                                .arg(available.width())
                                .arg(available.height())));
        QVERIFY(window->width() >= std::min(900, available.width() - 40)); // and not shrunk to nothing
    }
}

#include "tst_profileeditor.moc"
