#pragma once

#include <QString>
#include <QStringList>

namespace tablesync {

class DbConnection;

// Which of the privileges a role needs the logged-in account has on the connection's database:
// the account's own grants from information_schema, its enabled roles' from SHOW GRANTS (an
// account sees only its own grants in information_schema). Global grants count; of several
// database grants that match (an exact name and a pattern, say) the server applies one only, so
// only what all of them grant counts as sure; table and column grants count as "some tables
// only". Read-only: nothing is created to find out.
struct PrivilegeReport
{
    QString account;             // CURRENT_USER(), as GRANT statements name it: 'user'@'host'
    QStringList missing;         // required and not granted
    QStringList partial;         // granted on some tables only
    QStringList missingOptional; // worth having (PROCESS on the source, TRIGGER on the target)
    QString grantStatement;      // the GRANT that adds what is missing (else uncertain); empty when neither
    QString optionalAdvice;      // what the optional privileges are for, when one is missing
    // Required and perhaps granted, perhaps not: the server's answer could not be read exactly
    // (why says which case). Not "missing": nothing is known to be lacking.
    QStringList uncertain;
    QString uncertainWhy;
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
