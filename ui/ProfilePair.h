#pragma once

#include <QString>

namespace tablesync::ProfilePair {

// The tables file that belongs to a .env is ProfileFiles::tablesPathFor (core: the headless
// command line pairs files by the same rule).

// The tables file to open with a .env: its own (ProfileFiles::tablesPathFor) when it exists, else a
// "tables.json" beside it (a pipeline folder whose .env was renamed), else its own.
QString tablesPathToOpen(const QString &envPath);

// Where Save As proposes to put a new profile: a "tablesync" folder in the home directory, the
// file named after the two databases ("shop-to-shop_copy.env").
QString proposedEnvPath(const QString &sourceDatabase, const QString &targetDatabase);

} // namespace tablesync::ProfilePair
