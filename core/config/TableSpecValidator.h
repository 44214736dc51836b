#pragma once

#include "config/TableSpec.h"

#include <QHash>
#include <QList>
#include <QString>

namespace tablesync {

struct DiscoveredTable;

// One problem with one field of one tables.json entry, for inline validation in an editor.
struct TableIssue
{
    enum class Field { Table, PrimaryKey, Modifier, InitialValue, BatchSize, Deletes };
    enum class Severity {
        Error,   // the file would be refused (headless exits 2): blocks saving
        Warning, // the file is valid, but this table will fail or misbehave when it syncs
        Notice,  // worth knowing before it happens (a large full refresh, a scan per batch)
    };
    int row = 0; // 0-based position in the list
    Field field = Field::Table;
    Severity severity = Severity::Error;
    QString message;
};

// Checks table entries the way TablesFile and the engine will, before they are saved or run.
// With a catalog of the source's tables (from discovery, keyed by lower-case name) it also checks
// names, keys and modifiers against the real schema.
namespace TableSpecValidator {

// Above this many rows a full refresh is worth a word: it copies the whole table every run.
constexpr qint64 kLargeTableRows = 1'000'000;

QList<TableIssue> validate(const QList<TableSpec> &tables, const QHash<QString, DiscoveredTable> *catalog = nullptr);

} // namespace TableSpecValidator
} // namespace tablesync
