#pragma once

#include "config/Settings.h"
#include "db/PrivilegeCheck.h"

#include <QMetaType>
#include <QString>

namespace tablesync {

// What "Test connection" found out.
struct ConnectionProbeResult
{
    bool ok = false;
    QString role;          // "source" or "target"
    QString server;        // user@host:port/database, never the password
    QString serverVersion; // e.g. "10.11.6-MariaDB-0+deb12u1"
    QString versionComment;
    double roundTripMs = 0; // best of a few SELECT 1
    qint64 connectMs = 0;   // opening the connection, session setup included
    QString sslCipher;      // empty when the connection is not encrypted
    int tableCount = -1;    // base tables in the database
    bool privilegesKnown = false;
    PrivilegeReport privileges; // what the account may do there, against what the role needs
    QString error;              // the server's or the client library's message
    QString hint;               // what to check, in plain words
};

namespace ConnectionProbe {

// Opens a connection exactly as the engine would, measures it, checks the account's privileges
// for the role and closes it, all on the calling thread (QtSql's rule). Never throws. Call it off the GUI thread: a
// dead host takes up to DB_CONNECT_TIMEOUT seconds.
ConnectionProbeResult run(const ConnectionSettings &settings);

// A plain-words hint for a connection error message (empty when there is nothing to add).
QString hintFor(const QString &error, const ConnectionSettings &settings);

} // namespace ConnectionProbe
} // namespace tablesync

Q_DECLARE_METATYPE(tablesync::ConnectionProbeResult)
