// Verify and Repair from the window against the sandbox: drift made behind the tool's back is
// reported per table with the right counts and sample keys, Repair (after a confirmation that
// says what it will do) fixes the target and the report then says identical; the window keeps
// turning its event loop while the comparison runs, and syncs and verifications take turns.
#include "GuiTestSupport.h"
#include "TestSandbox.h"
#include "TestWindow.h"

#include "LogModel.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "RunController.h"
#include "VerifyActions.h"
#include "VerifyController.h"
#include "VerifyPage.h"
#include "VerifyReportModel.h"

#include <QAction>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

using namespace tablesync;

class TestVerifyPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void verifyReportsDriftAndRepairFixesIt();
    void verifySelectedComparesOnlyThoseTables();
    void syncsAndVerificationsTakeTurns();
    void aTableThatCannotBeComparedIsReported();

private:
    QList<TableSpec> specs() const;
    bool waitUntilIdle();
    QString cell(const QString &table, int column) const;
    QString logText() const;

    std::unique_ptr<test::SandboxPair> m_sandbox;
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;
    QString m_env;
    QString m_tables;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_confirmations; // the texts of the confirmations asked
    QMessageBox::StandardButton m_repairAnswer = QMessageBox::Yes;
};

QList<TableSpec> TestVerifyPage::specs() const
{
    return {test::tableSpec(u"items"_qs, {u"id"_qs}, u"updated_at"_qs, 10000),
            test::tableSpec(u"prices"_qs, {u"sku"_qs})};
}

void TestVerifyPage::initTestCase()
{
    m_sandbox = std::make_unique<test::SandboxPair>(u"gui_verify"_qs);
    test::TestDb &source = *m_sandbox->source;
    // Big enough for several chunks of 10,000 keys, so the comparison reports progress in steps.
    source.exec(u"CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), updated_at DATETIME(6) NOT NULL, "
                "KEY idx_updated (updated_at))"_qs);
    source.exec(u"INSERT INTO items SELECT seq, CONCAT('item ', seq), TIMESTAMPADD(SECOND, seq, '2024-01-01') "
                "FROM seq_1_to_60000"_qs);
    source.exec(u"CREATE TABLE prices (sku VARCHAR(10) PRIMARY KEY, price DECIMAL(10,4))"_qs);
    source.exec(u"INSERT INTO prices VALUES ('A', 1.5), ('B', 2.25), ('C', 0.0001)"_qs);
    const test::RunOutcome synced = test::runSync(m_sandbox->settings, specs());
    QVERIFY2(synced.summary.allSucceeded(), qPrintable(synced.log()));

    m_env = m_dir.filePath(u".env"_qs);
    m_tables = m_dir.filePath(u"tables.json"_qs);
    test::writeText(m_env, test::envFor(m_sandbox->settings));
    test::writeText(m_tables, "[{\"table\": \"items\", \"primary_key\": \"id\", \"modifier\": \"updated_at\", "
                              "\"batch_size\": 10000},\n"
                              " {\"table\": \"prices\", \"primary_key\": \"sku\"}]\n");
}

void TestVerifyPage::init()
{
    // Every test starts from a target identical to the source (a test before may have left drift).
    test::TestDb &target = *m_sandbox->target;
    if (target
            .scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                    "TABLE_NAME = 'prices_away'"_qs)
            .toInt() > 0)
        target.exec(u"RENAME TABLE prices_away TO prices"_qs);
    Settings repair = m_sandbox->settings;
    repair.runMode = Settings::RunMode::Repair;
    const test::RunOutcome repaired = test::runSync(repair, specs());
    QVERIFY2(repaired.summary.allSucceeded() && repaired.summary.differingCount() == 0, qPrintable(repaired.log()));

    test::useTemporarySettings(m_settings);
    m_confirmations.clear();
    m_repairAnswer = QMessageBox::Yes;
    test::openWindow(m_window, m_env, m_tables,
                     [this](const QString &title, const QString &text, QMessageBox::StandardButtons) {
                         if (!title.contains(u"Repair"_qs))
                             return QMessageBox::Discard;
                         m_confirmations << text;
                         return m_repairAnswer;
                     });
    QTRY_COMPARE(m_window->verifyReport()->rowCount(), 2);
    QTRY_VERIFY(m_window->verifyActions()->verifyAllAction()->isEnabled());
}

void TestVerifyPage::cleanup()
{
    m_window.reset(); // stops the engines and joins their threads
}

bool TestVerifyPage::waitUntilIdle()
{
    QElapsedTimer timer;
    timer.start();
    while (m_window->verifyController()->isRunning() || m_window->runController()->isRunning()) {
        if (timer.elapsed() > 120000)
            return false;
        QTest::qWait(20);
    }
    return true;
}

QString TestVerifyPage::cell(const QString &table, int column) const
{
    const VerifyReportModel *report = m_window->verifyReport();
    for (int row = 0; row < report->rowCount(); ++row) {
        if (report->rowAt(row).table == table)
            return report->index(row, column).data().toString();
    }
    return u"<no row for "_qs + table + u'>';
}

QString TestVerifyPage::logText() const
{
    QStringList lines;
    const LogModel *log = m_window->logModel();
    for (int row = 0; row < log->rowCount(); ++row)
        lines << LogModel::format(log->lineAt(row));
    return lines.join(u'\n');
}

void TestVerifyPage::verifyReportsDriftAndRepairFixesIt()
{
    // Drift behind the tool's back: a changed value and an extra row in the target, a row missing.
    test::TestDb &target = *m_sandbox->target;
    target.exec(u"UPDATE items SET name = 'changed behind its back' WHERE id = 1234"_qs);
    target.exec(u"INSERT INTO items (id, name, updated_at, _dlt_load_id, _dlt_id) "
                "VALUES (99999, 'intruder', NOW(), '1', 'x')"_qs);
    target.exec(u"DELETE FROM prices WHERE sku = 'B'"_qs);

    VerifyController *verifier = m_window->verifyController();
    VerifyActions *actions = m_window->verifyActions();
    VerifyReportModel *report = m_window->verifyReport();
    QVERIFY(!actions->repairAction()->isEnabled()); // nothing known to differ yet

    // A timer on the window's thread measures how long the event loop goes without turning
    // while the comparison runs in the engine's threads.
    int ticksInFlight = 0;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceTick;
    QTimer probe;
    probe.setInterval(10);
    connect(&probe, &QTimer::timeout, this, [&] {
        if (verifier->isRunning()) {
            ++ticksInFlight;
            longestGapMs = std::max(longestGapMs, sinceTick.elapsed());
        }
        sinceTick.restart();
    });
    sinceTick.start();
    probe.start();
    QSignalSpy progress(verifier, &VerifyController::rowsCompared);

    actions->verifyAllAction()->trigger();
    QCOMPARE(m_window->currentPage(), MainWindow::VerifyPageIndex);
    QVERIFY(verifier->isRunning());
    QVERIFY(!actions->verifyAllAction()->isEnabled());
    QVERIFY(!actions->repairAction()->isEnabled());
    QVERIFY(actions->stopAction()->isEnabled());
    QVERIFY(!m_window->runNowAction()->isEnabled()); // no sync while the target is compared
    QVERIFY(!m_window->runController()->runNow());
    QVERIFY(waitUntilIdle());
    probe.stop();

    // Responsive: the event loop turned all along, and progress arrived before the end.
    QVERIFY2(ticksInFlight >= 3, qPrintable(QString::number(ticksInFlight)));
    QVERIFY2(longestGapMs < 1500, qPrintable(QString::number(longestGapMs)));
    bool partial = false;
    for (const QList<QVariant> &call : std::as_const(progress))
        partial |= call.at(0).toString() == u"items" && call.at(1).toLongLong() > 0 && call.at(1).toLongLong() < 60000;
    QVERIFY2(partial, "no progress report in the middle of the items table");

    // The report, as the window shows it.
    const VerifyReportModel::Row *items = report->row(u"items"_qs);
    const VerifyReportModel::Row *prices = report->row(u"prices"_qs);
    QCOMPARE(items->verdict, VerifyReportModel::Verdict::Differs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ResultColumn), u"differs: 2 rows"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::MissingColumn), u"0"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ExtraColumn), u"1"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::DifferentColumn), u"1"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ProgressColumn), u"60,000 of ~60,000 rows"_qs);
    const QString itemKeys = cell(u"items"_qs, VerifyReportModel::SampleKeysColumn);
    QVERIFY2(itemKeys.contains(u"different 1234"_qs) && itemKeys.contains(u"extra 99999"_qs), qPrintable(itemKeys));
    QCOMPARE(prices->verdict, VerifyReportModel::Verdict::Differs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::MissingColumn), u"1"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::ExtraColumn), u"0"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::DifferentColumn), u"0"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::SampleKeysColumn), u"missing 'B'"_qs);
    VerifyPage *page = m_window->verifyPage();
    QCOMPARE(page->headline()->text(), u"2 of 2 tables differ: 1 row missing, 1 extra, 1 different"_qs);
    // Below the list, the report in full: every table, or the selected ones.
    const QString full = page->details()->toPlainText();
    QVERIFY2(
        full.contains(u"items: differs: 2 rows (0 missing, 1 extra, 1 different)"_qs) &&
            full.contains(u"prices: differs: 1 row (1 missing, 0 extra, 0 different)\n  sample keys: missing 'B'"_qs),
        qPrintable(full));
    page->reportView()->selectRow(0);
    const QString selected = page->details()->toPlainText();
    QVERIFY2(selected.startsWith(u"items: "_qs) && !selected.contains(u"prices"_qs), qPrintable(selected));
    QVERIFY2(selected.contains(u"sample keys: different 1234; extra 99999"_qs) ||
                 selected.contains(u"sample keys: extra 99999; different 1234"_qs),
             qPrintable(selected));
    QVERIFY2(logText().contains(u"[items] differs: 0 row(s) missing, 1 extra, 1 different"_qs), qPrintable(logText()));
    QVERIFY(m_window->runNowAction()->isEnabled()); // syncs may run again

    // Repair asks first, in the real dialog, where Enter answers Cancel: nothing happens.
    QVERIFY(actions->repairAction()->isEnabled());
    m_window->setConfirmHandler({});
    const test::EnterInNextMessageBox enter(this);
    actions->repairAction()->trigger();
    QCOMPARE(enter.pressed(), QMessageBox::Cancel);
    QVERIFY(!verifier->isRunning());
    QCOMPARE(target.count(u"items"_qs), 60001);

    // It says what it will do; declined, nothing happens.
    m_window->setConfirmHandler([this](const QString &, const QString &text, QMessageBox::StandardButtons) {
        m_confirmations << text;
        return m_repairAnswer;
    });
    m_repairAnswer = QMessageBox::Cancel;
    actions->repairAction()->trigger();
    QCOMPARE(m_confirmations.size(), 1);
    const QString question = m_confirmations.first();
    QVERIFY2(question.contains(u"Repair 2 tables (items, prices)?"_qs), qPrintable(question));
    QVERIFY2(question.contains(u"2 rows will be rewritten from the source (1 missing, 1 different)"_qs),
             qPrintable(question));
    QVERIFY2(question.contains(u"1 extra row will be deleted"_qs), qPrintable(question));
    QVERIFY(!verifier->isRunning());
    QCOMPARE(target.count(u"items"_qs), 60001);

    // Accepted, the target is fixed and the report, compared again, says identical.
    m_repairAnswer = QMessageBox::Yes;
    actions->repairAction()->trigger();
    QVERIFY(verifier->isRunning());
    QCOMPARE(verifier->mode(), VerifyController::Mode::Repair);
    QVERIFY(waitUntilIdle());
    QVERIFY(target.dump(u"items"_qs, u"id"_qs) == m_sandbox->source->dump(u"items"_qs, u"id"_qs));
    QVERIFY(target.dump(u"prices"_qs, u"sku"_qs) == m_sandbox->source->dump(u"prices"_qs, u"sku"_qs));
    QCOMPARE(report->row(u"items"_qs)->verdict, VerifyReportModel::Verdict::Identical);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ResultColumn), u"identical (repaired 2 rows)"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::ResultColumn), u"identical (repaired 1 row)"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ExtraColumn), u"0"_qs);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::SampleKeysColumn), QString());
    QCOMPARE(page->headline()->text(), u"All 2 tables identical"_qs);
    QVERIFY(!actions->repairAction()->isEnabled());
    QVERIFY2(logText().contains(u"[items] repaired: 2 row(s) rewritten or deleted; now identical"_qs),
             qPrintable(logText()));

    // A plain verification afterwards agrees.
    actions->verifyAllAction()->trigger();
    QVERIFY(waitUntilIdle());
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ResultColumn), u"identical"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::ResultColumn), u"identical"_qs);
    QCOMPARE(page->headline()->text(), u"All 2 tables identical"_qs);
}

void TestVerifyPage::verifySelectedComparesOnlyThoseTables()
{
    m_sandbox->target->exec(u"UPDATE prices SET price = price + 0.0001 WHERE sku = 'C'"_qs);
    VerifyActions *actions = m_window->verifyActions();
    m_window->showPage(MainWindow::VerifyPageIndex);
    QVERIFY(!actions->verifySelectedAction()->isEnabled()); // nothing selected yet
    m_window->verifyPage()->reportView()->selectRow(1);
    QVERIFY(actions->verifySelectedAction()->isEnabled());
    actions->verifySelectedAction()->trigger();
    QVERIFY(waitUntilIdle());

    VerifyReportModel *report = m_window->verifyReport();
    QCOMPARE(report->row(u"items"_qs)->verdict, VerifyReportModel::Verdict::NotVerified);
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ResultColumn), u"not verified yet"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::DifferentColumn), u"1"_qs);
    QCOMPARE(cell(u"prices"_qs, VerifyReportModel::SampleKeysColumn), u"different 'C'"_qs);
    const QString headline = m_window->verifyPage()->headline()->text();
    QVERIFY2(headline.startsWith(u"1 of 2 tables differs: 0 rows missing, 0 extra, 1 different"_qs) &&
                 headline.contains(u"1 not verified yet"_qs),
             qPrintable(headline));
    // A repair touches only what differed.
    QVERIFY(actions->repairAction()->isEnabled());
    actions->repairAction()->trigger();
    QVERIFY2(m_confirmations.value(0).contains(u"Repair 1 table (prices)?"_qs), qPrintable(m_confirmations.value(0)));
    QVERIFY(waitUntilIdle());
    QCOMPARE(report->row(u"prices"_qs)->verdict, VerifyReportModel::Verdict::Identical);
    QCOMPARE(report->row(u"items"_qs)->verdict, VerifyReportModel::Verdict::NotVerified);
}

void TestVerifyPage::syncsAndVerificationsTakeTurns()
{
    VerifyActions *actions = m_window->verifyActions();
    VerifyController *verifier = m_window->verifyController();
    m_window->runNowAction()->trigger();
    QVERIFY(m_window->runController()->isRunning());
    QVERIFY(!actions->verifyAllAction()->isEnabled());
    QVERIFY2(actions->verifyAllAction()->toolTip().contains(u"a sync is running"_qs),
             qPrintable(actions->verifyAllAction()->toolTip()));
    QVERIFY(!verifier->start(VerifyController::Mode::Verify));
    QVERIFY(waitUntilIdle());
    QVERIFY(actions->verifyAllAction()->isEnabled());

    actions->verifyAllAction()->trigger();
    QVERIFY(verifier->isRunning());
    QVERIFY(!m_window->runNowAction()->isEnabled());
    QVERIFY(!m_window->runController()->runNow());
    QVERIFY(waitUntilIdle());
    QVERIFY(m_window->runNowAction()->isEnabled());
    QCOMPARE(m_window->verifyPage()->headline()->text(), u"All 2 tables identical"_qs);
}

void TestVerifyPage::aTableThatCannotBeComparedIsReported()
{
    m_sandbox->target->exec(u"RENAME TABLE prices TO prices_away"_qs); // init() of the next test puts it back
    m_window->verifyActions()->verifyAllAction()->trigger();
    QVERIFY(waitUntilIdle());
    QCOMPARE(m_window->verifyReport()->row(u"prices"_qs)->verdict, VerifyReportModel::Verdict::Failed);
    QVERIFY2(cell(u"prices"_qs, VerifyReportModel::ResultColumn).startsWith(u"not verified: "_qs),
             qPrintable(cell(u"prices"_qs, VerifyReportModel::ResultColumn)));
    QCOMPARE(cell(u"items"_qs, VerifyReportModel::ResultColumn), u"identical"_qs);
    MessageBanner *banner = m_window->verifyPage()->banner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->text(), u"1 table could not be verified"_qs);
    QVERIFY2(banner->details().contains(u"prices"_qs), qPrintable(banner->details()));
    QVERIFY2(m_window->verifyPage()->headline()->text().contains(u"1 could not be verified"_qs),
             qPrintable(m_window->verifyPage()->headline()->text()));
    QVERIFY(!m_window->verifyActions()->repairAction()->isEnabled());
    m_sandbox->target->exec(u"RENAME TABLE prices_away TO prices"_qs);
}

QTEST_MAIN(TestVerifyPage)
#include "tst_verifypage.moc"
