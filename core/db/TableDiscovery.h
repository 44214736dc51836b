#pragma once

#include "config/Settings.h"
#include "db/DiscoveredTable.h"

namespace tablesync {

class DbConnection;

// Lists the source's tables with what a DBA needs to configure them: primary keys (or a unique
// key that can stand in), row estimates, and the columns most likely to be a modifier (indexed
// DATETIME/TIMESTAMP columns kept current by the server, names like updated_at or modified).
// Three information_schema queries for the whole database, however many tables it has.
namespace TableDiscovery {

// Reads the connection's database. Throws DbError.
QList<DiscoveredTable> read(DbConnection &connection);

// Opens a connection of its own on the calling thread, reads, closes. Never throws: a failure
// comes back in the result with a hint. Call it off the GUI thread.
DiscoveryResult run(const ConnectionSettings &settings);

// Ranks the table's orderable columns as modifier candidates, best first (pure, for tests).
QList<ModifierCandidate> rankModifiers(const DiscoveredTable &table);

} // namespace TableDiscovery
} // namespace tablesync
