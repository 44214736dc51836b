#include "db/NativeHandle.h"

#include "db/DbConnection.h"

#include <QSqlDriver>

#include <mysql.h>
#include <poll.h>

namespace tablesync {

st_mysql *nativeHandle(DbConnection &connection)
{
    if (!connection.isOpen())
        return nullptr;
    const QVariant handle = connection.database().driver()->handle();
    // Qt 6.4 names the type by the struct ("st_mysql*"), its documentation by the typedef.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "st_mysql*") != 0 && qstrcmp(handle.typeName(), "MYSQL*") != 0))
        return nullptr;
    return *static_cast<MYSQL *const *>(handle.constData());
}

QByteArray lastStatementInfo(DbConnection &connection)
{
    st_mysql *handle = nativeHandle(connection);
    const char *info = handle ? mysql_info(handle) : nullptr;
    return info ? QByteArray(info) : QByteArray();
}

bool socketLooksClosed(DbConnection &connection)
{
    st_mysql *handle = nativeHandle(connection);
    if (!handle)
        return true;
    // An idle connection has nothing to read: the server speaks only when asked. Readable means
    // the server closed it (a restart, KILL, wait_timeout) or sent the error it closes with.
    pollfd socket{int(mysql_get_socket(handle)), POLLIN, 0};
    const int ready = ::poll(&socket, 1, 0);
    return ready != 0;
}

bool mayBeInTransaction(DbConnection &connection)
{
    st_mysql *handle = nativeHandle(connection);
    unsigned int status = 0;
    if (!handle || mariadb_get_infov(handle, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0)
        return true;
    return (status & SERVER_STATUS_IN_TRANS) != 0;
}

} // namespace tablesync
