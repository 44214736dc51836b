#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SyncTypes.h"

namespace tablesync {

struct SyncContext;

// `tablesync --plan`: what the next run would do to one table, read from both servers and written
// nowhere. Each line goes to the log as "plan: ..." (the table's strategy and size, the DDL it
// would run, the foreign keys and triggers it found and how they will be handled, what it would
// repair, where an incremental pass would start, and how many rows it would delete).
class TablePlanner
{
public:
    TablePlanner(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result);
    void plan();

private:
    void say(const QString &line);
    void planSchema(bool targetExists);
    void planFullRefresh(bool targetExists);
    void planIncremental(bool targetExists);
    void planTriggers(bool targetExists);
    void planDeletes(bool targetExists);
    bool targetHas(const QString &table);

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
};

} // namespace tablesync
