// A real sync from the window against the sandbox: Run now, every table row reaching "done" with
// its rows counted, the overall progress, the history, the log, the pool view, and the tray's
// failure and recovery notifications.
#include "GuiTestSupport.h"
#include "TestSandbox.h"
#include "TestWindow.h"

#include "GuiSettings.h"
#include "LogFilterModel.h"
#include "LogModel.h"
#include "LogPage.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "PoolChart.h"
#include "PoolPage.h"
#include "PoolPanel.h"
#include "ProfileDocument.h"
#include "RunController.h"
#include "RunHistoryModel.h"
#include "RunMonitorPage.h"
#include "RunTableModel.h"
#include "TableListModel.h"
#include "TrayController.h"
#include "config/EnvFile.h"

#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressBar>
#include <QScopeGuard>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>

using namespace tablesync;

class TestRunMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void runReachesDoneForEveryTable();
    void failureAndRecoveryAreReported();
    void stopFinishesCleanly();
    void openingAnotherProfileStopsItsRunFirst();
    void progressIsWeightedByRows();
    void historyAndLogSurviveARestart();
    void healthServerFollowsTheWindowsRuns();
    void openSourceTransactionIsShownAndRowsAreRechecked();
    void withoutProcessTheMonitorSaysWhatToGrant();

private:
    bool allIn(TableRunState state) const;

    std::unique_ptr<test::SandboxPair> m_sandbox;
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;
    QString m_env;
    QString m_tables;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunMonitor::initTestCase()
{
    m_sandbox = std::make_unique<test::SandboxPair>(u"gui_run"_qs);
    test::TestDb &source = *m_sandbox->source;
    source.exec(u"CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), updated_at DATETIME(6) NOT NULL, "
                "KEY idx_updated (updated_at))"_qs);
    source.exec(u"INSERT INTO items WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
                "SELECT i, CONCAT('item ', i), TIMESTAMPADD(SECOND, i, '2024-01-01') FROM n"_qs);
    source.exec(u"CREATE TABLE prices (sku VARCHAR(10) PRIMARY KEY, price DECIMAL(10,4))"_qs);
    source.exec(u"INSERT INTO prices VALUES ('A', 1.5), ('B', 2.25), ('C', 0.0001)"_qs);
    source.exec(u"CREATE TABLE order_lines (order_id INT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))"_qs);
    source.exec(
        u"INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
        "SELECT i DIV 5, i MOD 5, i FROM n"_qs);
    // Long enough (200 batches) that a stop always lands in the middle of it.
    source.exec(u"CREATE TABLE big_items (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, KEY (updated_at))"_qs);
    source.exec(u"INSERT INTO big_items SELECT seq, TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_100000"_qs);
    m_env = m_dir.filePath(u".env"_qs);
    m_tables = m_dir.filePath(u"tables.json"_qs);
    QByteArray env = test::envFor(m_sandbox->settings);
    env += "SYNC_WORKERS=2\n";
    test::writeText(m_env, env);
    test::writeText(
        m_tables,
        "[{\"table\": \"items\", \"primary_key\": \"id\", \"modifier\": \"updated_at\", \"batch_size\": 1000},\n"
        " {\"table\": \"prices\", \"primary_key\": \"sku\"},\n"
        " {\"table\": \"order_lines\", \"primary_key\": [\"order_id\", \"line_no\"], \"batch_size\": 1000}]\n");
}

void TestRunMonitor::init()
{
    test::useTemporarySettings(m_settings);
    test::openWindow(m_window, m_env, m_tables);
}

void TestRunMonitor::cleanup()
{
    m_window.reset(); // stops the engine and joins its threads
}

bool TestRunMonitor::allIn(TableRunState state) const
{
    RunTableModel *model = m_window->runTableModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (TableRunState(model->index(row, 0).data(RunTableModel::StateRole).toInt()) != state)
            return false;
    }
    return model->rowCount() > 0;
}

void TestRunMonitor::runReachesDoneForEveryTable()
{
    RunTableModel *model = m_window->runTableModel();
    QTRY_COMPARE(model->rowCount(), 3);
    QVERIFY(allIn(TableRunState::Idle));
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());

    QSignalSpy started(m_window->runController(), &RunController::runStarted);
    QSignalSpy batches(m_window->runController(), &RunController::batchCommitted);
    m_window->runNowAction()->trigger();
    QCOMPARE(m_window->currentPage(), MainWindow::MonitorPageIndex);
    QVERIFY(m_window->runController()->isRunning());
    QVERIFY(!m_window->runNowAction()->isEnabled());
    QVERIFY(m_window->stopAction()->isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(allIn(TableRunState::Done), 60000);
    QTRY_VERIFY(!m_window->runController()->isRunning());
    QCOMPARE(started.size(), 1);
    QVERIFY(batches.size() >= 5 + 3); // items and order_lines in pages of 1000 rows

    // Each row counted its rows; the progress column reads "n of ~n" and stays as a full bar.
    const auto rowsOf = [&](const QString &table) { return model->row(table)->rowsDone; };
    QCOMPARE(rowsOf(u"items"_qs), 5000);
    QCOMPARE(rowsOf(u"prices"_qs), 3);
    QCOMPARE(rowsOf(u"order_lines"_qs), 2500);
    const int items = 0;
    QCOMPARE(model->index(items, RunTableModel::StrategyColumn).data().toString(), u"incremental"_qs);
    QCOMPARE(model->index(items, RunTableModel::StateColumn).data().toString(), u"done"_qs);
    QCOMPARE(model->index(items, RunTableModel::ProgressColumn).data().toString(), u"5,000 of ~5,000"_qs);
    QVERIFY(!model->index(items, RunTableModel::RateColumn).data().toString().isEmpty());
    QVERIFY(model->row(u"items"_qs)->lastSuccess.isValid());
    QVERIFY(model->index(items, RunTableModel::LastErrorColumn).data().toString().isEmpty());
    QCOMPARE(m_window->monitorPage()->overallProgress()->value(), 1000);
    QVERIFY2(m_window->monitorPage()->headline()->text().contains(u"3 of 3 tables synced"_qs),
             qPrintable(m_window->monitorPage()->headline()->text()));

    // The target has the rows.
    QCOMPARE(m_sandbox->target->count(u"items"_qs), 5000);
    QCOMPARE(m_sandbox->target->count(u"order_lines"_qs), 2500);

    // History, log and pools.
    RunHistoryModel *history = m_window->historyModel();
    QCOMPARE(history->rowCount(), 1);
    QCOMPARE(history->index(0, RunHistoryModel::ResultColumn).data().toString(), u"synced"_qs);
    QCOMPARE(history->index(0, RunHistoryModel::RowsColumn).data().toString(), u"7,503"_qs);
    LogModel *log = m_window->logModel();
    QStringList lines;
    for (int row = 0; row < log->rowCount(); ++row)
        lines << LogModel::format(log->lineAt(row));
    const QString text = lines.join(u'\n');
    QVERIFY2(text.contains(u"[items] done: 5000 row(s)"_qs), qPrintable(text));
    QVERIFY(text.contains(u"Source pool status - Size: 20, Checked out: "_qs));
    // Filtered to one table, the log shows only its lines.
    LogFilterModel *filter = m_window->logPage()->filter();
    filter->setTable(u"prices"_qs);
    QVERIFY(filter->rowCount() > 0);
    for (int row = 0; row < filter->rowCount(); ++row)
        QCOMPARE(filter->index(row, LogModel::TableColumn).data().toString(), u"prices"_qs);
    filter->setTable({});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->poolPage()->sourcePanel()->chart()->sampleCount() > 0, 5000);
    QVERIFY(m_window->poolPage()->sourcePanel()->valueText(u"checkedOut"_qs).endsWith(u"/ 20"_qs));

    // A second run finds nothing new for the incremental table and is recorded too.
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && history->rowCount() == 2, 60000);
    QVERIFY(allIn(TableRunState::Done));
}

void TestRunMonitor::failureAndRecoveryAreReported()
{
    TableListModel *tables = m_window->document()->tables();
    QVERIFY(tables->setData(tables->index(1, TableListModel::ModifierColumn), u"no_such_column"_qs));
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && m_window->historyModel()->rowCount() == 1,
                             60000);
    RunTableModel *model = m_window->runTableModel();
    QCOMPARE(model->row(u"prices"_qs)->state, TableRunState::Failed);
    QVERIFY2(model->row(u"prices"_qs)->lastError.contains(u"no_such_column"_qs),
             qPrintable(model->row(u"prices"_qs)->lastError));
    QCOMPARE(model->row(u"items"_qs)->state, TableRunState::Done); // one failing table never stops the others
    QCOMPARE(m_window->historyModel()->index(0, RunHistoryModel::ResultColumn).data().toString(), u"1 failed"_qs);
    QCOMPARE(m_window->tray()->status(), TrayController::Status::Error);
    QVERIFY2(m_window->tray()->lastNotification().contains(u"1 table failed"_qs),
             qPrintable(m_window->tray()->lastNotification()));
    QVERIFY(m_window->monitorPage()->headline()->text().contains(u"failed"_qs));

    QVERIFY(tables->setData(tables->index(1, TableListModel::ModifierColumn), QString()));
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && m_window->historyModel()->rowCount() == 2,
                             60000);
    QVERIFY(allIn(TableRunState::Done));
    QVERIFY(model->row(u"prices"_qs)->lastError.isEmpty());
    QCOMPARE(m_window->tray()->status(), TrayController::Status::Idle);
    QVERIFY2(m_window->tray()->lastNotification().contains(u"synced again"_qs),
             qPrintable(m_window->tray()->lastNotification()));
}

void TestRunMonitor::stopFinishesCleanly()
{
    QSignalSpy batches(m_window->runController(), &RunController::batchCommitted);
    m_window->runNow();
    QVERIFY(m_window->runController()->isRunning());
    QVERIFY(batches.wait(30000)); // stopped in the middle of the work, not before it began
    m_window->stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning(), 60000);
    // Whatever had started finished its batch; nothing is left "running" or "queued".
    RunTableModel *model = m_window->runTableModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto state = TableRunState(model->index(row, 0).data(RunTableModel::StateRole).toInt());
        QVERIFY(state == TableRunState::Done || state == TableRunState::Stopped);
    }
    // A stopped run is said to be one, with the stopped sign, never the green check of a success.
    if (model->countIn(TableRunState::Stopped) > 0) {
        auto *headline = m_window->findChild<QLabel *>(u"runHeadline"_qs);
        QVERIFY2(headline->text().startsWith(u"Last run stopped"_qs), qPrintable(headline->text()));
        QCOMPARE(m_window->historyModel()->index(0, RunHistoryModel::ResultColumn).data().toString(), u"stopped"_qs);
    }
    // A stopped engine is retired; the next run gets a new one and completes.
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);
}

// Opening another profile while a sync runs asks, stops the run (its batch in flight committed)
// and only then opens: the run is shown, remembered and journaled as the first profile's, never
// the second's, and it is remembered as stopped.
void TestRunMonitor::openingAnotherProfileStopsItsRunFirst()
{
    const QString bigEnv = m_dir.filePath(u"big.env"_qs);
    const QString bigTables = m_dir.filePath(u"big.tables.json"_qs);
    QFile::remove(bigEnv);
    QVERIFY(QFile::copy(m_env, bigEnv));
    test::writeText(bigTables, "[{\"table\": \"big_items\", \"primary_key\": \"id\", \"modifier\": \"updated_at\", "
                               "\"batch_size\": 500}]\n");
    auto cleanTarget = qScopeGuard([this] { m_sandbox->target->exec(u"DROP TABLE IF EXISTS big_items"_qs); });
    QVERIFY(m_window->openProfile(bigEnv, bigTables));
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    QSignalSpy batches(m_window->runController(), &RunController::batchCommitted);
    m_window->runNow();
    QVERIFY(batches.wait(30000));

    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    m_window->setConfirmHandler([&](const QString &title, const QString &, QMessageBox::StandardButtons) {
        asked << title;
        return answer;
    });
    // Declined: the run goes on, the profile stays.
    m_window->requestOpenProfile(m_env, m_tables);
    QCOMPARE(asked, QStringList{u"A sync is running"_qs});
    QVERIFY(m_window->runController()->isRunning());
    // Accepted: stopped first, opened after.
    answer = QMessageBox::Yes;
    m_window->requestOpenProfile(m_env, m_tables);
    QCOMPARE(m_window->document()->envPath(), bigEnv);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->document()->envPath(), m_env, 60000);
    QVERIFY(!m_window->runController()->isRunning());
    QCOMPARE(m_window->historyModel()->rowCount(), 0); // nothing of the other profile's run
    for (int row = 0; row < m_window->logModel()->rowCount(); ++row)
        QVERIFY2(m_window->logModel()->lineAt(row).table != u"big_items"_qs,
                 qPrintable(LogModel::format(m_window->logModel()->lineAt(row))));
    const qint64 copied = m_sandbox->target->count(u"big_items"_qs);
    QVERIFY2(copied > 0 && copied < 100000, qPrintable(QString::number(copied)));

    // The first profile remembers its run, as stopped.
    m_window->requestOpenProfile(bigEnv, bigTables);
    QCOMPARE(m_window->document()->envPath(), bigEnv);
    QCOMPARE(m_window->historyModel()->rowCount(), 1);
    QCOMPARE(m_window->historyModel()->index(0, RunHistoryModel::ResultColumn).data().toString(), u"stopped"_qs);
    bool logged = false;
    for (int row = 0; row < m_window->logModel()->rowCount(); ++row)
        logged = logged || m_window->logModel()->lineAt(row).table == u"big_items"_qs;
    QVERIFY(logged);
}

// Nine small tables done and a big one barely started is not "90%": the bar weighs rows, and a
// table not started yet weighs what it did last time.
void TestRunMonitor::progressIsWeightedByRows()
{
    RunTableModel model;
    QList<std::pair<QString, QString>> tables;
    QStringList names;
    for (int i = 0; i < 10; ++i) {
        tables.append({QStringLiteral("t%1").arg(i), u"full refresh"_qs});
        names << tables.constLast().first;
    }
    model.setTables(tables);
    const auto finishTheSmallOnes = [&] {
        for (int i = 0; i < 9; ++i) {
            model.onTableStarted(names[i], u"full refresh"_qs);
            TableResult done;
            done.table = names[i];
            done.rowsWritten = 100;
            model.onTableFinished(done);
        }
    };
    model.onRunStarted(names);
    finishTheSmallOnes();
    model.onTableStarted(u"t9"_qs, u"full refresh"_qs);
    model.onBatchCommitted(u"t9"_qs, 10000, 1000000);
    QVERIFY2(model.overallProgress() < 20, qPrintable(QString::number(model.overallProgress()))); // 1.1%, not 90%
    TableResult big;
    big.table = u"t9"_qs;
    big.rowsWritten = 1000000;
    model.onTableFinished(big);
    QCOMPARE(model.overallProgress(), 1000);

    // The next run: before the big table starts, it already weighs its million rows.
    model.onRunStarted(names);
    finishTheSmallOnes();
    QVERIFY2(model.overallProgress() < 5, qPrintable(QString::number(model.overallProgress())));
    QVERIFY(!model.work().estimated);
}

// The desktop app keeps each profile's run history and log: after a restart the monitor still
// knows the last success, and the Log page still shows the last run.
void TestRunMonitor::historyAndLogSurviveARestart()
{
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && m_window->historyModel()->rowCount() == 1,
                             60000);
    const QString loadId = m_window->historyModel()->runAt(0).loadId;
    const int logLines = m_window->logModel()->rowCount();
    QVERIFY(logLines > 3);

    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_env, m_tables);
    m_window->show();
    QCOMPARE(m_window->historyModel()->rowCount(), 1);
    QCOMPARE(m_window->historyModel()->runAt(0).loadId, loadId);
    QCOMPARE(m_window->historyModel()->index(0, RunHistoryModel::ResultColumn).data().toString(), u"synced"_qs);
    QCOMPARE(m_window->logModel()->rowCount(), logLines);
    bool started = false;
    for (int row = 0; row < logLines; ++row)
        started = started || m_window->logModel()->lineAt(row).message.startsWith(u"run "_qs + loadId + u" started"_qs);
    QVERIFY(started);
    RunTableModel *model = m_window->runTableModel();
    QTRY_COMPARE(model->rowCount(), 3);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY2(model->rowAt(row).lastSuccess.isValid(), qPrintable(model->rowAt(row).table));
    // The log is a plain text file too, for tail -f.
    QDir data(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/profiles"_qs);
    const QStringList profiles = data.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(profiles.size(), 1);
    QVERIFY(test::readText(data.filePath(profiles.first() + u"/tablesync.log"_qs))
                .contains(QByteArray(" INFO run " + loadId.toUtf8())));
}

// The window serves /, /status and the rest as the headless service does, following its engine.
void TestRunMonitor::healthServerFollowsTheWindowsRuns()
{
    // By default the window leaves HEALTH_PORT to the headless service: both can run on one machine.
    ConfigErrors errors;
    const EnvFile env = EnvFile::load(m_env, errors);
    const quint16 servicePort = quint16(env.value(u"HEALTH_PORT"_qs).toInt());
    QTcpServer serviceStandIn;
    QVERIFY2(serviceStandIn.listen(QHostAddress::LocalHost, servicePort), "the service's port is free");
    serviceStandIn.close();

    // Turned on, the window serves on a port of its own.
    auto *serve = m_window->findChild<QCheckBox *>(u"windowHealthServer"_qs);
    auto *windowPort = m_window->findChild<QSpinBox *>(u"windowHealthPort"_qs);
    QVERIFY(serve && windowPort);
    QCOMPARE(windowPort->value(), 8090); // suggested: next to the service's 8089, not on it
    const quint16 port = quint16(test::freePort());
    windowPort->setValue(port);
    serve->click();
    QCOMPARE(GuiSettings::windowHealthPort(), int(port));
    const auto get = [port](const QByteArray &path) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(5000))
            return QByteArray();
        socket.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        QByteArray answer;
        while (socket.state() == QAbstractSocket::ConnectedState || socket.bytesAvailable() > 0) {
            // The server runs on this (the GUI) thread: let its event loop turn while we wait.
            QTest::qWait(10);
            answer += socket.readAll();
        }
        return answer;
    };
    QTRY_VERIFY(get("/").contains("We are Groot!"));

    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNowAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(allIn(TableRunState::Done), 60000);
    QTRY_VERIFY(!m_window->runController()->isRunning());
    const QByteArray status = get("/status");
    QVERIFY2(status.startsWith("HTTP/1.1 200"), status.constData());
    const QJsonObject document = QJsonDocument::fromJson(status.mid(status.indexOf("\r\n\r\n") + 4)).object();
    QStringList names;
    for (const QJsonValue &table : document.value(u"tables"_qs).toArray()) {
        const QJsonObject t = table.toObject();
        names << t.value(u"name"_qs).toString();
        if (t.value(u"name"_qs).toString() == u"prices") { // a full refresh: all 3 rows every run
            QCOMPARE(t.value(u"rows_this_run"_qs).toInt(), 3);
            QVERIFY(!t.value(u"last_success_at"_qs).isNull());
        }
    }
    names.sort();
    QCOMPARE(names, (QStringList{u"items"_qs, u"order_lines"_qs, u"prices"_qs}));
}

// A writing transaction left open on the source holds the incremental cursor back: the monitor names
// it, and rows committed after it began are read again (counted as re-checked, not written).
void TestRunMonitor::openSourceTransactionIsShownAndRowsAreRechecked()
{
    RunTableModel *model = m_window->runTableModel();
    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);

    test::TestDb holder(m_sandbox->settings.source);
    const qint64 connection = holder.scalar(u"SELECT CONNECTION_ID()"_qs).toLongLong();
    holder.exec(u"START TRANSACTION"_qs);
    holder.exec(u"UPDATE prices SET price = price + 1 WHERE sku = 'A'"_qs); // a writer, on another table
    QTest::qWait(1100); // the item below is stamped a whole second after the writer began
    m_sandbox->source->exec(u"UPDATE items SET name = 'renamed', updated_at = NOW(6) WHERE id = 7"_qs);

    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);
    const int items = 0;
    QCOMPARE(model->row(u"items"_qs)->rowsDone, 1);
    const QString shown = model->index(items, RunTableModel::SourceWritersColumn).data().toString();
    QVERIFY2(shown.startsWith(u"oldest "_qs), qPrintable(shown));
    const QString tip = model->index(items, RunTableModel::SourceWritersColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"has been open for"_qs), qPrintable(tip));

    // The writer is still open: the next run reads row 7 again and finds it unchanged in the target.
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);
    QCOMPARE(model->row(u"items"_qs)->rowsDone, 0);
    QCOMPARE(model->row(u"items"_qs)->rowsRechecked, 1);
    QCOMPARE(model->index(items, RunTableModel::ProgressColumn).data().toString(), u"0 written · 1 re-checked"_qs);
    holder.exec(u"ROLLBACK"_qs);
    QTest::qWait(1200); // the workers of one process share a transaction list for a second
    QVERIFY(m_window->monitorPage()->horizonBanner()->isHidden()); // open for seconds, not worth a banner

    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);
    // Other tests may hold transactions on the same server: only this one's absence is certain.
    const QString after = model->index(items, RunTableModel::SourceWritersColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(!after.contains(QStringLiteral("(connection %1,").arg(connection)), qPrintable(after));
}

// A source user without PROCESS: the tables still sync, the column and a banner say why late
// commits are at risk, and the banner names the GRANT for this very user.
void TestRunMonitor::withoutProcessTheMonitorSaysWhatToGrant()
{
    const Settings settings = test::withSelectOnlySourceUser(*m_sandbox, u"tsguinoproc"_qs);
    QTemporaryDir dir;
    const QString env = dir.filePath(u".env"_qs);
    test::writeText(env, test::envFor(settings) + "SYNC_WORKERS=2\n");
    const QString tables = dir.filePath(u"tables.json"_qs);
    test::writeText(tables, "[{\"table\": \"items\", \"primary_key\": \"id\", \"modifier\": \"updated_at\"}]\n");
    m_window = std::make_unique<MainWindow>(env, tables);
    m_window->resize(1024, 700);
    m_window->show();

    QTRY_VERIFY(m_window->runNowAction()->isEnabled());
    m_window->runNow();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isRunning() && allIn(TableRunState::Done), 60000);
    RunTableModel *model = m_window->runTableModel();
    QCOMPARE(model->index(0, RunTableModel::SourceWritersColumn).data().toString(), u"not visible"_qs);
    QVERIFY(model->index(0, RunTableModel::SourceWritersColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"lacks the PROCESS privilege"_qs));
    MessageBanner *banner = m_window->monitorPage()->horizonBanner();
    QTRY_VERIFY(banner->isVisible());
    QCOMPARE(banner->kind(), MessageBanner::Kind::Warning);
    QVERIFY2(banner->details().contains(u"GRANT PROCESS ON *.* TO 'tsguinoproc'"_qs), qPrintable(banner->details()));
    m_window.reset();
    m_sandbox->source->exec(u"DROP USER 'tsguinoproc'@'127.0.0.1'"_qs);
}

QTEST_MAIN(TestRunMonitor)
#include "tst_runmonitor.moc"
