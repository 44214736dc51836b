#include "config/TableSpecValidator.h"

#include "db/DiscoveredTable.h"

#include <QLocale>

namespace tablesync::TableSpecValidator {

namespace {

using Field = TableIssue::Field;
using Severity = TableIssue::Severity;

void checkAgainstSource(int row, const TableSpec &spec, const DiscoveredTable &source, QList<TableIssue> &issues)
{
    const auto add = [&](Field field, Severity severity, const QString &message) {
        issues << TableIssue{row, field, severity, message};
    };
    QStringList columnNames;
    for (const ColumnInfo &c : source.columns)
        columnNames << c.name;

    bool keyColumnsExist = true;
    for (const QString &key : spec.primaryKey) {
        if (!source.column(key)) {
            keyColumnsExist = false;
            add(Field::PrimaryKey, Severity::Warning,
                u"The source table has no column \"%1\" (its columns: %2)."_qs.arg(key, columnNames.join(u", "_qs)));
        }
    }
    // The engine refuses a key that does not identify rows (TableJob::requireUniqueKey): say so here.
    QList<QStringList> sourceKeys = source.uniqueNotNullKeys;
    if (sourceKeys.isEmpty() && !source.syncKey().isEmpty())
        sourceKeys << source.syncKey(); // a catalog that names only its primary or unique key
    const bool identifiesRows = coversAKey(sourceKeys, spec.primaryKey);
    if (keyColumnsExist && !spec.primaryKey.isEmpty() && !identifiesRows) {
        QStringList keys;
        for (const QStringList &key : std::as_const(sourceKeys))
            keys << u'(' + key.join(u", "_qs) + u')';
        add(Field::PrimaryKey, Severity::Warning,
            u"(%1) is not a unique key of the source, so rows sharing it would overwrite each other: this table "
            "will fail when it syncs. %2"_qs.arg(spec.primaryKey.join(u", "_qs),
                                                 keys.isEmpty() ? u"The source table has no unique key of NOT NULL "
                                                                  "columns; add one there."_qs
                                                                : u"Its keys: "_qs + keys.join(u", "_qs) + u'.'));
    }

    if (spec.primaryKey.isEmpty() && !spec.isIncremental() && !source.syncKey().isEmpty()) {
        add(Field::PrimaryKey, Severity::Notice,
            u"No primary key: every run replaces the whole table, and --verify compares whole rows. The source's "
            "key (%1) would let a verification name the rows that differ."_qs.arg(source.syncKey().join(u", "_qs)));
    }

    if (spec.isIncremental()) {
        const ColumnInfo *modifier = source.column(spec.modifier);
        if (!modifier) {
            add(Field::Modifier, Severity::Warning,
                u"The source table has no column \"%1\"; this table will fail when it syncs."_qs.arg(spec.modifier));
        } else if (!modifier->canOrderRows()) {
            add(Field::Modifier, Severity::Warning,
                u"\"%1\" is %2, which cannot order rows reliably; use an integer, DECIMAL, DATE, DATETIME or "
                "TIMESTAMP column."_qs.arg(modifier->name, modifier->columnType));
        } else if (!source.hasIndexStartingWith(modifier->name)) {
            add(Field::Modifier, Severity::Notice,
                u"No index starts with \"%1\", so every batch scans the whole source table; consider "
                "CREATE INDEX on it."_qs.arg(modifier->name));
        }
    } else if (source.estimatedRows >= kLargeTableRows) {
        const QString suggestion = source.suggestedModifier();
        add(Field::Modifier, Severity::Notice,
            u"Full refresh: every run copies all ~%1 rows into a staging table and swaps it in.%2"_qs.arg(
                QLocale().toString(source.estimatedRows),
                suggestion.isEmpty() ? QString()
                                     : u" Pick a modifier (e.g. %1) to copy only changed rows."_qs.arg(suggestion)));
    }
}

} // namespace

QList<TableIssue> validate(const QList<TableSpec> &tables, const QHash<QString, DiscoveredTable> *catalog)
{
    QList<TableIssue> issues;
    QHash<QString, int> firstRowOf;
    for (int row = 0; row < tables.size(); ++row) {
        const TableSpec &spec = tables[row];
        const auto add = [&](Field field, Severity severity, const QString &message) {
            issues << TableIssue{row, field, severity, message};
        };

        const QString name = spec.table.trimmed();
        if (name.isEmpty()) {
            add(Field::Table, Severity::Error, u"A table name is required."_qs);
        } else if (firstRowOf.contains(name.toLower())) {
            add(Field::Table, Severity::Error,
                u"\"%1\" is already configured in row %2; two entries would fight over one table."_qs.arg(
                    name, QString::number(firstRowOf.value(name.toLower()) + 1)));
        } else {
            firstRowOf.insert(name.toLower(), row);
        }

        if (spec.primaryKey.isEmpty() && spec.isIncremental()) {
            add(Field::PrimaryKey, Severity::Error,
                u"Incremental sync needs a primary key: the column(s) that identify a row, e.g. id or order_id, "
                "line_no. Without one, clear the modifier to replace the whole table every run."_qs);
        }
        QStringList seen;
        for (const QString &column : spec.primaryKey) {
            if (seen.contains(column, Qt::CaseInsensitive))
                add(Field::PrimaryKey, Severity::Error, u"The column \"%1\" is listed twice."_qs.arg(column));
            seen << column;
        }

        if (spec.modifier.trimmed().isEmpty() && !spec.modifier.isEmpty())
            add(Field::Modifier, Severity::Error, u"A modifier cannot be blank; leave it empty for full refresh."_qs);
        if (spec.initialValue && !spec.isIncremental()) {
            add(Field::InitialValue, Severity::Warning,
                u"Ignored: an initial value is where incremental sync starts, and this table has no modifier "
                "(full refresh)."_qs);
        }
        if (spec.deletes == TableSpec::Deletes::Soft && !spec.isIncremental()) {
            add(Field::Deletes, Severity::Error,
                u"Soft deletes need a modifier: a full refresh replaces the whole table, so it cannot keep rows "
                "marked as deleted."_qs);
        }
        if (spec.batchSize < 0 || spec.batchSize > 1'000'000)
            add(Field::BatchSize, Severity::Error, u"A batch size is from 1 to 1,000,000 rows."_qs);

        if (catalog && !name.isEmpty()) {
            const auto source = catalog->constFind(name.toLower());
            if (source == catalog->constEnd())
                add(Field::Table, Severity::Warning,
                    u"The source database has no table \"%1\"; it will fail when it syncs."_qs.arg(name));
            else
                checkAgainstSource(row, spec, *source, issues);
        }
    }
    return issues;
}

} // namespace tablesync::TableSpecValidator
