#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SyncTypes.h"

#include <memory>

namespace tablesync {

class BackgroundConnection;
struct SyncContext;

// What the cursor of an incremental sync cannot see: rows deleted in the source, and drift made
// behind the tool's back. Both compare the table chunk by chunk (TableComparer) and act only on
// the rows of chunks that differ.
class TableVerifier
{
public:
    TableVerifier(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result);

    // deletes: "propagate": deletes target rows whose key no longer exists in the source.
    // deletes: "soft": marks them instead (adding the column when missing), and makes marked rows
    // whose key is back in the source live again.
    void propagateDeletes();
    // --verify (repair false) and --repair: compares every column but the _dlt_ ones; a repair
    // deletes (soft: marks) extra rows and re-copies missing and different ones, then verifies again.
    // Rows marked by soft deletes are expected in the target and not compared.
    void verify(bool repair);

    // A second target connection for comparing in parallel (TableComparer::setBackgroundTarget)
    // when the pool has room for it (the connections a large copy's writers may use); else null.
    static std::unique_ptr<BackgroundConnection> backgroundTarget(const SyncContext &context);

private:
    // verify() of a table without a key: rows compared as multisets (RowMultisetComparer); a
    // repair replaces the table's content whole (FullRefresh), as a sync of it does.
    void verifyWithoutKey(const QList<ColumnInfo> &columns, bool repair);
    TableSchema readTarget() const;
    QList<ColumnInfo> comparedColumns(const TableSchema &target, QStringList &notInTarget) const;
    // Soft deletes with the column present: the comparison looks at live target rows only.
    bool comparesLiveRowsOnly(const TableSchema &target) const;
    QList<ColumnInfo> keyColumns(const QList<ColumnInfo> &columns) const;

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
};

} // namespace tablesync
