// tablesync: one binary, two faces. With --headless it runs the sync engine on a
// QCoreApplication and logs to stdout; otherwise it opens the desktop window.
#include "HeadlessRunner.h"
#include "HealthListener.h"
#include "UnixSignalWatcher.h"

#include "MainWindow.h"
#include "config/CommandLine.h"
#include "health/HealthServer.h"
#include "health/StatusBoard.h"
#include "sync/SyncService.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>
#include <memory>

using namespace tablesync;

namespace {
constexpr int kExitBadConfiguration = 2;

QStringList rawArguments(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

int runHeadless(int argc, char **argv, const Settings &settings)
{
    QCoreApplication app(argc, argv);
    // The health server serves a running service. A single pass (--once, INTERVAL=0) goes without:
    // the server would be gone when the pass ends, and a one-off sync must not fail because the
    // service on the same machine holds the port.
    const bool service = settings.intervalSeconds > 0;
    StatusBoard board(settings);
    HealthServer health(board);
    health.setAccessToken(settings.healthToken);
    HeadlessRunner runner(settings);
    const auto log = [](const QString &line) {
        QTextStream(stdout) << QDateTime::currentDateTime().toString(Qt::ISODateWithMs) << ' ' << line << Qt::endl;
    };
    HealthListener listener(health, settings.healthHost, settings.healthPort, log);
    if (service) {
        // HeadlessRunner keeps its SyncService to itself; its engine is what the board follows.
        const auto *syncService = runner.findChild<SyncService *>();
        Q_ASSERT(syncService);
        if (syncService)
            board.attach(syncService->engine());
        QString healthError;
        if (!listener.start(&healthError)) {
            QTextStream(stderr) << "tablesync: " << healthError << Qt::endl;
            return kExitBadConfiguration;
        }
    }
    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &runner, &HeadlessRunner::stop);
    QObject::connect(&runner, &HeadlessRunner::finished, &app, [](int status) { QCoreApplication::exit(status); });
    runner.start();
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    QTextStream err(stderr);
    QString error;
    const std::optional<CommandLine> commandLine = CommandLine::parse(rawArguments(argc, argv), error);
    if (!commandLine) {
        err << "tablesync: " << error << Qt::endl;
        return kExitBadConfiguration;
    }
    if (commandLine->showHelp) {
        QTextStream(stdout) << CommandLine::helpText();
        return 0;
    }
    if (commandLine->showVersion) {
        QTextStream(stdout) << "tablesync " << TABLESYNC_VERSION << " (Qt " << qVersion() << ")" << Qt::endl;
        return 0;
    }

    if (commandLine->headless || commandLine->once || commandLine->verify || commandLine->repair || commandLine->plan) {
        ConfigErrors errors;
        const Settings settings = commandLine->loadSettings(QProcessEnvironment::systemEnvironment(), errors);
        if (!errors.isEmpty()) {
            for (const ConfigError &e : std::as_const(errors))
                err << "tablesync: " << e.toString() << Qt::endl;
            err << "tablesync: nothing was synced; fix the configuration and run again" << Qt::endl;
            return kExitBadConfiguration;
        }
        return runHeadless(argc, argv, settings);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"tablesync"_qs);
    QApplication::setOrganizationName(u"tablesync"_qs);
    QApplication::setApplicationDisplayName(u"tablesync"_qs);
    QApplication::setApplicationVersion(QStringLiteral(TABLESYNC_VERSION));
    QGuiApplication::setDesktopFileName(u"tablesync"_qs);
    // Files named on the command line open even when missing (saving creates them); otherwise
    // ./.env and ./tables.json when present, else the last profile.
    const bool named = commandLine->envGiven || QFileInfo::exists(commandLine->envPath);
    MainWindow window(named ? commandLine->envPath : QString(), commandLine->tablesPath);
    window.show();
    return app.exec();
}
