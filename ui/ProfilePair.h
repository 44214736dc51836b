#pragma once

#include <QString>

namespace tablesync::ProfilePair {

// The tables file that belongs to a .env, so that two profiles in one folder never share one:
// ".env" keeps the old pipeline's "tables.json" beside it; "prod.env" gets "prod.tables.json";
// any other name N gets "N.tables.json" (leading dots dropped, so it is not hidden).
QString tablesPathFor(const QString &envPath);

// The tables file to open with a .env: its own (tablesPathFor) when it exists, else a
// "tables.json" beside it (a pipeline folder whose .env was renamed), else its own.
QString tablesPathToOpen(const QString &envPath);

// Where Save As proposes to put a new profile: a "tablesync" folder in the home directory, the
// file named after the two databases ("shop-to-shop_copy.env").
QString proposedEnvPath(const QString &sourceDatabase, const QString &targetDatabase);

} // namespace tablesync::ProfilePair
