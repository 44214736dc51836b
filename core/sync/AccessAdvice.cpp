#include "sync/AccessAdvice.h"

#include "db/DbError.h"

namespace tablesync::AccessAdvice {

namespace {

QString key(const ConnectionSettings &server, const char *name)
{
    return server.role.toUpper() + u"_DB_"_qs + QLatin1StringView(name);
}

QString whatToCheck(const ConnectionSettings &server, int code)
{
    switch (code) {
    case 1044:
        return QStringLiteral("the account may not use the database %1 (%2): GRANT it the privileges on %1.* there")
            .arg(server.database, key(server, "NAME"));
    case 1049:
        return QStringLiteral("no database %1 exists on that server: check %2")
            .arg(server.database, key(server, "NAME"));
    case 1129:
        return u"the server blocks this host after too many failed connections: run FLUSH HOSTS (or "
               u"mariadb-admin flush-hosts) on it once the cause is fixed"_qs;
    case 1130:
        return QStringLiteral("the account %1 may not connect from this host: create it for this host "
                              "('%1'@'this address' or '%1'@'%')")
            .arg(server.user);
    case 1251:
    case 2059:
        return u"the account uses an authentication method this client cannot speak: give it "
               u"mysql_native_password or ed25519"_qs;
    case 1862:
    case 3118:
    case 4151:
        return QStringLiteral("the account %1 is locked or its password expired: ALTER USER on that server")
            .arg(server.user);
    default:
        break;
    }
    if (server.password.isEmpty())
        return QStringLiteral("%1 is empty or missing: set the account's password there").arg(key(server, "PASS"));
    return QStringLiteral("check %1 and %2").arg(key(server, "USER"), key(server, "PASS"));
}

} // namespace

QString forRefusedLogin(const ConnectionSettings &server, int code, const QString &serverText)
{
    return QStringLiteral("the %1 server %2 refused the login (%3): %4")
        .arg(server.role, server.displayName(), serverText, whatToCheck(server, code));
}

QString forMissingPrivilege(const RunSummary &summary)
{
    for (const TableResult &table : summary.tables) {
        if (table.outcome == TableOutcome::Failed && DbError::isMissingPrivilege(table.errorCode)) {
            return QStringLiteral("[%1] the account lacks a privilege: %2. Grant what the server names; "
                                  "running again without it fails the same way")
                .arg(table.table, table.error);
        }
    }
    return {};
}

} // namespace tablesync::AccessAdvice
