#pragma once

#include "config/ConfigError.h"
#include "config/TableSpec.h"

#include <QByteArray>
#include <QList>

namespace tablesync {

// tables.json: a JSON array of objects with the keys
//   table (string, required), primary_key (string or non-empty array of strings, required),
//   modifier (string), initial_value (string or number), batch_size (positive integer),
//   deletes ("keep", "propagate" or "soft"; soft needs a modifier).
// Unknown keys, wrong types, empty names and duplicate tables are errors naming the entry.
namespace TablesFile {

QList<TableSpec> parse(const QByteArray &json, const QString &fileName, ConfigErrors &errors);
QList<TableSpec> load(const QString &path, ConfigErrors &errors);

// The keys an entry may have, for messages and documentation.
QStringList knownKeys();

} // namespace TablesFile
} // namespace tablesync
