#include "sync/SyncWorker.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "sync/Bookkeeping.h"
#include "sync/RetryPolicy.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>

namespace tablesync {

SyncWorker::SyncWorker(const Settings &settings, ConnectionPool &sourcePool, ConnectionPool &targetPool,
                       const SqlDialect &dialect, const std::atomic_bool &stopRequested, int copyWriters,
                       BookkeepingOnce &bookkeeping, RunOutlook &outlook)
    : m_settings(settings)
    , m_targetPool(targetPool)
    , m_copyWriters(copyWriters)
    , m_dialect(dialect)
    , m_stopRequested(stopRequested)
    , m_bookkeeping(bookkeeping)
    , m_outlook(outlook)
    , m_source(sourcePool, this)
    , m_target(targetPool, this)
{}

SyncWorker::~SyncWorker() = default;

void SyncWorker::closeConnections()
{
    m_source.closeIdle();
    m_target.closeIdle();
}

void SyncWorker::onTableMessage(const QString &table, const QString &message)
{
    Q_EMIT tableMessage(table, message);
}

void SyncWorker::onBatchCommitted(const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal)
{
    Q_EMIT batchCommitted(table, rowsInBatch, rowsSoFar, estimatedTotal);
}

void SyncWorker::runTable(const TableSpec &spec, const QString &loadId)
{
    Q_ASSERT(QThread::currentThread() == thread());
    QElapsedTimer timer;
    timer.start();
    Q_EMIT tableSyncStarted(spec.table, spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs);
    qint64 rowsBefore = 0;
    TableResult result;
    for (int attemptNumber = 1;; ++attemptNumber) {
        result = attempt(spec, loadId);
        result.rowsWritten += rowsBefore;
        result.attempts = attemptNumber;
        const bool retry = result.outcome == TableOutcome::Failed &&
                           RetryPolicy::isTransient(result.errorCode, result.error) &&
                           attemptNumber <= m_settings.retries && !m_stopRequested.load();
        if (!retry)
            break;
        rowsBefore = result.rowsWritten;
        const auto delay = RetryPolicy::backoff(attemptNumber);
        Q_EMIT tableMessage(spec.table, QStringLiteral("transient error, retrying in %1 s (retry %2 of %3) from the "
                                                       "last committed batch: %4")
                                            .arg(double(delay.count()) / 1000.0, 0, 'f', 1)
                                            .arg(attemptNumber)
                                            .arg(m_settings.retries)
                                            .arg(result.error));
        if (!pause(delay)) {
            result.outcome = TableOutcome::Stopped;
            break;
        }
    }
    result.elapsedMs = timer.elapsed();
    Q_EMIT tableSyncFinished(result);
}

TableResult SyncWorker::attempt(const TableSpec &spec, const QString &loadId)
{
    TableResult result;
    try {
        DbConnection &source = m_source.checkout();
        DbConnection &target = m_target.checkout();
        // Verification and planning change nothing in the target, bookkeeping included.
        if (m_settings.writesTarget())
            m_bookkeeping.ensure(target);
        SyncContext context{source,     target, &m_targetPool,   m_copyWriters, m_dialect,
                            m_settings, loadId, m_stopRequested, *this,         &m_outlook};
        result = TableJob(context, spec).run();
    } catch (const DbError &e) {
        // Checking out failed: the pool timed out or a server cannot be reached.
        result.table = spec.table;
        result.strategy = spec.isIncremental() ? u"incremental"_qs : u"full refresh"_qs;
        result.outcome = TableOutcome::Failed;
        result.error = e.message();
        result.errorCode = e.nativeCode();
    }
    // A connection that just failed is not trusted again; a healthy one stays for the next table.
    const bool broken =
        result.outcome == TableOutcome::Failed && RetryPolicy::isTransient(result.errorCode, result.error);
    if (m_source.isCheckedOut())
        m_source.checkin(broken);
    if (m_target.isCheckedOut())
        m_target.checkin(broken);
    return result;
}

bool SyncWorker::pause(std::chrono::milliseconds duration)
{
    const QDeadlineTimer deadline(duration);
    while (!deadline.hasExpired()) {
        if (m_stopRequested.load())
            return false;
        QThread::msleep(std::min<qint64>(100, deadline.remainingTime()));
    }
    return !m_stopRequested.load();
}

} // namespace tablesync
