// Not a test: takes the screenshots of README.md and docs/desktop-app.md. scripts/gui-screenshots.sh runs it under Xvfb
// on the demo profile. It drives the real window as a user would (test both connections, discover the source, run a
// sync) and saves a picture of each page once there is something to see. Then it makes drift in the target behind the
// tool's back (--target-sql) and photographs the Verify page's report of it.
#include "ConnectionsPage.h"
#include "MainWindow.h"
#include "PlanDialog.h"
#include "RunController.h"
#include "ServerForm.h"
#include "TableListModel.h"
#include "TablesPage.h"
#include "VerifyActions.h"
#include "VerifyController.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/DbTaskRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>

#include <QScrollArea>
#include <QScrollBar>

#include <cstdio>
#include <functional>

using namespace tablesync;

namespace {
void save(MainWindow &window, MainWindow::Page page, const QString &dir, const QString &name)
{
    window.showPage(page);
    // Two rounds of events: the page lays out, then paints.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    const QString path = QDir(dir).filePath(name + u".png"_qs);
    if (!window.grab().save(path))
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
    else
        std::printf("wrote %s\n", qPrintable(path));
}

// Runs the statements of a command-line option on a server (blocking this thread is fine here: it
// is no real window); on an error, says so and ends the program with status 1.
bool runStatements(const ConnectionSettings &server, const QStringList &statements, const char *option)
{
    try {
        DbConnection connection(server);
        connection.open();
        for (const QString &sql : statements)
            connection.exec(sql, QString::fromLatin1(option));
    } catch (const DbError &e) {
        std::fprintf(stderr, "%s: %s\n", option, qPrintable(e.message()));
        QCoreApplication::exit(1);
        return false;
    }
    return true;
}

// Runs `then` once the status bar's passing note (e.g. the health server's address, shown for a
// few seconds after the profile opens) has gone, so that no picture catches it.
void whenStatusBarIsClear(MainWindow &window, const std::function<void()> &then)
{
    auto *poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, then] {
        if (!window.statusBar()->currentMessage().isEmpty())
            return;
        poll->deleteLater();
        poll->stop();
        then();
    });
    poll->start(200);
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"tablesync"_qs);
    QApplication::setOrganizationName(u"tablesync"_qs);
    QCommandLineParser parser;
    parser.addOptions(
        {{u"env"_qs, u"the profile's .env"_qs, u"file"_qs},
         {u"tables"_qs, u"the profile's tables.json"_qs, u"file"_qs},
         {u"out"_qs, u"directory for the PNG files"_qs, u"dir"_qs},
         {u"target-sql"_qs, u"statements run on the target after the sync, before Verify"_qs, u"sql"_qs},
         {u"source-sql"_qs, u"statements run on the source after Verify, before the preview of the next run"_qs,
          u"sql"_qs}});
    parser.process(app);
    const QString out = parser.value(u"out"_qs);
    QDir().mkpath(out);

    MainWindow window(parser.value(u"env"_qs), parser.value(u"tables"_qs));
    window.resize(1024, 700);
    window.show();

    auto *runner = window.findChild<DbTaskRunner *>();
    int tested = 0;
    // 1. Both connections tested, 2. the source discovered, 3. a run, 4. the pictures.
    QObject::connect(runner, &DbTaskRunner::connectionTested, &window, [&] {
        if (++tested == 2)
            window.tablesPage()->discover();
    });
    QObject::connect(runner, &DbTaskRunner::tablesDiscovered, &window, [&] {
        // One row selected, so its details (a notice or warning) show under the list.
        window.showPage(MainWindow::TablesPageIndex);
        window.tablesPage()->view()->selectRow(1);
        window.runNow();
    });
    QObject::connect(window.runController(), &RunController::runFinished, &window, [&] {
        // A few pool samples for the chart.
        QTimer::singleShot(4000, &window, [&] {
            whenStatusBarIsClear(window, [&] {
                save(window, MainWindow::ConnectionsPageIndex, out, u"1-connections"_qs);
                // The rest of the page: options, passwords and the health server.
                if (auto *scroll = window.connectionsPage()->findChild<QScrollArea *>()) {
                    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
                    save(window, MainWindow::ConnectionsPageIndex, out, u"1b-connections-options"_qs);
                    scroll->verticalScrollBar()->setValue(0);
                }
                save(window, MainWindow::TablesPageIndex, out, u"2-tables"_qs);
                save(window, MainWindow::MonitorPageIndex, out, u"3-run-monitor"_qs);
                save(window, MainWindow::PoolPageIndex, out, u"4-pool"_qs);
                save(window, MainWindow::LogPageIndex, out, u"5-log"_qs);
                // Drift behind the tool's back.
                if (!runStatements(window.runController()->settings().target, parser.values(u"target-sql"_qs),
                                   "--target-sql"))
                    return;
                window.verifyActions()->verifyAllAction()->trigger();
            });
        });
    });
    QObject::connect(window.verifyController(), &VerifyController::verificationFinished, &window, [&] {
        // Nothing selected, so the report in full below the list shows every table.
        whenStatusBarIsClear(window, [&] {
            save(window, MainWindow::VerifyPageIndex, out, u"6-verify"_qs);
            // The application changes its schema: the preview shows what the next run would do.
            if (!runStatements(window.runController()->settings().source, parser.values(u"source-sql"_qs),
                               "--source-sql"))
                return;
            window.showPage(MainWindow::TablesPageIndex);
            window.previewRun();
            QObject::connect(window.planDialog(), &PlanDialog::planFinished, &window, [&] {
                PlanDialog *dialog = window.planDialog();
                dialog->tree()->setCurrentItem(dialog->tree()->topLevelItem(0));
                QCoreApplication::processEvents();
                QCoreApplication::processEvents();
                const QString path = QDir(out).filePath(u"7-plan.png"_qs);
                if (!dialog->grab().save(path))
                    std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
                else
                    std::printf("wrote %s\n", qPrintable(path));
                window.showPage(MainWindow::MonitorPageIndex);
                QCoreApplication::exit(0);
            });
        });
    });
    QTimer::singleShot(500, &window, [&] {
        window.connectionsPage()->sourceForm()->testConnection();
        window.connectionsPage()->targetForm()->testConnection();
    });
    QTimer::singleShot(120000, &app, [] {
        std::fprintf(stderr, "gave up after 2 minutes: is the sandbox running?\n");
        QCoreApplication::exit(1);
    });
    return app.exec();
}
