#pragma once

#include "db/ColumnInfo.h"

#include <QHash>

namespace tablesync {

class DbConnection;

// Reads table definitions from information_schema of the connection's database.
namespace SchemaReader {

// Columns in ordinal order, keys and size estimates; `exists` false when there is no such table.
TableSchema readTable(DbConnection &connection, const QString &table);
// The same for many tables in two statements, keyed by the server's spelling of each name;
// tables that do not exist are left out.
QHash<QString, TableSchema> readTables(DbConnection &connection, const QStringList &tables);

// SHOW CREATE TABLE text, for creating the same table elsewhere.
QString showCreateTable(DbConnection &connection, const QString &table);

// Base tables of the database with their primary key columns (for discovery and checks).
QStringList tableNames(DbConnection &connection);

} // namespace SchemaReader
} // namespace tablesync
