#include "db/PrivilegeCheck.h"

#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QSet>
#include <QSqlQuery>

namespace tablesync::PrivilegeCheck {

namespace {

struct Needs
{
    QStringList required;
    QStringList optional;
    QString optionalAdvice;
};

Needs needsOf(const QString &role)
{
    if (role == u"source") {
        return {{u"SELECT"_qs},
                {u"PROCESS"_qs},
                u"PROCESS lets tablesync see the source's open transactions, so rows committed late are never "
                "skipped; without it only each table's lag protects them"_qs};
    }
    return {{u"SELECT"_qs, u"INSERT"_qs, u"UPDATE"_qs, u"DELETE"_qs, u"CREATE"_qs, u"ALTER"_qs, u"DROP"_qs},
            {u"TRIGGER"_qs},
            u"TRIGGER lets tablesync suspend the target's own triggers while it loads a table (a target restored "
            "from a dump may have some); without it such a table fails"_qs};
}

// The grantees whose privileges this session has: the account itself and its enabled roles.
// information_schema names them as 'user'@'host' and 'role'.
QStringList grantees(DbConnection &connection, QString *account)
{
    // The host follows the last @: a user name may hold one of its own ('ops@corp'@'%').
    *account = connection
                   .scalar(u"SELECT CONCAT('''', LEFT(CURRENT_USER(), LENGTH(CURRENT_USER()) - "
                           "LENGTH(SUBSTRING_INDEX(CURRENT_USER(), '@', -1)) - 1), '''@''', "
                           "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"_qs,
                           {}, u"reading the account's name"_qs)
                   .toString();
    QStringList names{*account};
    QSqlQuery roles = connection.select(
        u"SELECT CONCAT('''', ROLE_NAME, '''') FROM information_schema.ENABLED_ROLES WHERE ROLE_NAME IS NOT NULL"_qs,
        {}, u"reading the account's roles"_qs);
    while (roles.next())
        names << roles.value(0).toString();
    return names;
}

// Roles the account could enable but does not at login. Servers without roles have no such view.
QStringList rolesNotEnabled(DbConnection &connection)
{
    QStringList roles;
    try {
        QSqlQuery query = connection.select(
            u"SELECT ROLE_NAME FROM information_schema.APPLICABLE_ROLES WHERE ROLE_NAME NOT IN (SELECT ROLE_NAME "
            "FROM information_schema.ENABLED_ROLES WHERE ROLE_NAME IS NOT NULL) ORDER BY ROLE_NAME"_qs,
            {}, u"reading the account's roles"_qs);
        while (query.next())
            roles << query.value(0).toString();
    } catch (const DbError &) {
        // Nothing to add to the report: only a hint depends on it.
    }
    return roles;
}

} // namespace

PrivilegeReport run(DbConnection &connection, const QString &role)
{
    PrivilegeReport report;
    const QStringList names = grantees(connection, &report.account);
    report.throughRoles = names.size() > 1;
    QVariantList values;
    QStringList marks;
    for (const QString &name : names) {
        values << name;
        marks << u"?"_qs;
    }
    const QString in = marks.join(u", "_qs);
    // A database-level grant names a pattern (GRANT ... ON `shop\_%`.*), matched as LIKE matches it.
    QSqlQuery granted = connection.select(
        u"SELECT PRIVILEGE_TYPE, 'whole' FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN ("_qs + in +
            u") UNION SELECT PRIVILEGE_TYPE, 'whole' FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN ("_qs +
            in +
            u") AND DATABASE() LIKE TABLE_SCHEMA UNION SELECT PRIVILEGE_TYPE, 'some' FROM "
            "information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN ("_qs +
            in + u") AND TABLE_SCHEMA = DATABASE()"_qs,
        values + values + values, u"reading the account's privileges"_qs);
    QSet<QString> whole;
    QSet<QString> some;
    while (granted.next())
        (granted.value(1).toString() == u"whole" ? whole : some).insert(granted.value(0).toString());

    const Needs needs = needsOf(role);
    for (const QString &privilege : needs.required) {
        if (whole.contains(privilege))
            continue;
        (some.contains(privilege) ? report.partial : report.missing) << privilege;
    }
    for (const QString &privilege : needs.optional) {
        if (!whole.contains(privilege))
            report.missingOptional << privilege;
    }
    if (!report.missingOptional.isEmpty())
        report.optionalAdvice = needs.optionalAdvice;
    if (!report.missing.isEmpty()) {
        report.rolesNotEnabled = rolesNotEnabled(connection);
        const QString database = connection.scalar(u"SELECT DATABASE()"_qs, {}, u"reading the database"_qs).toString();
        report.grantStatement =
            QStringLiteral("GRANT %1 ON `%2`.* TO %3;")
                .arg(report.missing.join(u", "_qs), QString(database).replace(u'`', u"``"_qs), report.account);
    }
    return report;
}

} // namespace tablesync::PrivilegeCheck
