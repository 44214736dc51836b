#pragma once

struct st_mysql;

namespace tablesync {

class DbConnection;

// The MariaDB Connector/C handle under a QtSql connection (QSqlDriver::handle()), for the few
// things QtSql cannot do: read in the text protocol (TextProtocolQuery) and feed LOAD DATA LOCAL
// from memory (InMemoryInfile). Null when the connection is closed or not MariaDB/MySQL.
st_mysql *nativeHandle(DbConnection &connection);

} // namespace tablesync
