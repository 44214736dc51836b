#pragma once

#include <QString>
#include <QStringList>

namespace tablesync {

class DbConnection;

// Which of the privileges a role needs the logged-in account has on the connection's database,
// read from information_schema (the account's own grants, its enabled roles', global and on the
// database; table-level grants count as "some tables only"). Read-only: nothing is created to find out.
struct PrivilegeReport
{
    QString account;             // CURRENT_USER(), as GRANT statements name it: 'user'@'host'
    QStringList missing;         // required and not granted
    QStringList partial;         // granted on some tables only
    QStringList missingOptional; // worth having (PROCESS on the source, TRIGGER on the target)
    QString grantStatement;      // the GRANT that adds what is missing; empty when nothing is
    QString optionalAdvice;      // what the optional privileges are for, when one is missing
    // The account has roles: what they grant is read as MariaDB names them, which other servers
    // (MySQL 8's 'role'@'host') may not match, so "missing" is a doubt, not a verdict.
    bool throughRoles = false;
    // Roles granted to the account but not enabled when it logs in (not its default role):
    // tablesync never runs SET ROLE, so what they grant does not count.
    QStringList rolesNotEnabled;

    bool complete() const { return missing.isEmpty(); }
};

namespace PrivilegeCheck {

// `role` is "source" (SELECT; PROCESS for the late-commit horizon) or "target" (CREATE, ALTER,
// INSERT, UPDATE, DELETE, DROP; TRIGGER when the target has triggers). Throws DbError.
PrivilegeReport run(DbConnection &connection, const QString &role);

} // namespace PrivilegeCheck
} // namespace tablesync
