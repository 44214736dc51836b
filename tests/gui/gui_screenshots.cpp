// Not a test: takes the README's screenshots. scripts/gui-screenshots.sh runs it under Xvfb on the
// demo profile. It drives the real window as a user would (test both connections, discover the
// source, run a sync) and saves a picture of each page once there is something to see.
#include "ConnectionsPage.h"
#include "MainWindow.h"
#include "RunController.h"
#include "ServerForm.h"
#include "TableListModel.h"
#include "TablesPage.h"
#include "db/DbTaskRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTableView>
#include <QTimer>

#include <cstdio>

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
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"tablesync"_qs);
    QApplication::setOrganizationName(u"tablesync"_qs);
    QCommandLineParser parser;
    parser.addOptions({{u"env"_qs, u"the profile's .env"_qs, u"file"_qs},
                       {u"tables"_qs, u"the profile's tables.json"_qs, u"file"_qs},
                       {u"out"_qs, u"directory for the PNG files"_qs, u"dir"_qs}});
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
            save(window, MainWindow::ConnectionsPageIndex, out, u"1-connections"_qs);
            save(window, MainWindow::TablesPageIndex, out, u"2-tables"_qs);
            save(window, MainWindow::MonitorPageIndex, out, u"3-run-monitor"_qs);
            save(window, MainWindow::PoolPageIndex, out, u"4-pool"_qs);
            save(window, MainWindow::LogPageIndex, out, u"5-log"_qs);
            window.showPage(MainWindow::MonitorPageIndex);
            QCoreApplication::exit(0);
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
