#pragma once

#include "config/TableSpec.h"
#include "db/ColumnInfo.h"
#include "sync/Bookkeeping.h"
#include "sync/SafeCursor.h"
#include "sync/SyncTypes.h"

#include <QVariantList>

#include <atomic>

namespace tablesync {

class DbConnection;
class PageReader;
struct Page;
struct SyncContext;

// One incremental pass over a table: reads the rows from the stored start in (modifier, key)
// order out of one snapshot of the source, upserts them (rows that did not change are left as
// they are, load id included, and counted as re-checked), and stores where the next pass starts
// (SafeCursor.h: never past a row an open transaction could still commit).
// A table without any state and big enough goes to KeyOrderFirstLoad first.
class IncrementalPass
{
public:
    IncrementalPass(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result);
    void run();

    static SafeCursor::Clock clockOf(const ColumnInfo &modifier);
    static qint64 lagFor(const TableSpec &spec, int settingsLag, const ColumnInfo &modifier);

private:
    // Reads taken before the snapshot (a counter's first mark, the horizon); then, in it, the
    // decision of where the next pass starts.
    void readBeforeSnapshot(const std::optional<Bookkeeping::CursorState> &state);
    // `history`: the stored marks (none on a first load).
    Bookkeeping::CursorState decideInSnapshot(const std::optional<CursorPosition> &start, QList<CursorMark> history);
    // Reads from `start` and writes; false when a stop cut it short.
    bool copyFrom(PageReader &reader, const std::optional<CursorPosition> &start);
    // `estimatedTotal`: the rows of the whole pass (-1: unknown); `rowsBefore`: read and written
    // by this pass before the pipeline took over.
    bool copyPipelined(PageReader &reader, const QString &why, bool bulkLoad, qint64 estimatedTotal,
                       qint64 rowsBefore = 0);
    // The (modifier, key...) values to read after, when the start is after a key.
    std::optional<QVariantList> resumeKey(const std::optional<CursorPosition> &start) const;
    CursorPosition positionOfLastRow(const Page &page) const;
    void saveProgress(DbConnection &target, const CursorPosition &progress);
    // The decided state is not the one stored when the pass began (or progress was stored since).
    bool decisionDiffersFromStored() const;
    QVariant bindable(const QString &modifierText) const;
    bool worthPipelining() const;
    // The rows from `start` on as the optimizer estimates them from the modifier's index (one
    // EXPLAIN: no scan, no count): the size of a backlog. -1 when the read would not use that
    // index (the estimate would then be the whole table's) or the server does not say.
    qint64 estimateBacklog(const CursorPosition &start);
    bool targetIsEmpty();
    void describeStart(const std::optional<CursorPosition> &start);
    void warnOfAFutureStamp(const QString &newest, double serverTime);

    SyncContext &m_context;
    const TableSpec &m_spec;
    const TableSchema &m_source;
    TableResult &m_result;
    ColumnInfo m_modifier;
    QList<ColumnInfo> m_written; // the columns the target takes
    QList<ColumnInfo> m_read;    // `m_written`, plus a generated modifier
    QList<ColumnInfo> m_keys;
    QList<int> m_keyIndexes; // of the primary key in m_written
    int m_modifierIndex = 0; // in m_read
    SafeCursor m_safe;
    std::optional<CursorMark> m_firstMark; // a counter's mark taken before its first pass
    SourceHorizon m_horizon;
    Bookkeeping::CursorState m_decided; // where the next pass starts, once this one has read everything
    bool m_hasState = false;
    std::atomic_bool m_progressSaved{false};          // a batch stored its progress: the end must store the decision
    std::optional<Bookkeeping::CursorState> m_stored; // the state this pass began from, as stored
    bool m_decisionSaved = false; // stored with the last page's rows: nothing left to store at the end
};

} // namespace tablesync
