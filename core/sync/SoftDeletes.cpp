#include "sync/SoftDeletes.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"

namespace tablesync::SoftDeletes {

void addColumn(DbConnection &target, const SqlDialect &dialect, const QString &table)
{
    target.execSchemaChange(u"ALTER TABLE "_qs + dialect.quoteIdentifier(table) + u" ADD COLUMN "_qs +
                                dialect.quoteIdentifier(column()) + u" DATETIME(6) NULL DEFAULT NULL"_qs,
                            u"adding the "_qs + column() + u" column to "_qs + table + u" in the target"_qs);
}

QString liveCondition(const SqlDialect &dialect)
{
    return dialect.quoteIdentifier(column()) + u" IS NULL"_qs;
}

QString runTimeExpression()
{
    // Through DECIMAL: a double would round the microseconds of a 16-digit load id.
    return u"FROM_UNIXTIME(CAST(? AS DECIMAL(20,6)))"_qs;
}

} // namespace tablesync::SoftDeletes
