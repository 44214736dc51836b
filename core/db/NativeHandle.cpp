#include "db/NativeHandle.h"

#include "db/DbConnection.h"

#include <QSqlDriver>

#include <mysql.h>

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

} // namespace tablesync
