#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace tablesync {

// One entry of tables.json: what to sync and how.
struct TableSpec
{
    QString table;                       // source and target table name
    QStringList primaryKey;              // one or more columns
    QString modifier;                    // empty: full refresh; else the incremental cursor column
    std::optional<QString> initialValue; // where incremental sync starts without state (text form)
    int batchSize = 0;                   // rows per batch for this table; 0 = FETCH_LIMIT
    // What happens to target rows whose key no longer exists in the source: kept, deleted, or
    // kept and marked in the `_dlt_deleted_at` column (SoftDeletes.h).
    enum class Deletes { Keep, Propagate, Soft };
    Deletes deletes = Deletes::Keep;
    // Extra margin for modifier values the application assigns itself (its own clock, its own
    // counter): seconds for DATE/DATETIME/TIMESTAMP modifiers, a count for numeric ones. Unset:
    // the .env's SYNC_LAG, else the default of the modifier's kind (SafeCursor.h).
    std::optional<qint64> lag;
    int entryIndex = 0; // 1-based position in tables.json, for messages

    bool isIncremental() const { return !modifier.isEmpty(); }
};

} // namespace tablesync
