#pragma once

#include "config/ConfigError.h"
#include "config/Settings.h"
#include "config/TableSpec.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace tablesync {

// A profile is the pair of files headless mode runs on: a `.env` and a `tables.json`. The GUI
// edits one as raw key/value text plus table entries, so that a file with mistakes still opens
// (and can be fixed) and keys the GUI does not know survive a save untouched.
struct Profile
{
    QString envPath;
    QString tablesPath;
    QByteArray envText;         // the .env as read, so a save keeps its comments and layout
    QMap<QString, QString> env; // every key of the .env, as written there
    QList<TableSpec> tables;

    // Reads both files. Problems are appended to `errors` (naming file and line or entry); what
    // could be read is returned all the same.
    static Profile load(const QString &envPath, const QString &tablesPath, ConfigErrors &errors);

    // The settings the engine runs on. Only the profile counts here, not the process
    // environment: the GUI runs what the user sees in the window.
    Settings settings(ConfigErrors &errors) const;
};

} // namespace tablesync
