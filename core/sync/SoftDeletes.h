#pragma once

#include <QString>

namespace tablesync {

class DbConnection;
class SqlDialect;

// deletes: "soft": a target row whose key left the source is kept and marked with the time of
// the run that noticed it, in a column the tool adds. NULL means live. Consumers filter on it;
// comparisons look at live rows only, so marked rows neither count as extra nor get marked again.
namespace SoftDeletes {

inline constexpr char kColumn[] = "_dlt_deleted_at";

inline QString column()
{
    return QString::fromLatin1(kColumn);
}

// Adds the column (nullable, so existing rows stay live and MariaDB adds it instantly).
void addColumn(DbConnection &target, const SqlDialect &dialect, const QString &table);

// The condition that selects live target rows.
QString liveCondition(const SqlDialect &dialect);

// The UTC time of the run (its load id is epoch seconds with microseconds) as a DATETIME(6)
// expression taking the load id as its one placeholder; the session time zone is +00:00.
QString runTimeExpression();

} // namespace SoftDeletes
} // namespace tablesync
