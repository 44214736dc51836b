#include "sync/TableComparer.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"
#include "sync/BackgroundConnection.h"

#include <QHash>
#include <QSet>

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
    return rowText(m_dialect, m_scope == Scope::Keys ? m_keys : m_columns, forChunkChecksum);
}

QString TableComparer::rowChecksum(const QString &text)
{
    return u"CAST(CONV(LEFT(SHA1("_qs + text + u"), 16), 16, 10) AS UNSIGNED)"_qs;
}

QString TableComparer::rowText(const SqlDialect &dialect, const QList<ColumnInfo> &columns, bool forChunkChecksum)
{
    // The same text on both servers for the same stored value, whatever QtSql would make of it.
    // Chunk checksums take text columns as they are (HEX would double the bytes to hash); the
    // NULL flags at the end keep NULL apart from the text "\\N". Row hashes use HEX throughout.
    QStringList parts;
    QStringList nullFlags;
    for (const ColumnInfo &c : columns) {
        const QString name = dialect.quoteIdentifier(c.name);
        QString expr;
        switch (c.kind()) {
        case ValueKind::Text:
            // Length-prefixed: ('a|', 'b') and ('a', '|b') must not both read "a||b".
            expr = forChunkChecksum ? QString(u"CONCAT(LENGTH("_qs + name + u"), ':', "_qs + name + u')')
                                    : QString(u"HEX("_qs + name + u')');
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
        // A NOT NULL column needs no stand-in for NULL: one function call less per value.
        parts << (c.nullable ? u"IFNULL("_qs + expr + u", '\\N')"_qs : expr);
        if (c.nullable)
            nullFlags << u"ISNULL("_qs + name + u')';
    }
    if (!nullFlags.isEmpty())
        parts << u"CONCAT("_qs + nullFlags.join(u", "_qs) + u')';
    return u"CONCAT_WS('|', "_qs + parts.join(u", "_qs) + u')';
}

QString TableComparer::rangeCondition(const Range &range, QVariantList &binds, bool onTarget) const
{
    QStringList conditions;
    if (onTarget && !m_targetCondition.isEmpty())
        conditions << u'(' + m_targetCondition + u')';
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

bool TableComparer::hasOneIntegerKey() const
{
    return m_keys.size() == 1 && m_keys.first().kind() == ValueKind::Integer;
}

TableComparer::SourceChunk TableComparer::nextSourceChunk(const QVariantList &after)
{
    if (hasOneIntegerKey())
        return nextIntegerKeyChunk(after);
    const std::optional<QVariantList> end = chunkEnd(after);
    SourceChunk chunk;
    chunk.range = {after, end ? *end : QVariantList()};
    chunk.last = !end;
    chunk.checksum = readChecksum(m_source, checksumStatement(chunk.range, false));
    return chunk;
}

TableComparer::SourceChunk TableComparer::nextIntegerKeyChunk(const QVariantList &after)
{
    // One pass over the next chunkRows keys gives the checksum and the chunk's last key (MAX of an
    // integer needs no conversion), instead of an OFFSET scan for the end and a second pass.
    const QString key = m_dialect.quoteIdentifier(m_keys.first().name);
    QVariantList binds;
    const QString where = rangeCondition({after, {}}, binds, false);
    QSqlQuery query = m_source.select(u"SELECT COUNT(*), CAST(BIT_XOR(`_tablesync_crc`) AS CHAR), MAX("_qs + key +
                                          u") FROM (SELECT "_qs + rowChecksum(rowHashExpression(true)) +
                                          u" AS `_tablesync_crc`, "_qs + key + u" FROM "_qs +
                                          m_dialect.quoteIdentifier(m_table) + where + u" ORDER BY "_qs + key +
                                          QStringLiteral(" LIMIT %1) AS `_tablesync_chunk`").arg(m_chunkRows),
                                      binds, u"checksumming the next chunk of "_qs + m_table + u" on the source"_qs);
    query.next();
    SourceChunk chunk;
    chunk.checksum = {query.value(0).toLongLong(), query.value(1).toString()};
    // Fewer rows than a chunk: the rest of the table, so target keys past the source's last count.
    chunk.last = chunk.checksum.first < m_chunkRows;
    chunk.range = {after, chunk.last ? QVariantList() : QVariantList{query.value(2)}};
    return chunk;
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
    const QString where = rangeCondition({after, {}}, binds, false);
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

TableComparer::Statement TableComparer::checksumStatement(const Range &range, bool onTarget) const
{
    Statement statement;
    const QString where = rangeCondition(range, statement.binds, onTarget);
    // The count and an XOR of per-row checksums (rowChecksum); a chunk that differs is compared
    // row by row.
    statement.sql = u"SELECT COUNT(*), CAST(BIT_XOR("_qs + rowChecksum(rowHashExpression(true)) +
                    u") AS CHAR) FROM "_qs + m_dialect.quoteIdentifier(m_table) + where;
    statement.what =
        u"checksumming a chunk of "_qs + m_table + (onTarget ? u" on the target"_qs : u" on the source"_qs);
    return statement;
}

TableComparer::Statement TableComparer::rowsStatement(const Range &range, bool onTarget) const
{
    QStringList select;
    for (const ColumnInfo &k : std::as_const(m_keys))
        select << m_dialect.readExpression(k);
    // Delete detection needs only the keys; a row hash would cost an MD5 per row for nothing.
    if (m_scope == Scope::Content)
        select << u"MD5("_qs + rowHashExpression(false) + u')';
    Statement statement;
    const QString where = rangeCondition(range, statement.binds, onTarget);
    statement.sql = u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + m_dialect.quoteIdentifier(m_table) + where;
    statement.what = u"reading a differing chunk of "_qs + m_table;
    return statement;
}

TableComparer::Checksum TableComparer::readChecksum(DbConnection &connection, const Statement &statement)
{
    QSqlQuery query = connection.select(statement.sql, statement.binds, statement.what);
    query.next();
    return {query.value(0).toLongLong(), query.value(1).toString()};
}

QList<TableComparer::Row> TableComparer::readRows(DbConnection &connection, const Statement &statement, int keyCount,
                                                  bool hashed)
{
    QSqlQuery query = connection.select(statement.sql, statement.binds, statement.what);
    QList<Row> rows;
    while (query.next()) {
        QVariantList key;
        for (int i = 0; i < keyCount; ++i)
            key << query.value(i);
        rows.append({key, hashed ? query.value(keyCount).toString() : QString()});
    }
    return rows;
}

std::vector<qint64> TableComparer::readIntegerKeys(DbConnection &connection, const Statement &statement,
                                                   bool isUnsigned)
{
    QSqlQuery query = connection.select(statement.sql, statement.binds, statement.what);
    std::vector<qint64> keys;
    keys.reserve(size_t(std::max(0, query.size())));
    while (query.next())
        keys.push_back(isUnsigned ? qint64(query.value(0).toULongLong() ^ kSignBit) : query.value(0).toLongLong());
    return keys;
}

TableComparer::Difference TableComparer::diffIntegerKeys(const Statement &sourceKeys, const Statement &targetKeys)
{
    const bool isUnsigned = m_keys.first().isUnsigned();
    std::future<std::vector<qint64>> targetKeysRead =
        onTarget<std::vector<qint64>>([statement = targetKeys, isUnsigned](DbConnection &target) {
            return readIntegerKeys(target, statement, isUnsigned);
        });
    const std::vector<qint64> source = readIntegerKeys(m_source, sourceKeys, isUnsigned);
    const std::vector<qint64> target = targetKeysRead.get();
    const auto key = [isUnsigned](qint64 value) {
        return QVariantList{isUnsigned ? QVariant(quint64(value) ^ kSignBit) : QVariant(value)};
    };
    // Both lists are in key order: one merge walk finds what only one side has.
    Difference difference;
    size_t s = 0;
    size_t t = 0;
    while (s < source.size() || t < target.size()) {
        if (t == target.size() || (s < source.size() && source[s] < target[t])) {
            difference.missing << key(source[s++]);
        } else if (s == source.size() || target[t] < source[s]) {
            difference.extra << key(target[t++]);
        } else {
            ++s;
            ++t;
        }
    }
    return difference;
}

TableComparer::Difference TableComparer::diffChunk(const Range &range)
{
    // The task captures only values: it may run on another thread while this one reads the source.
    const int keyCount = int(m_keys.size());
    const bool hashed = m_scope == Scope::Content;
    std::future<QList<Row>> targetRows =
        onTarget<QList<Row>>([statement = rowsStatement(range, true), keyCount, hashed](DbConnection &target) {
            return readRows(target, statement, keyCount, hashed);
        });
    // A key that appears twice on one side (a target whose index on it is not unique) is a
    // difference even when every key is on both sides: the row counts differ.
    Difference difference;
    QHash<QByteArray, Row> source;
    for (const Row &row : readRows(m_source, rowsStatement(range, false), keyCount, hashed)) {
        const QByteArray key = keyBytes(row.first);
        if (source.contains(key))
            difference.different << row.first;
        source.insert(key, row);
    }
    QSet<QByteArray> seenInTarget;
    for (const Row &row : targetRows.get()) {
        const QByteArray key = keyBytes(row.first);
        if (seenInTarget.contains(key)) {
            difference.different << row.first;
            continue;
        }
        seenInTarget.insert(key);
        const auto it = source.find(key);
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
    if (m_scope == Scope::Keys && hasOneIntegerKey())
        return runIntegerKeyBuckets(onChunk, onProgress);
    qint64 compared = 0;
    SourceChunk chunk = nextSourceChunk({});
    for (;;) {
        std::future<Checksum> targetChecksum =
            onTarget<Checksum>([statement = checksumStatement(chunk.range, true)](DbConnection &target) {
                return readChecksum(target, statement);
            });
        // While the target works on this chunk, the source moves on to the next one.
        std::optional<SourceChunk> next;
        if (!chunk.last)
            next = nextSourceChunk(chunk.range.through);
        ++m_chunks;
        if (targetChecksum.get() != chunk.checksum) {
            ++m_differingChunks;
            onChunk(diffChunk(chunk.range));
        }
        compared += chunk.checksum.first;
        if (onProgress)
            onProgress(compared);
        if (!next)
            break;
        if (m_stop && m_stop->load()) {
            m_stopped = true; // every chunk so far was compared (and acted on) in full
            break;
        }
        chunk = std::move(*next);
    }
}

} // namespace tablesync
