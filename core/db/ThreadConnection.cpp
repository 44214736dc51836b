#include "db/ThreadConnection.h"

#include "db/ConnectionPool.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/NativeHandle.h"

#include <QSqlQuery>

namespace tablesync {

ThreadConnection::ThreadConnection(ConnectionPool &pool, QObject *threadContext)
    : m_pool(pool)
    , m_context(threadContext)
{}

ThreadConnection::~ThreadConnection()
{
    if (m_checkedOut)
        checkin(true);
    closeIdle();
}

DbConnection &ThreadConnection::checkout()
{
    Q_ASSERT(!m_checkedOut);
    m_pool.acquire(this, m_connection != nullptr);
    try {
        if (m_connection) {
            const int recycle = m_pool.stats().recycleSeconds; // -1: never
            const bool tooOld = recycle >= 0 && m_age.hasExpired(qint64(recycle) * 1000);
            if (tooOld || !isUsable()) {
                // Replaced in place: the slot stays reserved for this thread.
                m_connection.reset();
                m_pool.replaced(tooOld);
            }
        }
        if (!m_connection) {
            auto connection = std::make_unique<DbConnection>(m_pool.settings());
            m_pool.logIn(*connection);
            m_connection = std::move(connection);
            m_age.start();
            m_pool.opened();
            m_idle.invalidate();
            isUsable(); // one round trip, timed: the pool knows the network's share from the start
        }
    } catch (const DbError &) {
        m_connection.reset();
        m_pool.openFailed();
        throw;
    }
    m_checkedOut = true;
    return *m_connection;
}

bool ThreadConnection::isUsable()
{
    // A connection given back moments ago needs no round trip to be trusted: a server that closed
    // it since (restart, KILL) shows in its socket. One idle for longer, or whose socket has
    // something to read, is asked: that also finds a connection cut off silently, and measures
    // the round trip.
    constexpr qint64 kRecentlyUsedMs = 2000;
    if (m_idle.isValid() && !m_idle.hasExpired(kRecentlyUsedMs) && !socketLooksClosed(*m_connection))
        return true;
    // A server restart or wait_timeout leaves a connection that still says isOpen(): ask the server.
    QSqlQuery ping(m_connection->database());
    QElapsedTimer roundTrip;
    roundTrip.start();
    if (!ping.exec(u"SELECT 1"_qs))
        return false;
    m_pool.roundTripMeasured(roundTrip.nsecsElapsed());
    return true;
}

void ThreadConnection::checkin(bool broken)
{
    Q_ASSERT(m_checkedOut);
    m_checkedOut = false;
    if (!broken && mayBeInTransaction(*m_connection))
        m_connection->rollback(); // nothing half-done travels to the next user
    if (!m_pool.release(this, !broken)) {
        m_connection.reset();
        m_pool.closed();
        return;
    }
    m_idle.start();
}

void ThreadConnection::closeIdle()
{
    if (m_connection && !m_checkedOut && m_pool.takeIdle(this)) {
        m_connection.reset();
        m_pool.closed();
    }
}

} // namespace tablesync
