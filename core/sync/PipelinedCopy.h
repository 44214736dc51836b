#pragma once

#include "db/ColumnInfo.h"
#include "sync/Page.h"

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <optional>

namespace tablesync {

class ConnectionPool;
class DbConnection;
class PageReader;
class SqlDialect;
class SyncProgress;

// Copies a large table with the source and the target working at the same time: this thread
// reads keyset pages while `writers` threads, each with its own target connection from the pool,
// write them (QtSql connections cannot be shared between threads, so each writer owns one).
// On a 2-core machine with both servers local this roughly halves the wall time of a big copy.
//
// Batches commit out of order, so a progress mark (an incremental cursor, or the last key of a
// first load in key order) is saved only for the longest prefix of batches that have all
// committed: it is never ahead of the rows, and a crash re-reads (and harmlessly re-upserts) at
// most the batches in flight.
class PipelinedCopy
{
public:
    struct Target
    {
        QString table;             // where rows go (the table itself or a staging table)
        QList<ColumnInfo> columns; // as read from the source; the page's first columns
        QList<int> keyIndexes;
        QString loadId;
        bool upsert = true;
        // Plain inserts are expected (a staging table, or a first load into an empty table): try
        // LOAD DATA LOCAL INFILE, falling back to INSERTs per page when it is off or warns.
        bool bulkLoad = false;
        // Upserts leave rows that already hold these values untouched (BatchWriter).
        bool updateOnlyChanged = false;
    };
    // A page's progress mark: how far the source has been read once the page is written.
    using MarkOf = std::function<QString(const Page &)>;
    // Saves a mark on the given connection (autocommit), after the rows it covers committed.
    using MarkSaver = std::function<void(DbConnection &, const QString &mark)>;

    PipelinedCopy(ConnectionPool &targetPool, const SqlDialect &dialect, Target target, int writers,
                  const std::atomic_bool &stopRequested, SyncProgress &progress, QString progressName);

    // Without this, no mark is kept (a copy into a staging table needs none).
    void setProgressMark(MarkOf markOf, MarkSaver saver);
    // Rows of the same table already written before this copy took over: progress reports count
    // on from there (run() still returns only its own).
    void setRowsBefore(qint64 rows) { m_rowsBefore = rows; }
    // Called on the reading thread before each page is read (TableJob: confirm the table's lock,
    // which also keeps its otherwise idle connection alive); what it throws ends the copy.
    void setBeforeEachPage(std::function<void()> check) { m_beforeEachPage = std::move(check); }

    // Reads every page from `reader` and writes it. Returns the rows written. Throws the first
    // DbError of any thread after all threads stopped. `stopped` tells whether a stop cut it short.
    qint64 run(PageReader &reader, qint64 estimatedTotal, bool &stopped);
    // The last mark saved; empty when none was.
    QString savedMark() const { return m_savedMark; }
    // Of the rows run() wrote, those inserted or changed (the rest were already there as they are).
    qint64 rowsChanged() const { return m_rowsChanged; }

private:
    struct Batch
    {
        qint64 sequence = 0;
        Page page;
        QString mark;
    };

    void writerLoop();
    bool push(Batch batch); // false when writing stopped (error or stop request)
    std::optional<Batch> pop();
    void committed(DbConnection &connection, const Batch &batch, qint64 rowsChanged);
    void fail(const std::exception_ptr &error);

    ConnectionPool &m_targetPool;
    const SqlDialect &m_dialect;
    Target m_target;
    int m_writers;
    const std::atomic_bool &m_stopRequested;
    SyncProgress &m_progress;
    QString m_progressName;
    MarkOf m_markOf;
    MarkSaver m_saveMark;

    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<Batch> m_queue;
    bool m_readingDone = false;
    std::exception_ptr m_error;
    qint64 m_rowsWritten = 0;
    qint64 m_rowsChanged = 0;
    qint64 m_estimatedTotal = 0;
    qint64 m_rowsBefore = 0;
    std::function<void()> m_beforeEachPage;
    // Mark bookkeeping: committed batches past the contiguous prefix, and the prefix's end.
    std::map<qint64, QString> m_committedAhead;
    qint64 m_nextToSave = 0;
    QString m_savedMark;
    QMutex m_markMutex; // serialises mark writes so they stay monotonic
    std::atomic_bool m_bulkLoadReported{false};
    std::atomic_bool m_fallbackReported{false};
};

} // namespace tablesync
