#include "sync/TableComparer.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"

#include <QHash>

namespace tablesync {

namespace {
// A key as bytes, to match rows of the two servers in a hash (length-prefixed, so ("ab","c")
// and ("a","bc") differ).
QByteArray keyBytes(const QVariantList &key)
{
    QByteArray bytes;
    for (const QVariant &part : key) {
        const QByteArray value = part.typeId() == QMetaType::QByteArray ? part.toByteArray() : part.toString().toUtf8();
        bytes += QByteArray::number(value.size()) + ':' + value;
    }
    return bytes;
}
} // namespace

TableComparer::TableComparer(DbConnection &source, DbConnection &target, const SqlDialect &dialect, QString table,
                             QList<ColumnInfo> columns, QStringList keyColumns, Scope scope, int chunkRows)
    : m_source(source)
    , m_target(target)
    , m_dialect(dialect)
    , m_table(std::move(table))
    , m_columns(std::move(columns))
    , m_scope(scope)
    , m_chunkRows(std::max(1, chunkRows))
{
    for (const QString &key : keyColumns) {
        for (const ColumnInfo &c : std::as_const(m_columns)) {
            if (c.name.compare(key, Qt::CaseInsensitive) == 0)
                m_keys << c;
        }
    }
}

QString TableComparer::rowHashExpression(bool forChunkChecksum) const
{
    // The same text on both servers for the same stored value, whatever QtSql would make of it.
    // Chunk checksums take text columns as they are (HEX would double the bytes to hash); the
    // NULL flags at the end keep NULL apart from the text "\\N". Row hashes use HEX throughout.
    QStringList parts;
    QStringList nullFlags;
    for (const ColumnInfo &c : m_scope == Scope::Keys ? m_keys : m_columns) {
        const QString name = m_dialect.quoteIdentifier(c.name);
        QString expr;
        switch (c.kind()) {
        case ValueKind::Text:
            expr = forChunkChecksum ? name : u"HEX("_qs + name + u')';
            break;
        case ValueKind::Bytes:
            expr = u"HEX("_qs + name + u')';
            break;
        case ValueKind::Float:
            expr = u"CAST(CAST("_qs + name + u" AS DOUBLE) AS CHAR)"_qs;
            break;
        case ValueKind::Bit:
            expr = u"CAST("_qs + name + u"+0 AS CHAR)"_qs;
            break;
        default:
            expr = u"CAST("_qs + name + u" AS CHAR)"_qs;
        }
        parts << u"IFNULL("_qs + expr + u", '\\N')"_qs;
        if (c.nullable)
            nullFlags << u"ISNULL("_qs + name + u')';
    }
    if (!nullFlags.isEmpty())
        parts << u"CONCAT("_qs + nullFlags.join(u", "_qs) + u')';
    return u"CONCAT_WS('|', "_qs + parts.join(u", "_qs) + u')';
}

QString TableComparer::rangeCondition(const Range &range, QVariantList &binds) const
{
    QStringList conditions;
    QList<int> order;
    if (!range.after.isEmpty()) {
        conditions << m_dialect.keysetAfter(m_keys, order);
        for (int index : std::as_const(order))
            binds << range.after.at(index);
    }
    if (!range.through.isEmpty()) {
        conditions << u"NOT "_qs + m_dialect.keysetAfter(m_keys, order);
        for (int index : std::as_const(order))
            binds << range.through.at(index);
    }
    return conditions.isEmpty() ? QString() : u" WHERE "_qs + conditions.join(u" AND "_qs);
}

std::optional<QVariantList> TableComparer::chunkEnd(const QVariantList &after)
{
    QStringList select;
    QStringList order;
    for (const ColumnInfo &k : std::as_const(m_keys)) {
        select << m_dialect.readExpression(k);
        order << m_dialect.quoteIdentifier(k.name);
    }
    QVariantList binds;
    const QString where = rangeCondition({after, {}}, binds);
    QSqlQuery query = m_source.select(
        u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + m_dialect.quoteIdentifier(m_table) + where +
            u" ORDER BY "_qs + order.join(u", "_qs) + QStringLiteral(" LIMIT 1 OFFSET %1").arg(m_chunkRows - 1),
        binds, u"finding the next chunk of "_qs + m_table);
    if (!query.next())
        return std::nullopt;
    QVariantList key;
    for (int i = 0; i < m_keys.size(); ++i)
        key << query.value(i);
    return key;
}

QPair<qint64, QString> TableComparer::chunkChecksum(DbConnection &connection, const Range &range)
{
    QVariantList binds;
    const QString where = rangeCondition(range, binds);
    QSqlQuery query = connection.select(
        // The count and an XOR of per-row CRC32s, as pt-table-checksum computes them: CRC32 is far
        // cheaper than MD5, and a chunk that differs is compared row by row with MD5s anyway.
        u"SELECT COUNT(*), CAST(BIT_XOR(CRC32("_qs + rowHashExpression(true) + u")) AS CHAR) FROM "_qs +
            m_dialect.quoteIdentifier(m_table) + where,
        binds, u"checksumming a chunk of "_qs + m_table + u" on the "_qs + connection.settings().role);
    query.next();
    return {query.value(0).toLongLong(), query.value(1).toString()};
}

QList<QPair<QVariantList, QString>> TableComparer::chunkRows(DbConnection &connection, const Range &range)
{
    QStringList select;
    for (const ColumnInfo &k : std::as_const(m_keys))
        select << m_dialect.readExpression(k);
    QVariantList binds;
    const QString where = rangeCondition(range, binds);
    QSqlQuery query =
        connection.select(u"SELECT "_qs + select.join(u", "_qs) + u", MD5("_qs + rowHashExpression(false) + u')' +
                              u" FROM "_qs + m_dialect.quoteIdentifier(m_table) + where,
                          binds, u"reading a differing chunk of "_qs + m_table);
    QList<QPair<QVariantList, QString>> rows;
    while (query.next()) {
        QVariantList key;
        for (int i = 0; i < m_keys.size(); ++i)
            key << query.value(i);
        rows.append({key, query.value(int(m_keys.size())).toString()});
    }
    return rows;
}

TableComparer::Difference TableComparer::diffChunk(const Range &range)
{
    QHash<QByteArray, QPair<QVariantList, QString>> source;
    for (const auto &row : chunkRows(m_source, range))
        source.insert(keyBytes(row.first), row);
    Difference difference;
    for (const auto &row : chunkRows(m_target, range)) {
        const auto it = source.find(keyBytes(row.first));
        if (it == source.end()) {
            difference.extra << row.first;
            continue;
        }
        if (it->second != row.second)
            difference.different << row.first;
        source.erase(it);
    }
    for (auto it = source.cbegin(); it != source.cend(); ++it)
        difference.missing << it->first;
    return difference;
}

void TableComparer::run(const std::function<void(const Difference &)> &onChunk,
                        const std::function<void(qint64)> &onProgress)
{
    QVariantList after;
    qint64 compared = 0;
    for (;;) {
        const std::optional<QVariantList> end = chunkEnd(after);
        const Range range{after, end ? *end : QVariantList()};
        const auto sourceSum = chunkChecksum(m_source, range);
        const auto targetSum = chunkChecksum(m_target, range);
        ++m_chunks;
        if (sourceSum != targetSum) {
            ++m_differingChunks;
            onChunk(diffChunk(range));
        }
        compared += sourceSum.first;
        if (onProgress)
            onProgress(compared);
        if (!end)
            break;
        after = *end;
    }
}

} // namespace tablesync
