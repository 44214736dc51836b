#pragma once

#include "db/SqlDialect.h"

#include <functional>

namespace tablesync {

class MySqlDialect final : public SqlDialect
{
public:
    QString quoteIdentifier(const QString &name) const override;
    QString readExpression(const ColumnInfo &column) const override;
    QString textReadExpression(const ColumnInfo &column) const override;
    QString writePlaceholder(const ColumnInfo &column) const override;
    QString comparePlaceholder(const ColumnInfo &column) const override;
    QString keysetAfter(const QList<ColumnInfo> &keyColumns, QList<int> &bindOrder) const override;
    QString keysetAfterLiterals(const QList<ColumnInfo> &keyColumns, const QStringList &literals) const override;
    std::optional<QString> compareLiteral(const ColumnInfo &column, const QVariant &value) const override;
    QString insertRows(const QString &table, const QList<ColumnInfo> &columns, const QStringList &extraColumns,
                       int rowCount, OnDuplicate onDuplicate) const override;

    // A string literal for DDL and administrative statements that cannot take placeholders
    // (e.g. SHOW ... LIKE). Escapes quotes and backslashes; never used for row data.
    static QString quoteString(const QString &value);
    // The CAST target that gives a text value the column's temporal or decimal type.
    static QString castTypeFor(const ColumnInfo &column);

private:
    // The keyset condition with `valueOf(j)` as the value of key column j.
    QString keysetCondition(const QList<ColumnInfo> &keyColumns, const std::function<QString(int)> &valueOf) const;
    QString updateIfChanged(const QList<ColumnInfo> &columns, const QStringList &extraColumns) const;
};

} // namespace tablesync
