#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SafeCursor.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <mutex>
#include <optional>

namespace tablesync {

class DbConnection;
class SqlDialect;

// What one run learns about all its tables in a handful of statements, so that an incremental
// table with nothing new costs no statement of its own. Across a network every statement is a
// round trip (10 ms between regions); a table's own checks took ~15 of them, which for a few
// hundred quiet tables made a run last most of a minute.
//
// Read once per run, by the first worker that asks (the others wait for it):
//  - on the target: every cursor state, the tables with triggers left suspended, and the
//    definitions of the tables that have a cursor;
//  - on the source: the definitions of the same tables, and, in one statement per 200 tables,
//    which of them hold a row after their cursor's start.
// A table is quiet when its cursor has nothing pending (the start is its last read position
// and no mark in its history lies beyond it), the source holds no row after that start, no
// trigger is left suspended, and both definitions are there. Such a table's job checks the
// definitions (TableJob) and ends there: the pass it would run would read no row and store the
// same state (SafeCursor::decide keeps a start whose marks all equal it). Rows committed after
// the look are read by the next run, as rows committed after a pass's snapshot are.
//
// Anything that fails or does not fit (a deletes mode, a key the probe cannot write, a first
// load under way) leaves the table to its ordinary job, which reads everything afresh.
class RunOutlook
{
public:
    struct QuietTable
    {
        TableSchema source;
        TableSchema target;
        CursorPosition start;
        double sourceTime = 0; // epoch seconds: the target holds what the source had committed by then
    };

    // At the start of each run, with the run's tables.
    void reset(const QList<TableSpec> &tables);
    // The table's outlook when it is quiet; reads the outlook first when this run has not yet.
    // `source` and `target` are the calling worker's connections.
    std::optional<QuietTable> quiet(DbConnection &source, DbConnection &target, const SqlDialect &dialect,
                                    const QString &table);

    // True when this run's look found no stored cursor for the table (none can have been stored
    // since but by its own job); false when it has one or the look was not taken.
    bool knowsNoCursor(const QString &table);

private:
    void read(DbConnection &source, DbConnection &target, const SqlDialect &dialect);
    // The condition "after the start" of one table, or none when it cannot be written as literals.
    static std::optional<QString> afterStart(const SqlDialect &dialect, const TableSpec &spec,
                                             const TableSchema &source, const CursorPosition &start);

    std::mutex m_mutex;
    bool m_read = false;
    QList<TableSpec> m_tables;
    QHash<QString, QuietTable> m_quiet;
    QSet<QString> m_withCursor; // tables with a row in _tablesync_state when the look was taken
    bool m_cursorsKnown = false;
};

} // namespace tablesync
