#pragma once

#include <QByteArray>

struct st_mysql;

namespace tablesync {

class DbConnection;

// The MariaDB Connector/C handle under a QtSql connection (QSqlDriver::handle()), for the few
// things QtSql cannot do: read in the text protocol (TextProtocolQuery) and feed LOAD DATA LOCAL
// from memory (InMemoryInfile). Null when the connection is closed or not MariaDB/MySQL.
st_mysql *nativeHandle(DbConnection &connection);

// The server's summary of the last statement on the connection (mysql_info), e.g.
// "Records: 3  Duplicates: 1  Warnings: 0" after a multi-row INSERT; empty when it sent none.
QByteArray lastStatementInfo(DbConnection &connection);

// Without a round trip: true when the idle connection's socket has something to read, which an
// idle connection has only when the server closed it (a restart, KILL, wait_timeout) or sent the
// error it closes with. A connection cut off silently (a network partition) is not seen.
bool socketLooksClosed(DbConnection &connection);

// False when the server's status flags, sent with the last statement's answer, say no transaction
// is open on the connection: a ROLLBACK would then be a round trip for nothing. True when unknown.
bool mayBeInTransaction(DbConnection &connection);

} // namespace tablesync
