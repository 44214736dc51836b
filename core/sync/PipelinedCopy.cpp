#include "sync/PipelinedCopy.h"

#include "db/ConnectionPool.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ThreadConnection.h"
#include "sync/BatchWriter.h"
#include "sync/LoadDataWriter.h"
#include "sync/PageReader.h"
#include "sync/TableJob.h"

#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace tablesync {

PipelinedCopy::PipelinedCopy(ConnectionPool &targetPool, const SqlDialect &dialect, Target target, int writers,
                             const std::atomic_bool &stopRequested, SyncProgress &progress, QString progressName)
    : m_targetPool(targetPool)
    , m_dialect(dialect)
    , m_target(std::move(target))
    , m_writers(std::max(1, writers))
    , m_stopRequested(stopRequested)
    , m_progress(progress)
    , m_progressName(std::move(progressName))
{}

void PipelinedCopy::setProgressMark(MarkOf markOf, MarkSaver saver)
{
    m_markOf = std::move(markOf);
    m_saveMark = std::move(saver);
}

qint64 PipelinedCopy::run(PageReader &reader, qint64 estimatedTotal, bool &stopped)
{
    m_estimatedTotal = estimatedTotal;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < m_writers; ++i) {
        threads.emplace_back(QThread::create([this] { writerLoop(); }));
        threads.back()->setObjectName(QStringLiteral("copy-writer-%1").arg(i + 1));
        threads.back()->start();
    }

    qint64 sequence = 0;
    try {
        Page page;
        while (!m_stopRequested.load()) {
            if (m_beforeEachPage)
                m_beforeEachPage();
            if (!reader.next(page))
                break;
            Batch batch;
            batch.sequence = sequence++;
            if (m_markOf)
                batch.mark = m_markOf(page);
            batch.page = std::move(page);
            page = Page();
            if (!push(std::move(batch)))
                break;
        }
    } catch (...) {
        fail(std::current_exception());
    }
    {
        QMutexLocker lock(&m_mutex);
        m_readingDone = true;
        m_changed.wakeAll();
    }
    for (auto &thread : threads)
        thread->wait();

    if (m_error)
        std::rethrow_exception(m_error);
    stopped = m_stopRequested.load() && !reader.atEnd();
    return m_rowsWritten;
}

bool PipelinedCopy::push(Batch batch)
{
    QMutexLocker lock(&m_mutex);
    // A page queued per writer keeps every writer busy; more would only cost memory (~9 MB each).
    while (qsizetype(m_queue.size()) >= m_writers && !m_error)
        m_changed.wait(&m_mutex);
    if (m_error)
        return false;
    m_queue.push_back(std::move(batch));
    m_changed.wakeAll();
    return true;
}

std::optional<PipelinedCopy::Batch> PipelinedCopy::pop()
{
    QMutexLocker lock(&m_mutex);
    while (m_queue.empty() && !m_readingDone && !m_error)
        m_changed.wait(&m_mutex);
    if (m_error || m_queue.empty())
        return std::nullopt;
    Batch batch = std::move(m_queue.front());
    m_queue.pop_front();
    m_changed.wakeAll();
    return batch;
}

void PipelinedCopy::fail(const std::exception_ptr &error)
{
    QMutexLocker lock(&m_mutex);
    if (!m_error)
        m_error = error;
    m_changed.wakeAll();
}

void PipelinedCopy::writerLoop()
{
    QObject context; // this thread's handle for the pool (no event loop: idle requests wait for the end)
    ThreadConnection connection(m_targetPool, &context);
    try {
        DbConnection &target = connection.checkout();
        BatchWriter writer(target, m_dialect, m_target.table, m_target.columns, m_target.keyIndexes, m_target.loadId,
                           m_target.upsert);
        writer.setUpdateOnlyChanged(m_target.updateOnlyChanged);
        std::unique_ptr<LoadDataWriter> loader;
        if (m_target.bulkLoad) {
            const bool available = LoadDataWriter::isAvailable(target);
            if (available) {
                loader = std::make_unique<LoadDataWriter>(target, m_dialect, m_target.table, m_target.columns,
                                                          m_target.keyIndexes, m_target.loadId);
            }
            if (!m_bulkLoadReported.exchange(true)) {
                m_progress.onTableMessage(m_progressName,
                                          available ? u"writing with LOAD DATA LOCAL INFILE"_qs
                                                    : u"local_infile is off on the target: writing with INSERTs"_qs);
            }
        }
        while (std::optional<Batch> batch = pop()) {
            target.beginTransaction();
            const qint64 changedBefore = writer.rowsChanged();
            qint64 changed = batch->page.rowCount(); // LOAD DATA only inserts
            if (!loader || !loader->write(batch->page)) {
                if (loader) {
                    // A row was already there (updated while we read) or a value warned: redo the
                    // page with INSERTs, which update in place and fail loudly in strict mode.
                    target.rollback();
                    target.beginTransaction();
                    if (!m_fallbackReported.exchange(true)) {
                        m_progress.onTableMessage(m_progressName,
                                                  u"LOAD DATA met rows already there or adjusted a value: "
                                                  "writing such pages with INSERTs"_qs);
                    }
                }
                batch->page.convertToValues(); // a text page: INSERTs bind values
                writer.write(batch->page);
                changed = writer.rowsChanged() - changedBefore;
            }
            target.commit();
            committed(target, *batch, changed);
        }
        connection.checkin();
    } catch (const DbError &) {
        if (connection.isCheckedOut())
            connection.checkin(true);
        fail(std::current_exception());
    }
}

void PipelinedCopy::committed(DbConnection &connection, const Batch &batch, qint64 rowsChanged)
{
    qint64 rowsSoFar = 0;
    {
        QMutexLocker lock(&m_mutex);
        m_rowsWritten += batch.page.rowCount();
        m_rowsChanged += rowsChanged;
        rowsSoFar = m_rowsBefore + m_rowsWritten;
    }
    if (m_markOf) {
        QMutexLocker lock(&m_markMutex);
        m_committedAhead.emplace(batch.sequence, batch.mark);
        QString prefixEnd;
        while (!m_committedAhead.empty() && m_committedAhead.begin()->first == m_nextToSave) {
            prefixEnd = m_committedAhead.begin()->second;
            m_committedAhead.erase(m_committedAhead.begin());
            ++m_nextToSave;
        }
        if (!prefixEnd.isEmpty()) {
            m_saveMark(connection, prefixEnd);
            m_savedMark = prefixEnd;
        }
    }
    m_progress.onBatchCommitted(m_progressName, batch.page.rowCount(), rowsSoFar, m_estimatedTotal);
}

} // namespace tablesync
