#pragma once

#include "config/Settings.h"
#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/SyncTypes.h"

#include <QElapsedTimer>

#include <atomic>
#include <functional>

namespace tablesync {

class ConnectionPool;
class DbConnection;
class PageReader;
class RunOutlook;
class SqlDialect;

// What a table job tells the world while it runs. The engine turns these into signals.
class SyncProgress
{
public:
    virtual ~SyncProgress() = default;
    virtual void onTableMessage(const QString &table, const QString &message) = 0;
    virtual void onBatchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar,
                                  qint64 estimatedTotal) = 0;
};

// Everything a table job needs from the run it belongs to.
struct SyncContext
{
    DbConnection &source;
    DbConnection &target;
    ConnectionPool *targetPool; // for the extra writers of a large copy; null: copy on this thread
    int copyWriters;            // writer threads a large copy may use (0: none)
    const SqlDialect &dialect;
    const Settings &settings;
    QString loadId;
    const std::atomic_bool &stopRequested;
    SyncProgress &progress;
    // The run's look at all its tables (null: every table reads what it needs itself).
    RunOutlook *outlook = nullptr;
    // Set by TableJob for the table being synced: called before the first statement that writes
    // its rows (the target's triggers are suspended there), so a table with nothing to write sends
    // no DDL. Calling it again costs nothing.
    std::function<void()> beforeWritingRows = {};

    void aboutToWriteRows() const
    {
        if (beforeWritingRows)
            beforeWritingRows();
    }

    // Set by TableJob while it holds the table's lock (TableLock.h): throws when the lock is gone.
    // Long copies call it between pages, because their writes go through other connections.
    std::function<void()> confirmTableLock = {};
    void stillHoldingTheTable() const
    {
        if (confirmTableLock)
            confirmTableLock();
    }
};

// Syncs one table once: checks its configuration against the source, brings the target's
// schema in line, then copies rows incrementally (modifier set) or by full refresh.
// All failures end up in the returned TableResult; nothing is thrown out of run().
class TableJob
{
public:
    TableJob(SyncContext &context, TableSpec spec);
    TableResult run();

    // Shapes of a copy, shared by the strategies.
    // A copy big enough to pay for extra writer threads and connections.
    static bool worthPipelining(const SyncContext &context, const TableSchema &source);
    // Source columns the target can take (generated ones are computed there, not written).
    static QList<ColumnInfo> writableColumns(const TableSchema &source);
    static QList<int> keyIndexes(const TableSpec &spec, const QList<ColumnInfo> &columns);
    static int pageRows(const SyncContext &context, const TableSpec &spec, const TableSchema &source);

private:
    TableSchema checkAgainstSource();
    // The configuration's checks against the source's definition (ConfigMismatch when it does not fit).
    void validate(const TableSchema &source, bool checkInitialValue);
    // A table the run's outlook found quiet: its definitions are checked and nothing else is sent.
    // False when the target's definition needs a change first (the ordinary job makes it).
    bool finishQuietly();
    void requireUniqueKey(const TableSchema &source, const QString &where);
    void warnWithoutModifierIndex(const TableSchema &source, const QString &modifier);
    bool stopRequested() const { return m_context.stopRequested.load(); }

    SyncContext &m_context;
    TableSpec m_spec;
    TableResult m_result;
    QElapsedTimer m_timer;
};

} // namespace tablesync
