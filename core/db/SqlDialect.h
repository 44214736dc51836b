#pragma once

#include "db/ColumnInfo.h"

#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace tablesync {

// The SQL text tablesync needs, for one server family. MySQL/MariaDB first (MySqlDialect);
// everything server-specific that the sync code builds goes through here so another
// family (PostgreSQL via QPSQL) can follow with its own implementation.
class SqlDialect
{
public:
    virtual ~SqlDialect() = default;

    // A safely quoted identifier (table or column name), whatever characters it holds.
    virtual QString quoteIdentifier(const QString &name) const = 0;

    // The expression that reads `column` so its value arrives exactly (see ValueKind).
    virtual QString readExpression(const ColumnInfo &column) const = 0;
    // The expression that reads `column` through the text protocol with binary results
    // (TextProtocolQuery) so its text is exact: there text columns arrive as their stored bytes
    // and temporal and DECIMAL values as their full text without a cast.
    virtual QString textReadExpression(const ColumnInfo &column) const = 0;
    // The expression a placeholder takes to write a value read by readExpression() into `column`.
    virtual QString writePlaceholder(const ColumnInfo &column) const = 0;
    // The expression a placeholder takes to compare a value read by readExpression() with
    // `column` in the column's own order (collation, numeric or temporal order).
    virtual QString comparePlaceholder(const ColumnInfo &column) const = 0;

    // Keyset condition "rows after the bound key": for key columns (k1, k2, ...) the expanded
    // form `k1 > ? OR (k1 = ? AND k2 > ?) OR ...`, which the range optimizer uses on an index.
    // `bindOrder` receives, per placeholder, the index of the key value it takes.
    virtual QString keysetAfter(const QList<ColumnInfo> &keyColumns, QList<int> &bindOrder) const = 0;
    // The same condition with the key's values written in: `literals` holds one SQL literal per
    // key column (compareLiteral), for statements that take no placeholders.
    virtual QString keysetAfterLiterals(const QList<ColumnInfo> &keyColumns, const QStringList &literals) const = 0;
    // A value read by readExpression() or as text (TextRows::value) written as an SQL expression
    // that compares with `column` as comparePlaceholder() does. None for kinds it cannot write
    // exactly (FLOAT/DOUBLE, BIT), or a value of the wrong type.
    virtual std::optional<QString> compareLiteral(const ColumnInfo &column, const QVariant &value) const = 0;

    // What a multi-row INSERT does with a key that already exists.
    enum class OnDuplicate {
        Fail,   // plain INSERT: a duplicate is an error
        Update, // upsert: the existing row is updated in place (never REPLACE: no delete triggers)
        // Upsert that leaves a row whose columns already hold these values untouched: the first
        // extra column (the load id) changes only with the others, and an unchanged row is not
        // written at all. Equal means equal bytes and, for numbers, equal values.
        UpdateIfChanged,
    };
    // Multi-row INSERT of `rowCount` rows.
    // `extraColumns` are plain-placeholder columns appended to each row (the _dlt_ columns).
    virtual QString insertRows(const QString &table, const QList<ColumnInfo> &columns, const QStringList &extraColumns,
                               int rowCount, OnDuplicate onDuplicate) const = 0;
};

} // namespace tablesync
