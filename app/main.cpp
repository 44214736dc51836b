// tablesync: one binary, two faces. With --headless it runs the sync engine on a
// QCoreApplication and logs to stdout; otherwise it opens the desktop window.
#include "HeadlessRunner.h"
#include "UnixSignalWatcher.h"

#include "MainWindow.h"
#include "config/CommandLine.h"

#include <QApplication>
#include <QCoreApplication>
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
    HeadlessRunner runner(settings);
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

    if (commandLine->headless || commandLine->once || commandLine->verify || commandLine->repair) {
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
    MainWindow window(commandLine->envPath, commandLine->tablesPath);
    window.show();
    return app.exec();
}
