#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SyncTypes.h"

namespace tablesync {

struct SyncContext;

// What the cursor of an incremental sync cannot see: rows deleted in the source, and drift made
// behind the tool's back. Both compare the table chunk by chunk (TableComparer) and act only on
// the rows of chunks that differ.
class TableVerifier
{
public:
    TableVerifier(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result);

    // deletes: "propagate": deletes target rows whose key no longer exists in the source.
    void propagateDeletes();
    // --verify (repair false) and --repair: compares every column but the _dlt_ ones; a repair
    // deletes extra rows and re-copies missing and different ones, then verifies again.
    void verify(bool repair);

private:
    QList<ColumnInfo> comparedColumns(QStringList &notInTarget) const;
    QList<ColumnInfo> keyColumns(const QList<ColumnInfo> &columns) const;

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
};

} // namespace tablesync
