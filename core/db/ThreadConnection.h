#pragma once

#include <QElapsedTimer>

#include <memory>

class QObject;

namespace tablesync {

class ConnectionPool;
class DbConnection;

// One thread's access to one pool: checkout() gives a checked, open connection owned by this
// thread; checkin() returns it. Between checkouts the connection stays open (idle) unless the
// pool needs the slot. Create, use and destroy it on one thread; `threadContext` is a QObject of
// that thread through which the pool asks for the idle connection to be closed.
class ThreadConnection
{
public:
    ThreadConnection(ConnectionPool &pool, QObject *threadContext);
    ~ThreadConnection();
    ThreadConnection(const ThreadConnection &) = delete;
    ThreadConnection &operator=(const ThreadConnection &) = delete;

    // Throws DbError: pool timeout, or the server cannot be reached.
    DbConnection &checkout();
    // `broken`: the connection failed (lost, killed); it is closed instead of kept.
    void checkin(bool broken = false);
    bool isCheckedOut() const { return m_checkedOut; }

    // Called on this thread when the pool wants the slot of an idle connection back.
    void closeIdle();
    QObject *threadContext() const { return m_context; }

private:
    bool isUsable(); // pre-use check: a round trip, or a look at the socket when used moments ago
    void closeConnection();

    ConnectionPool &m_pool;
    QObject *m_context;
    std::unique_ptr<DbConnection> m_connection;
    QElapsedTimer m_age;
    QElapsedTimer m_idle; // since the connection was last given back; invalid until then
    bool m_checkedOut = false;
};

} // namespace tablesync
