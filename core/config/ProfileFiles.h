#pragma once

#include <QString>

namespace tablesync::ProfileFiles {

// The tables file that belongs to a .env, so that two profiles in one folder never share one:
// ".env" keeps the old pipeline's "tables.json" beside it; "prod.env" gets "prod.tables.json";
// any other name N gets "N.tables.json" (leading dots dropped, so it is not hidden). The desktop
// app saves pairs by this rule, and a headless run given only --env finds the pair by it.
QString tablesPathFor(const QString &envPath);

} // namespace tablesync::ProfileFiles
