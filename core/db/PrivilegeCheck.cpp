#include "db/PrivilegeCheck.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/GrantStatement.h"

#include <QMap>
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

// The roles this session has enabled (its default role and the roles granted to that).
QStringList enabledRoles(DbConnection &connection)
{
    QStringList roles;
    QSqlQuery query =
        connection.select(u"SELECT ROLE_NAME FROM information_schema.ENABLED_ROLES WHERE ROLE_NAME IS NOT NULL"_qs, {},
                          u"reading the account's roles"_qs);
    while (query.next())
        roles << query.value(0).toString();
    return roles;
}

QString currentAccount(DbConnection &connection)
{
    // The host follows the last @: a user name may hold one of its own ('ops@corp'@'%').
    return connection
        .scalar(u"SELECT CONCAT('''', LEFT(CURRENT_USER(), LENGTH(CURRENT_USER()) - "
                "LENGTH(SUBSTRING_INDEX(CURRENT_USER(), '@', -1)) - 1), '''@''', "
                "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"_qs,
                {}, u"reading the account's name"_qs)
        .toString();
}

// Database-level grants that match the database, by the name or pattern they were granted on.
// The server applies one of them only (per account, and per enabled role with the roles granted
// to it, merged where they name the same pattern): an exact name before any pattern, and between
// equals whichever its table lists first. So a privilege is sure only when every candidate
// grants it.
class DatabaseGrants
{
public:
    void add(const QString &pattern, const QString &privilege) { m_byPattern[pattern].insert(privilege); }
    void addAll(const QString &pattern, const QStringList &privileges)
    {
        for (const QString &privilege : privileges)
            add(pattern, privilege);
    }

    // The names or patterns one of which the server applies: the exact ones if any, else all.
    QStringList candidates() const
    {
        QStringList exact;
        for (auto it = m_byPattern.cbegin(); it != m_byPattern.cend(); ++it) {
            if (!hasWildcard(it.key()))
                exact << it.key();
        }
        return exact.isEmpty() ? m_byPattern.keys() : exact;
    }

    void resolveInto(QSet<QString> *sure, QSet<QString> *doubtful) const
    {
        QList<QSet<QString>> candidates;
        for (const QString &pattern : this->candidates())
            candidates << m_byPattern.value(pattern);
        if (candidates.isEmpty())
            return;
        QSet<QString> all = candidates.first();
        QSet<QString> every = candidates.first();
        for (const QSet<QString> &privileges : candidates) {
            all.unite(privileges);
            every.intersect(privileges);
        }
        sure->unite(every);
        doubtful->unite(all.subtract(every));
    }

private:
    static bool hasWildcard(const QString &pattern)
    {
        for (qsizetype i = 0; i < pattern.size(); ++i) {
            if (pattern[i] == u'\\')
                ++i; // an escaped character is itself
            else if (pattern[i] == u'%' || pattern[i] == u'_')
                return true;
        }
        return false;
    }

    QMap<QString, QSet<QString>> m_byPattern;
};

struct Granted
{
    QSet<QString> whole; // on every table of the database, surely
    QSet<QString> some;  // on some tables or columns only
    DatabaseGrants account;
    DatabaseGrants roles;
    DatabaseGrants toPublic; // MariaDB's PUBLIC: every account has what it grants
};

// What the enabled roles and PUBLIC grant, from SHOW GRANTS (MariaDB lists them there).
// Returns the roles whose grants were found; a server that lists none of them (MySQL 8 without
// USING) leaves them unread.
QSet<QString> readRoleGrants(DbConnection &connection, const QStringList &roles, const QString &database,
                             const QStringList &allPrivileges, Granted *granted)
{
    QSet<QString> read;
    try {
        QSqlQuery lines = connection.select(u"SHOW GRANTS"_qs, {}, u"reading the roles' grants"_qs);
        while (lines.next()) {
            const auto grant = GrantStatement::parse(lines.value(0).toString());
            const bool toPublic =
                grant && grant->granteeIsRole() && grant->granteeUser.compare(u"PUBLIC", Qt::CaseInsensitive) == 0;
            if (!grant || !grant->granteeIsRole() || (!toPublic && !roles.contains(grant->granteeUser)))
                continue;
            read.insert(grant->granteeUser);
            if (!grant->coversDatabase(database))
                continue;
            QStringList privileges;
            for (const QString &privilege : grant->privileges)
                privileges << (privilege == u"ALL PRIVILEGES" || privilege == u"ALL" ? allPrivileges
                                                                                     : QStringList{privilege});
            switch (grant->scope) {
            case GrantStatement::Scope::Global:
                granted->whole.unite(QSet<QString>(privileges.begin(), privileges.end()));
                break;
            case GrantStatement::Scope::Database:
                (toPublic ? granted->toPublic : granted->roles).addAll(grant->databasePattern, privileges);
                break;
            case GrantStatement::Scope::Table:
                granted->some.unite(QSet<QString>(privileges.begin(), privileges.end()));
                break;
            }
            for (const QString &privilege : grant->columnPrivileges)
                granted->some.insert(privilege);
        }
    } catch (const DbError &) {
        // Left unread: the report says the roles' grants are uncertain.
    }
    return read;
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

// The GRANT that gives the account `lacking` on the database. It goes into the database grant of
// the account's the server applies, when that is one: a new grant on the exact name would take
// that one's place and hide what it gives. With none, on the exact name (wildcards escaped:
// `shop_prod` unescaped would also be `shopXprod`); with several, on the exact name too, then
// with every privilege a sync needs, since that grant is the one the server will apply.
QString grantFor(const QStringList &lacking, const Needs &needs, const Granted &granted, const QString &database,
                 const QString &account)
{
    if (lacking.isEmpty())
        return {};
    const QStringList candidates = granted.account.candidates();
    QString on;
    QStringList privileges = lacking;
    if (candidates.size() == 1) {
        on = candidates.first();
    } else {
        on = QString(database).replace(u'\\', u"\\\\"_qs).replace(u'_', u"\\_"_qs).replace(u'%', u"\\%"_qs);
        if (!candidates.isEmpty()) {
            privileges = needs.required;
            for (const QString &optional : needs.optional) {
                if (optional != u"PROCESS") // global only: it has no place in a database grant
                    privileges << optional;
            }
        }
    }
    return QStringLiteral("GRANT %1 ON `%2`.* TO %3;")
        .arg(privileges.join(u", "_qs), on.replace(u'`', u"``"_qs), account);
}

} // namespace

PrivilegeReport run(DbConnection &connection, const QString &role)
{
    PrivilegeReport report;
    report.account = currentAccount(connection);
    const QStringList roles = enabledRoles(connection);
    const QString database = connection.scalar(u"SELECT DATABASE()"_qs, {}, u"reading the database"_qs).toString();
    const Needs needs = needsOf(role);

    // The account's own grants, as information_schema names its grantee: 'user'@'host'. A
    // database grant names a name or pattern (GRANT ... ON `shop\_%`.*), matched as LIKE matches it.
    QSqlQuery own = connection.select(
        u"SELECT PRIVILEGE_TYPE, 'global', '' FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ? "
        "UNION ALL SELECT PRIVILEGE_TYPE, 'database', TABLE_SCHEMA FROM information_schema.SCHEMA_PRIVILEGES "
        "WHERE GRANTEE = ? AND DATABASE() LIKE BINARY TABLE_SCHEMA "
        "UNION ALL SELECT PRIVILEGE_TYPE, 'some', '' FROM information_schema.TABLE_PRIVILEGES "
        "WHERE GRANTEE = ? AND TABLE_SCHEMA = DATABASE() "
        "UNION ALL SELECT PRIVILEGE_TYPE, 'some', '' FROM information_schema.COLUMN_PRIVILEGES "
        "WHERE GRANTEE = ? AND TABLE_SCHEMA = DATABASE()"_qs,
        {report.account, report.account, report.account, report.account}, u"reading the account's privileges"_qs);
    Granted granted;
    while (own.next()) {
        const QString privilege = own.value(0).toString();
        const QString scope = own.value(1).toString();
        if (scope == u"global")
            granted.whole.insert(privilege);
        else if (scope == u"database")
            granted.account.add(own.value(2).toString(), privilege);
        else
            granted.some.insert(privilege);
    }
    QSet<QString> read = readRoleGrants(connection, roles, database, needs.required + needs.optional, &granted);
    read.remove(u"PUBLIC"_qs);
    const bool rolesUnread = read.size() < QSet<QString>(roles.begin(), roles.end()).size();
    // Each grantee's one applied database grant; what any of them grants, the session has.
    QSet<QString> doubtful;
    for (const DatabaseGrants *grants : {&granted.account, &granted.roles, &granted.toPublic})
        grants->resolveInto(&granted.whole, &doubtful);
    doubtful.subtract(granted.whole);

    for (const QString &privilege : needs.required) {
        if (granted.whole.contains(privilege))
            continue;
        if (doubtful.contains(privilege))
            report.uncertain << privilege;
        else if (rolesUnread)
            report.uncertain << privilege;
        else if (granted.some.contains(privilege))
            report.partial << privilege;
        else
            report.missing << privilege;
    }
    if (!report.uncertain.isEmpty()) {
        report.uncertainWhy =
            rolesUnread ? u"the account's roles could not all be read (this server does not list what they grant)"_qs
                        : u"several database grants match and the server applies only one of them (an exact "
                          "name before a pattern)"_qs;
    }
    for (const QString &privilege : needs.optional) {
        if (!granted.whole.contains(privilege))
            report.missingOptional << privilege;
    }
    if (!report.missingOptional.isEmpty())
        report.optionalAdvice = needs.optionalAdvice;
    if (!report.missing.isEmpty())
        report.rolesNotEnabled = rolesNotEnabled(connection);
    report.grantStatement = grantFor(report.missing + report.uncertain, needs, granted, database, report.account);
    return report;
}

} // namespace tablesync::PrivilegeCheck
