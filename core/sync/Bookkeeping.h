#pragma once

#include "sync/SafeCursor.h"

#include <QHash>
#include <QSqlQuery>
#include <QString>

#include <mutex>

#include <optional>

namespace tablesync {

class DbConnection;

// The tables tablesync keeps in the target beside the synced ones:
//  - `_dlt_loads`, as dlt keeps it: one row per load, status 0 = complete, so consumers that
//    filter on complete loads keep working;
//  - `_tablesync_state`: the incremental cursor per table, written in the same transaction as
//    the rows it covers, so a crash never skips or repeats a committed batch; during a large
//    first load, where it resumes instead (see FirstLoad).
class Bookkeeping
{
public:
    static constexpr auto kStateTable = "_tablesync_state";
    static constexpr auto kLoadsTable = "_dlt_loads";

    explicit Bookkeeping(DbConnection &target);

    void ensureTables();

    // Where the next incremental pass of a table starts, and the marks of earlier reads that
    // may yet move it on (SafeCursor.h). `cursor_value` and `cursor_key` hold the start,
    // `cursor_history` the marks as JSON.
    struct CursorState
    {
        std::optional<CursorPosition> start; // none: from the beginning (or initial_value)
        QList<CursorMark> history;
    };
    // The stored state of `table`, if any was stored for the same modifier column.
    std::optional<CursorState> cursorState(const QString &table, const QString &modifier);
    // Every table's stored row in one statement (RunOutlook), by table name, with the modifier
    // column it was stored for; no state while a large first load is under way.
    struct StoredCursor
    {
        QString modifier;
        std::optional<CursorState> state;
    };
    QHash<QString, StoredCursor> allCursorStates();
    // Must run inside the caller's transaction on the target, with the rows it covers.
    void saveCursorState(const QString &table, const QString &modifier, const CursorState &state,
                         const QString &loadId);
    // A large first load reads in key order (cheaper on both servers than by modifier), so no
    // cursor exists until it ends; meanwhile the state row holds the state to take at the end
    // (decided when the load began, as a pass decides it) and the last key of the committed
    // prefix, to resume after a stop or crash.
    struct FirstLoad
    {
        CursorState whenDone;
        QString afterKey; // KeyToken; empty: nothing committed yet
    };
    std::optional<FirstLoad> firstLoad(const QString &table, const QString &modifier);
    void beginFirstLoad(const QString &table, const QString &modifier, const CursorState &whenDone,
                        const QString &loadId);
    void saveFirstLoadProgress(const QString &table, const QString &afterKey);
    // Forget the cursor: the next incremental pass reads from the start again.
    void resetCursor(const QString &table);

    // status 0: every table of the run succeeded; 1: some failed (their rows were not loaded).
    void recordLoad(const QString &loadId, int status);

private:
    // The state in `query`'s current row: cursor_value, cursor_key and cursor_history from `valueColumn` on.
    static std::optional<CursorState> stateOfRow(const QSqlQuery &query, int valueColumn);

    DbConnection &m_target;
};

// The bookkeeping tables made sure of once per run, by the first table's worker, instead of
// once per table: three statements, each a round trip, that every table with nothing new would
// otherwise send to a distant target. Thread-safe; a failure leaves it to the next table.
class BookkeepingOnce
{
public:
    void reset()
    {
        const std::lock_guard lock(m_mutex);
        m_done = false;
    }
    void ensure(DbConnection &target)
    {
        const std::lock_guard lock(m_mutex);
        if (m_done)
            return;
        Bookkeeping(target).ensureTables();
        m_done = true;
    }

private:
    std::mutex m_mutex;
    bool m_done = false;
};

} // namespace tablesync
