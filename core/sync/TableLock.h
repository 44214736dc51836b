#pragma once

#include <QElapsedTimer>
#include <QString>

namespace tablesync {

class DbConnection;

// A named lock on the target server for one target table (GET_LOCK), held by the connection that
// syncs the table for as long as it does. Two tablesync processes (a service and the desktop app
// on one profile, a cron --once overlapping the service, two hosts pointed at one target) then
// never work on one target table at once: they would drop each other's staging table, restore
// triggers the other suspended, and swap a half-copied table into place. Server-side, so it holds
// across machines; tied to the session, so a killed process's lock goes with its connection.
// Never waits: a table held by another process is left to it for this run.
class TableLock
{
public:
    TableLock(DbConnection &target, const QString &database, const QString &table);
    ~TableLock(); // releases it, when acquired
    TableLock(const TableLock &) = delete;
    TableLock &operator=(const TableLock &) = delete;

    bool acquired() const { return m_acquired; }
    // Who holds it, when not acquired: "connection 42 of tablesync@10.0.0.5:53122" (or just the
    // connection, when this account may not see the other's).
    QString holder() const { return m_holder; }

    // The lock's name: tablesync:`database`.`table` in lower case, or a hash of that beyond the
    // 64 characters MySQL allows in a lock name.
    static QString nameFor(const QString &database, const QString &table);

    // Throws DbError unless this connection still holds the lock. The lock goes with the
    // connection: a copy whose writes go through other connections checks between pages that
    // this one is still there (and, asking, keeps it from idling into wait_timeout). Asks the
    // server at most every few seconds; in between it answers at once.
    void confirmHeld();

private:
    DbConnection &m_target;
    QString m_name;
    bool m_acquired = false;
    QString m_holder;
    QString m_table;
    QElapsedTimer m_sinceConfirmed;
};

} // namespace tablesync
