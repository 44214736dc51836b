#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SyncTypes.h"
#include "sync/TargetTies.h"

namespace tablesync {

struct SyncContext;

// A table without a modifier gets its whole content from one snapshot of the source every run,
// and the target switches from the old content to the new at once. First the rows are copied into
// a staging table `_tsnew_<t>` (CREATE TABLE ... LIKE the target table); then, per table:
//
//  - Swap, when nothing else in the target schema is tied to the table (TargetTies.h): one
//    RENAME TABLE puts the staging table in its place and the old content is dropped. Cheapest
//    for large tables, and every row carries this run's load id, as the old pipeline's replace.
//  - In place, when foreign keys point at the table or from it, or it has triggers: one target
//    transaction deletes the rows the source no longer has and upserts the staging rows, leaving
//    unchanged rows (and their load id) alone. The table itself is never renamed or dropped, so
//    foreign keys, triggers and grants stay where they are; readers see the old content or the new.
//
// A table without a key (no `primary_key` in tables.json) is read as one streamed SELECT, and in
// place its content is deleted and inserted again whole: rows cannot be matched one by one.
//
// Before either, what an interrupted or earlier refresh left is repaired (TargetTies).
class FullRefresh
{
public:
    enum class Method { Swap, InPlace };

    FullRefresh(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result);
    void run();

    static Method methodFor(const TargetTies &ties) { return ties.tiesTheTable() ? Method::InPlace : Method::Swap; }

private:
    // False when a stop cut the copy short (the staging table is dropped again).
    bool copyIntoStaging();
    void swapIn();
    void applyInPlace();
    void replaceAllInPlace(); // applyInPlace() of a table without a key
    void dropStaging();

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
    QString m_staging;
};

} // namespace tablesync
