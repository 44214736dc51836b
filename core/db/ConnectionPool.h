#pragma once

#include "config/Settings.h"
#include "db/DbError.h"
#include "db/PoolStats.h"

#include <QMutex>
#include <QSet>
#include <QWaitCondition>

#include <optional>

namespace tablesync {

class DbConnection;
class ThreadConnection;

// The connection pool of one server, with SQLAlchemy QueuePool semantics: up to POOL_SIZE
// connections kept, up to MAX_OVERFLOW more opened under load and closed when returned, a caller
// waits up to POOL_TIMEOUT seconds and then fails with a clear error, connections older than
// POOL_RECYCLE seconds are replaced, and a connection is checked before use.
//
// QtSql's rule is that a connection belongs to the thread that opened it, so the pool does not
// hand connections between threads: it bounds and accounts them. Each thread reaches the pool
// through its own ThreadConnection, which keeps its idle connection for its next checkout. When
// a caller waits while other threads hold idle connections, those threads are asked to close them.
class ConnectionPool
{
public:
    ConnectionPool(ConnectionSettings settings, int size, int maxOverflow, int timeoutSeconds, int recycleSeconds);

    const ConnectionSettings &settings() const { return m_settings; }
    PoolStats stats() const; // thread-safe snapshot
    int capacity() const { return m_stats.size + m_stats.maxOverflow; }

    // Logins. A server that refused one login (DbError::isRefusedLogin) refuses the next too, and
    // each attempt counts against the account (lockout, max_connect_errors, intrusion detection).
    // So threads log in one at a time, and after a refusal every checkout that needs a new
    // connection fails with that refusal, without asking the server, until forgetLoginRefusal()
    // (the engine calls it when a run starts).
    void forgetLoginRefusal();
    std::optional<DbError> loginRefusal() const;

private:
    friend class ThreadConnection;

    // Reserves a checkout for `client`. When it holds an idle connection, that one is used;
    // otherwise a slot for a new connection is reserved (the caller opens it), waiting up to
    // POOL_TIMEOUT for one. Throws DbError when the wait times out.
    void acquire(ThreadConnection *client, bool hasIdleConnection);
    // The checkout ended. Returns true when the client may keep its connection open and idle;
    // false when it must close it (overflow, someone waiting, or not reusable) and call closed().
    bool release(ThreadConnection *client, bool reusable);
    // A reserved slot could not be opened.
    void openFailed();
    void opened();
    void closed();
    void replaced(bool recycled);
    // A check before use took this long: one round trip to the server.
    void roundTripMeasured(qint64 nanoseconds);
    // The client closes its idle connection (asked to, or going away); false if it is not idle.
    bool takeIdle(ThreadConnection *client);
    // Opens `connection` under the login rules above; throws DbError.
    void logIn(DbConnection &connection);

    ConnectionSettings m_settings;
    mutable QMutex m_mutex;
    QWaitCondition m_slotFreed;
    PoolStats m_stats;
    QSet<ThreadConnection *> m_idleClients;
    QList<qint64> m_roundTrips;       // the last few, in nanoseconds, oldest first
    QMutex m_loginGate;               // held by the one thread logging in
    std::optional<DbError> m_refusal; // guarded by m_mutex
};

} // namespace tablesync
