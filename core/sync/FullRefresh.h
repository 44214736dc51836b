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
//  - In place, when foreign keys point at the table or from it, or it has triggers that could not
//    be suspended: the table itself is never renamed or dropped, so foreign keys, triggers and
//    grants stay where they are; one target transaction changes what differs, so readers see the
//    old content or the new, and unchanged rows keep their load id. First without a staging copy:
//    the table is compared chunk by chunk with one snapshot of the source (TableComparer, as
//    --verify does), and only the rows that differ are deleted and copied. When more than a tenth
//    of the rows differ, that would be slower than a copy: then the rows are copied into a staging
//    table and applied from there (deleting gone and changed rows, inserting the missing ones).
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
    // In place without a staging copy; false (and nothing written) when too much differs.
    bool applyDifferences();
    void replaceAllInPlace(); // applyInPlace() of a table without a key
    void dropStaging();

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
    QString m_staging;
};

} // namespace tablesync
