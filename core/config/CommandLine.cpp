#include "config/CommandLine.h"

#include "config/EnvFile.h"
#include "config/ProfileFiles.h"
#include "config/TablesFile.h"

#include <QFileInfo>

namespace tablesync {

namespace {
std::optional<int> parseInt(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}
} // namespace

QString CommandLine::helpText()
{
    return u"Usage: tablesync [options]\n"
           "Keeps tables of a target MySQL/MariaDB database in step with a source database.\n"
           "Without --headless it opens the desktop window.\n"
           "\n"
           "Options:\n"
           "  --headless              run without a window; sync every INTERVAL seconds until SIGTERM/SIGINT\n"
           "  --once                  one pass over all tables, then exit (same as INTERVAL=0)\n"
           "  --env FILE              the .env file (default ./.env; the process environment overrides it)\n"
           "  --tables FILE           the tables.json file (default: NAME.tables.json beside\n"
           "                          --env NAME.env when there is one, else ./tables.json)\n"
           "  --interval SECONDS      seconds between syncs (overrides INTERVAL)\n"
           "  --table NAME            only this table of tables.json (repeatable)\n"
           "  --verify                compare every row of source and target (the _dlt_ columns aside),\n"
           "                          change nothing; exit 3 when anything differs\n"
           "  --repair                like --verify, then rewrite exactly the rows that differ\n"
           "  --plan                  say what the next run would do to each table (DDL, strategy, foreign\n"
           "                          keys and triggers, repairs, deletes), change nothing\n"
           "  --health-host ADDR      health server address (overrides HEALTH_HOST)\n"
           "  --health-port PORT      health server port (overrides HEALTH_PORT)\n"
           "  --version               print the version and exit\n"
           "  --help                  print this help and exit\n"
           "\n"
           "Passwords belong in the .env file or the environment, never on the command line.\n"
           "Exit status: 0 every table synced; 1 a table failed (the others still ran);\n"
           "2 bad configuration or arguments; 3 --verify found differences.\n"_qs;
}

std::optional<CommandLine> CommandLine::parse(const QStringList &arguments, QString &error)
{
    CommandLine cl;
    bool tablesGiven = false;
    // Hand-written rather than QCommandLineParser: it would print and exit on its own, and
    // we want every message and exit status under our control (and testable).
    for (int i = 1; i < arguments.size(); ++i) {
        QString arg = arguments[i];
        QString inlineValue;
        bool hasInline = false;
        if (arg.startsWith(u"--"_qs) && arg.contains(u'=')) {
            inlineValue = arg.mid(arg.indexOf(u'=') + 1);
            arg = arg.left(arg.indexOf(u'='));
            hasInline = true;
        }
        auto value = [&](QString &out) {
            if (hasInline) {
                out = inlineValue;
                return true;
            }
            if (i + 1 >= arguments.size()) {
                error = arg + u" needs a value"_qs;
                return false;
            }
            out = arguments[++i];
            return true;
        };
        QString v;
        if (arg == u"--headless") {
            cl.headless = true;
        } else if (arg == u"--once") {
            cl.once = true;
        } else if (arg == u"--verify") {
            cl.verify = true;
        } else if (arg == u"--repair") {
            cl.repair = true;
        } else if (arg == u"--plan") {
            cl.plan = true;
        } else if (arg == u"--version" || arg == u"-v") {
            cl.showVersion = true;
        } else if (arg == u"--help" || arg == u"-h") {
            cl.showHelp = true;
        } else if (arg == u"--env") {
            if (!value(cl.envPath))
                return std::nullopt;
            cl.envGiven = true;
        } else if (arg == u"--tables") {
            if (!value(cl.tablesPath))
                return std::nullopt;
            tablesGiven = true;
        } else if (arg == u"--table") {
            if (!value(v))
                return std::nullopt;
            if (v.isEmpty()) {
                error = u"--table needs a table name"_qs;
                return std::nullopt;
            }
            cl.onlyTables << v;
        } else if (arg == u"--interval") {
            if (!value(v))
                return std::nullopt;
            cl.intervalSeconds = parseInt(v, 0, 7 * 24 * 3600);
            if (!cl.intervalSeconds) {
                error = u"--interval: \""_qs + v + u"\" is not a number of seconds between 0 and 604800"_qs;
                return std::nullopt;
            }
        } else if (arg == u"--health-host") {
            if (!value(cl.healthHost))
                return std::nullopt;
        } else if (arg == u"--health-port") {
            if (!value(v))
                return std::nullopt;
            cl.healthPort = parseInt(v, 1, 65535);
            if (!cl.healthPort) {
                error = u"--health-port: \""_qs + v + u"\" is not a port between 1 and 65535"_qs;
                return std::nullopt;
            }
        } else if (arg == u"-platform" || arg == u"-style" || arg == u"-qwindowgeometry") {
            // Qt's own GUI options with a value are left to QApplication.
            if (!value(v))
                return std::nullopt;
        } else if (arg.startsWith(u'-') && arg.size() > 1) {
            error = u"unknown option "_qs + arg + u" (see --help)"_qs;
            return std::nullopt;
        } else {
            error = u"unexpected argument \""_qs + arg + u"\" (see --help)"_qs;
            return std::nullopt;
        }
    }
    if (cl.plan && (cl.verify || cl.repair)) {
        error = u"--plan cannot be combined with --verify or --repair: run them one after the other"_qs;
        return std::nullopt;
    }
    // --env prod.env without --tables: the desktop app saves prod.env with prod.tables.json, and a
    // tables.json that happens to be in the current folder belongs to another profile.
    if (cl.envGiven && !tablesGiven) {
        const QString paired = ProfileFiles::tablesPathFor(cl.envPath);
        if (QFileInfo::exists(paired))
            cl.tablesPath = paired;
    }
    return cl;
}

Settings CommandLine::loadSettings(const QProcessEnvironment &processEnv, ConfigErrors &errors) const
{
    EnvFile env;
    if (envGiven || QFileInfo::exists(envPath)) {
        env = EnvFile::load(envPath, errors);
    } else {
        // No ./.env: fine when the environment carries the settings (containers, systemd);
        // Settings::fromEnv names whatever is still missing.
        env = EnvFile::parse(QByteArray(), envPath + u" (not found; using the environment)"_qs, errors);
    }
    Settings settings = Settings::fromEnv(env, processEnv, errors);
    settings.tables = TablesFile::load(tablesPath, errors);

    if (intervalSeconds)
        settings.intervalSeconds = *intervalSeconds;
    if (once || verify || repair || plan)
        settings.intervalSeconds = 0;
    if (plan)
        settings.runMode = Settings::RunMode::Plan;
    else if (repair)
        settings.runMode = Settings::RunMode::Repair;
    else if (verify)
        settings.runMode = Settings::RunMode::Verify;
    if (!healthHost.isEmpty())
        settings.healthHost = healthHost;
    if (healthPort)
        settings.healthPort = *healthPort;

    if (!onlyTables.isEmpty() && !settings.tables.isEmpty()) {
        QList<TableSpec> selected;
        for (const QString &name : onlyTables) {
            bool found = false;
            for (const TableSpec &spec : std::as_const(settings.tables)) {
                if (spec.table.compare(name, Qt::CaseInsensitive) == 0) {
                    selected << spec;
                    found = true;
                    break;
                }
            }
            if (!found)
                errors << ConfigError{tablesPath, QString(), u"--table "_qs + name + u": no such table in the file"_qs};
        }
        settings.tables = selected;
    }
    return settings;
}

} // namespace tablesync
