#include "db/ColumnInfo.h"

#include <QSet>

#include <algorithm>

namespace tablesync {

ValueKind ColumnInfo::kind() const
{
    static const QSet<QString> integers{u"tinyint"_qs, u"smallint"_qs, u"mediumint"_qs, u"int"_qs,
                                        u"integer"_qs, u"bigint"_qs,   u"year"_qs};
    static const QSet<QString> temporal{u"date"_qs, u"datetime"_qs, u"timestamp"_qs, u"time"_qs};
    static const QSet<QString> text{u"char"_qs,     u"varchar"_qs, u"tinytext"_qs, u"text"_qs, u"mediumtext"_qs,
                                    u"longtext"_qs, u"enum"_qs,    u"set"_qs,      u"json"_qs};
    if (integers.contains(dataType))
        return ValueKind::Integer;
    if (dataType == u"decimal" || dataType == u"numeric")
        return ValueKind::Decimal;
    if (dataType == u"float" || dataType == u"double" || dataType == u"real")
        return ValueKind::Float;
    if (temporal.contains(dataType))
        return ValueKind::Temporal;
    if (dataType == u"bit")
        return ValueKind::Bit;
    // A text type with the binary charset is really bytes.
    if (text.contains(dataType) && !charset.isEmpty() && charset != u"binary")
        return ValueKind::Text;
    return ValueKind::Bytes;
}

bool ColumnInfo::canOrderRows() const
{
    // Approximate numbers cannot be a cursor: their text form is not exact, so a stored
    // cursor could skip or repeat rows. Strings order by collation, not by time of change.
    const ValueKind k = kind();
    return k == ValueKind::Integer || k == ValueKind::Decimal || k == ValueKind::Temporal;
}

const ColumnInfo *TableSchema::column(const QString &columnName) const
{
    for (const ColumnInfo &c : columns) {
        if (c.name.compare(columnName, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

bool TableSchema::hasUniqueKeyOn(const QStringList &keyColumns) const
{
    auto lowered = [](const QStringList &list) {
        QSet<QString> set;
        for (const QString &s : list)
            set.insert(s.toLower());
        return set;
    };
    const QSet<QString> wanted = lowered(keyColumns);
    for (const QStringList &key : uniqueKeys) {
        if (lowered(key) == wanted)
            return true;
    }
    return false;
}

bool coversAKey(const QList<QStringList> &keys, const QStringList &columns)
{
    return std::any_of(keys.cbegin(), keys.cend(), [&](const QStringList &key) {
        return std::all_of(key.cbegin(), key.cend(),
                           [&](const QString &name) { return columns.contains(name, Qt::CaseInsensitive); });
    });
}

bool TableSchema::rowsAreUniqueOn(const QStringList &keyColumns) const
{
    QList<QStringList> notNullKeys;
    for (const QStringList &key : uniqueKeys) {
        if (std::none_of(key.cbegin(), key.cend(), [&](const QString &columnName) {
                const ColumnInfo *c = column(columnName);
                return !c || c->nullable;
            }))
            notNullKeys << key;
    }
    return coversAKey(notNullKeys, keyColumns);
}

QStringList TableSchema::describeUniqueKeys() const
{
    QStringList described;
    for (qsizetype i = 0; i < uniqueKeys.size(); ++i) {
        const QStringList &key = uniqueKeys.at(i);
        const QString indexName = uniqueKeyNames.value(i);
        const bool nullable = std::any_of(key.cbegin(), key.cend(), [&](const QString &n) {
            const ColumnInfo *c = column(n);
            return c && c->nullable;
        });
        described << (indexName == u"PRIMARY" ? u"PRIMARY KEY ("_qs : u"UNIQUE KEY "_qs + indexName + u" ("_qs) +
                         key.join(u", "_qs) + (nullable ? u"; NULL allowed, so not a key)"_qs : u")"_qs);
    }
    return described;
}

} // namespace tablesync
