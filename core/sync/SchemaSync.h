#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"

#include <QStringList>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Brings a target table's shape in line with its source before any data moves:
// creates a missing table from the source definition, adds source columns the target lacks
// (same type, nullability, default, charset and collation), adds the `_dlt_` columns and a
// unique key on the configured primary key. Never drops or alters an existing column;
// a type that differs is reported as drift.
class SchemaSync
{
public:
    static constexpr auto kLoadIdColumn = "_dlt_load_id";
    static constexpr auto kRowIdColumn = "_dlt_id";

    struct Result
    {
        TableSchema target;       // the target's definition after the changes
        bool created = false;     // the table did not exist
        QStringList addedColumns; // source columns added to an existing table
        QStringList notes;        // what was changed, for the log
        QStringList drift;        // differences left alone, for the log
        QStringList statements;   // the DDL run (or, planning only, that would run)
    };

    SchemaSync(DbConnection &source, DbConnection &target, const SqlDialect &dialect);
    // Plan only (tablesync --plan): the statements are listed, not run.
    void setPlanOnly(bool planOnly) { m_planOnly = planOnly; }

    // `beforeNeedingEveryRow` runs before the CREATE of a missing table and before the first
    // ALTER that adds a source column: every row must be read again then (the
    // incremental job resets its cursor there so the new column gets filled for every row).
    // `knownTarget`: the target's definition read already this run (RunOutlook); else it is read.
    Result apply(const TableSchema &sourceSchema, const TableSpec &spec,
                 const std::function<void()> &beforeNeedingEveryRow, const TableSchema *knownTarget = nullptr);

    // The CREATE TABLE text for the target: the source's, without foreign keys (the referenced
    // tables may not be synced) and without the AUTO_INCREMENT counter.
    static QString targetCreateStatement(const QString &sourceCreate);
    // The same with the `_dlt_` columns added at the end.
    static QString withBookkeepingColumns(const QString &create);
    // A column definition for ALTER TABLE ... ADD COLUMN, from information_schema.
    QString columnDefinition(const ColumnInfo &column) const;

private:
    enum class Concurrency { Alone, Together };
    // Runs (or, planning, only lists) one DDL statement; Alone: one at a time in the process.
    void change(Result &result, const QString &sql, const QString &what, Concurrency concurrency = Concurrency::Alone);

    bool m_planOnly = false;
    DbConnection &m_source;
    DbConnection &m_target;
    const SqlDialect &m_dialect;
};

} // namespace tablesync
