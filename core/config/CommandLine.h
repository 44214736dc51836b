#pragma once

#include "config/ConfigError.h"
#include "config/Settings.h"

#include <QProcessEnvironment>
#include <QStringList>

#include <optional>

namespace tablesync {

// The command line of DESIGN.md, parsed without side effects so it can be tested in-process.
struct CommandLine
{
    bool headless = false;
    bool once = false;
    bool showVersion = false;
    bool showHelp = false;
    bool verify = false;   // --verify: compare source and target, change nothing
    bool plan = false;     // --plan: say what the next run would do, change nothing
    bool repair = false;   // --repair: compare and rewrite exactly the rows that differ
    bool envGiven = false; // --env was on the command line (a missing default ./.env is not an error)
    QString envPath = u".env"_qs;
    QString tablesPath = u"tables.json"_qs;
    std::optional<int> intervalSeconds;
    QStringList onlyTables;
    QString healthHost;
    std::optional<int> healthPort;

    // Parses `arguments` (argv, program name first). On a bad argument returns std::nullopt and
    // sets `error` to a one-line message.
    static std::optional<CommandLine> parse(const QStringList &arguments, QString &error);
    static QString helpText();

    // Reads .env (overridden by `processEnv`) and tables.json and applies the command line's
    // overrides. Every problem is appended to `errors`; the result is usable only without errors.
    Settings loadSettings(const QProcessEnvironment &processEnv, ConfigErrors &errors) const;
};

} // namespace tablesync
