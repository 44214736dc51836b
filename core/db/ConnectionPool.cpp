#include "db/ConnectionPool.h"

#include <algorithm>

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ThreadConnection.h"

#include <QDeadlineTimer>
#include <QObject>

namespace tablesync {

ConnectionPool::ConnectionPool(ConnectionSettings settings, int size, int maxOverflow, int timeoutSeconds,
                               int recycleSeconds)
    : m_settings(std::move(settings))
{
    m_stats.server = m_settings.role;
    m_stats.size = size;
    m_stats.maxOverflow = maxOverflow;
    m_stats.timeoutSeconds = timeoutSeconds;
    m_stats.recycleSeconds = recycleSeconds;
}

PoolStats ConnectionPool::stats() const
{
    QMutexLocker lock(&m_mutex);
    return m_stats;
}

void ConnectionPool::acquire(ThreadConnection *client, bool hasIdleConnection)
{
    QMutexLocker lock(&m_mutex);
    if (hasIdleConnection && m_idleClients.remove(client)) {
        ++m_stats.checkedOut;
        return;
    }
    const QDeadlineTimer deadline(std::chrono::seconds(m_stats.timeoutSeconds));
    ++m_stats.waiting;
    while (m_stats.open >= capacity()) {
        // Idle connections held by other threads count as open: ask their threads to close them.
        for (ThreadConnection *idle : std::as_const(m_idleClients)) {
            QMetaObject::invokeMethod(
                idle->threadContext(), [idle] { idle->closeIdle(); }, Qt::QueuedConnection);
        }
        if (!m_slotFreed.wait(&m_mutex, deadline) && m_stats.open >= capacity()) {
            --m_stats.waiting;
            ++m_stats.timeoutsTotal;
            QString server = m_settings.role;
            server[0] = server[0].toUpper();
            throw DbError(QStringLiteral("%1 pool limit of size %2 overflow %3 reached, connection timed out, "
                                         "timeout %4 (raise POOL_SIZE/MAX_OVERFLOW or lower SYNC_WORKERS)")
                              .arg(server)
                              .arg(m_stats.size)
                              .arg(m_stats.maxOverflow)
                              .arg(m_stats.timeoutSeconds),
                          DbError::kPoolTimeout);
        }
    }
    --m_stats.waiting;
    ++m_stats.open; // the slot is reserved; the caller opens the connection
    ++m_stats.checkedOut;
}

bool ConnectionPool::release(ThreadConnection *client, bool reusable)
{
    QMutexLocker lock(&m_mutex);
    --m_stats.checkedOut;
    // Overflow connections are closed when returned; so is any connection someone waits for.
    const bool keep = reusable && m_stats.open <= m_stats.size && m_stats.waiting == 0;
    if (keep)
        m_idleClients.insert(client);
    return keep;
}

void ConnectionPool::openFailed()
{
    QMutexLocker lock(&m_mutex);
    --m_stats.open;
    --m_stats.checkedOut;
    m_slotFreed.wakeOne();
}

void ConnectionPool::logIn(DbConnection &connection)
{
    // One login at a time: new connections are rare (a pool keeps its own), and a password
    // rotated since the last one must cost one refused attempt, not one per thread.
    QMutexLocker gate(&m_loginGate);
    {
        QMutexLocker lock(&m_mutex);
        if (m_refusal)
            throw *m_refusal;
    }
    try {
        connection.open();
    } catch (const DbError &e) {
        if (DbError::isRefusedLogin(e.nativeCode())) {
            QMutexLocker lock(&m_mutex);
            m_refusal = e;
        }
        throw;
    }
}

void ConnectionPool::forgetLoginRefusal()
{
    QMutexLocker lock(&m_mutex);
    m_refusal.reset();
}

std::optional<DbError> ConnectionPool::loginRefusal() const
{
    QMutexLocker lock(&m_mutex);
    return m_refusal;
}

void ConnectionPool::opened()
{
    QMutexLocker lock(&m_mutex);
    ++m_stats.openedTotal;
}

void ConnectionPool::closed()
{
    QMutexLocker lock(&m_mutex);
    --m_stats.open;
    ++m_stats.closedTotal;
    m_slotFreed.wakeOne();
}

void ConnectionPool::replaced(bool recycled)
{
    QMutexLocker lock(&m_mutex);
    ++m_stats.closedTotal;
    ++(recycled ? m_stats.recycledTotal : m_stats.replacedTotal);
}

void ConnectionPool::roundTripMeasured(qint64 nanoseconds)
{
    // The median of the last few: one slow answer (a busy server, a scheduler hiccup) does not
    // make the network look slow.
    constexpr qsizetype kSamples = 15;
    QMutexLocker lock(&m_mutex);
    m_roundTrips.append(nanoseconds);
    if (m_roundTrips.size() > kSamples)
        m_roundTrips.removeFirst();
    QList<qint64> sorted = m_roundTrips;
    std::sort(sorted.begin(), sorted.end());
    m_stats.roundTripMs = double(sorted.at(sorted.size() / 2)) / 1e6;
}

bool ConnectionPool::takeIdle(ThreadConnection *client)
{
    QMutexLocker lock(&m_mutex);
    return m_idleClients.remove(client);
}

} // namespace tablesync
