#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace tablesync {

// One line of SHOW GRANTS, as MariaDB and MySQL print it:
//   GRANT SELECT, INSERT (`a`, `b`) ON `shop\_%`.* TO `writer` WITH GRANT OPTION
// Only privilege grants on databases and tables are parsed; role grants (GRANT `r` TO `u`),
// routines and proxies are not (parse() gives nothing for them).
struct GrantStatement
{
    enum class Scope { Global, Database, Table };

    QStringList privileges;       // upper case; ALL PRIVILEGES stays as it is written
    QStringList columnPrivileges; // granted on some columns only
    Scope scope = Scope::Global;
    QString databasePattern; // as in GRANT: `%` and `_` are wildcards, `\_` a literal underscore
    QString table;
    QString granteeUser; // unquoted; a role has no host
    QString granteeHost;
    bool granteeIsRole() const { return granteeHost.isNull(); }

    // Does the grant's database (pattern) name `database`?
    bool coversDatabase(const QString &database) const;

    static std::optional<GrantStatement> parse(const QString &line);
};

} // namespace tablesync
