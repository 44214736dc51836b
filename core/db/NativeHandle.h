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

} // namespace tablesync
