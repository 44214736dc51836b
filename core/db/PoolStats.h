#pragma once

#include <QMetaType>
#include <QString>

namespace tablesync {

// A snapshot of one server's connection pool (SQLAlchemy QueuePool semantics).
struct PoolStats
{
    QString server; // "source" or "target"
    int size = 0;   // POOL_SIZE: connections kept open when idle
    int maxOverflow = 0;
    int timeoutSeconds = 0;
    int recycleSeconds = 0;

    int open = 0;       // connections that exist now
    int checkedOut = 0; // in use by a table job or the engine
    int waiting = 0;    // callers waiting for a connection
    int overflowInUse() const { return open > size ? open - size : 0; }
    int idle() const { return open - checkedOut; }

    qint64 openedTotal = 0;
    qint64 closedTotal = 0;
    qint64 recycledTotal = 0; // replaced because older than POOL_RECYCLE
    qint64 replacedTotal = 0; // replaced because the pre-use check found them dead
    qint64 timeoutsTotal = 0; // callers that gave up after POOL_TIMEOUT
    // The network's share of every statement: the median round trip of the last checks before
    // use (a `SELECT 1` each), in milliseconds; negative before the first. Measured, not
    // configured, so that a run slow because of the distance to a server can say so.
    double roundTripMs = -1;

    // The old pipeline's log line, kept word for word: "Source pool status - Size: 20, Checked out: 5".
    QString statusLine() const
    {
        QString name = server;
        if (!name.isEmpty())
            name[0] = name[0].toUpper();
        return QStringLiteral("%1 pool status - Size: %2, Checked out: %3").arg(name).arg(size).arg(checkedOut);
    }
};

} // namespace tablesync

Q_DECLARE_METATYPE(tablesync::PoolStats)
