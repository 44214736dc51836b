// TableComparer, Keys scope, primary key of one integer column: which keys only one server has,
// found by comparing small buckets of keys instead of chunks of 10,000.
//
// Both servers count and checksum their keys per bucket of about kRowsPerBucket keys, thousands
// of buckets in one statement (GROUP BY (key - first) DIV width over a key range, which one scan
// of the primary key answers). Only the keys of buckets that differ are read and merged. With
// deletes spread over a whole table (every chunk differs), the chunk approach reads every key
// twice more; this reads about kRowsPerBucket keys per deleted row.
//
// Bucket widths follow the density of the keys seen so far, so dense, sparse and clustered keys
// all give buckets of a few dozen keys; a differing bucket that still holds too many (a dense
// cluster in a sparse stretch) is cut into buckets again. A bucket compares equal when its count
// and the XOR of its keys' checksums (TableComparer::rowChecksum) agree.

#include "sync/TableComparer.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"

#include <algorithm>

namespace tablesync {

namespace {
constexpr qint64 kBucketsPerStatement = 4096;
constexpr double kRowsPerBucket = 32;
// A differing bucket with more keys than this on either server is cut into buckets again.
constexpr qint64 kMostKeysToRead = 4096;
// The keys of differing buckets are read for up to this many buckets or keys per statement.
constexpr qsizetype kBucketsPerRead = 256;
constexpr qint64 kKeysPerRead = 20000;
// A statement's keys stay within 2^62 of its first one, so `key - first` never overflows BIGINT
// on the server, whatever the signedness and range of the key column.
constexpr quint64 kWidestBucket = (quint64(1) << 62) / kBucketsPerStatement;
// Empty stretches of keys are crossed with buckets growing this much per statement.
constexpr quint64 kMostGrowth = 64;

// The bucket width for the next statement: kRowsPerBucket keys at the density just seen.
quint64 nextWidth(quint64 spanLength, qint64 rows, quint64 width)
{
    const quint64 grown = std::min(width * kMostGrowth, kWidestBucket);
    if (rows <= 0)
        return grown;
    const double fitting = double(spanLength) * kRowsPerBucket / double(rows);
    return std::clamp<quint64>(fitting >= double(grown) ? grown : quint64(fitting), 1, kWidestBucket);
}
} // namespace

QString TableComparer::ordinalLiteral(Ordinal ordinal) const
{
    return m_keys.first().isUnsigned() ? QString::number(ordinal) : QString::number(qint64(ordinal ^ kSignBit));
}

QString TableComparer::targetConditionAnd(bool onTarget) const
{
    return onTarget && !m_targetCondition.isEmpty() ? u" AND ("_qs + m_targetCondition + u')' : QString();
}

std::optional<TableComparer::OrdinalRange> TableComparer::integerKeyBounds()
{
    const QString key = m_dialect.quoteIdentifier(m_keys.first().name);
    // No WHERE: MIN and MAX of the primary key are then read off the index's ends. With one (even
    // `key IS NOT NULL`) MariaDB 10.11 scans every row, and a target condition would need a scan
    // too; the target's bounds then include rows it leaves out, which only widens the range.
    const Statement statement{u"SELECT MIN("_qs + key + u"), MAX("_qs + key + u") FROM "_qs +
                                  m_dialect.quoteIdentifier(m_table),
                              {},
                              u"finding the key range of "_qs + m_table};
    const bool isUnsigned = m_keys.first().isUnsigned();
    const auto bounds = [isUnsigned](DbConnection &connection, const Statement &bounding) {
        QSqlQuery query = connection.select(bounding.sql, bounding.binds, bounding.what);
        std::optional<OrdinalRange> range;
        if (query.next() && !query.value(0).isNull()) {
            const auto ordinal = [isUnsigned](const QVariant &value) {
                return isUnsigned ? value.toULongLong() : quint64(value.toLongLong()) ^ kSignBit;
            };
            range = OrdinalRange{ordinal(query.value(0)), ordinal(query.value(1))};
        }
        return range;
    };
    std::future<std::optional<OrdinalRange>> target = onTarget<std::optional<OrdinalRange>>(
        [bounds, statement](DbConnection &connection) { return bounds(connection, statement); });
    const std::optional<OrdinalRange> source = bounds(m_source, statement);
    const std::optional<OrdinalRange> targetRange = target.get();
    if (!source || !targetRange)
        return source ? source : targetRange;
    return OrdinalRange{std::min(source->first, targetRange->first), std::max(source->last, targetRange->last)};
}

TableComparer::Statement TableComparer::bucketStatement(OrdinalRange span, Ordinal width, bool onTarget) const
{
    const QString key = m_dialect.quoteIdentifier(m_keys.first().name);
    const QString first = ordinalLiteral(span.first);
    Statement statement;
    // Literals, not placeholders: the numbers are ours, and their text fixes the arithmetic's type.
    statement.sql = u"SELECT ("_qs + key + u" - ("_qs + first + u")) DIV "_qs + QString::number(width) +
                    u", COUNT(*), BIT_XOR("_qs + rowChecksum(key) + u") FROM "_qs + m_dialect.quoteIdentifier(m_table) +
                    u" WHERE "_qs + key + u" BETWEEN "_qs + first + u" AND "_qs + ordinalLiteral(span.last) +
                    targetConditionAnd(onTarget) + u" GROUP BY 1 ORDER BY 1"_qs;
    statement.what =
        u"checksumming key buckets of "_qs + m_table + (onTarget ? u" on the target"_qs : u" on the source"_qs);
    return statement;
}

QList<QPair<qint64, TableComparer::BucketCounts>> TableComparer::readBuckets(DbConnection &connection,
                                                                             const Statement &statement)
{
    QSqlQuery query = connection.select(statement.sql, statement.binds, statement.what);
    QList<QPair<qint64, BucketCounts>> buckets;
    buckets.reserve(std::max(0, query.size()));
    while (query.next())
        buckets.append({query.value(0).toLongLong(), {query.value(1).toLongLong(), query.value(2).toULongLong()}});
    return buckets;
}

void TableComparer::runIntegerKeyBuckets(const std::function<void(const Difference &)> &onChunk,
                                         const std::function<void(qint64)> &onProgress)
{
    const std::optional<OrdinalRange> bounds = integerKeyBounds();
    if (!bounds) {
        if (onProgress)
            onProgress(0); // both sides empty
        return;
    }
    PendingBuckets pending;
    compareBuckets(*bounds, 1, pending, onChunk, onProgress, true);
}

qint64 TableComparer::compareBuckets(OrdinalRange range, Ordinal width, PendingBuckets &pending,
                                     const std::function<void(const Difference &)> &onChunk,
                                     const std::function<void(qint64)> &onProgress, bool topLevel)
{
    qint64 compared = 0;
    Ordinal position = range.first;
    for (;;) {
        // kBucketsPerStatement buckets, or what is left of the range (never past it: no overflow).
        const Ordinal spanLength = width * kBucketsPerStatement;
        const OrdinalRange span{position, range.last - position < spanLength ? range.last : position + spanLength - 1};
        // One checksum of the whole span first (cheaper than grouping), unless the span before
        // differed: differences spread over the table make the next span likely to differ too.
        std::optional<SpanRows> rows;
        if (!m_lastSpanDiffered)
            rows = rowsIfSpanMatches(span);
        if (!rows)
            rows = compareSpanBuckets(span, width, pending, onChunk);
        compared += rows->source;
        if (topLevel) {
            readPendingKeys(pending, onChunk);
            if (onProgress)
                onProgress(compared);
        }
        if (span.last == range.last)
            break;
        position = span.last + 1;
        width = nextWidth(span.last - span.first + 1, rows->larger, width);
        if (topLevel && m_stop && m_stop->load()) {
            m_stopped = true; // every bucket so far was compared (and acted on) in full
            break;
        }
    }
    return compared;
}

std::optional<TableComparer::SpanRows> TableComparer::rowsIfSpanMatches(OrdinalRange span)
{
    const QString key = m_dialect.quoteIdentifier(m_keys.first().name);
    const QString sql = u"SELECT COUNT(*), BIT_XOR("_qs + rowChecksum(key) + u") FROM "_qs +
                        m_dialect.quoteIdentifier(m_table) + u" WHERE "_qs + key + u" BETWEEN "_qs +
                        ordinalLiteral(span.first) + u" AND "_qs + ordinalLiteral(span.last);
    const QString what = u"checksumming a key range of "_qs + m_table;
    std::future<Checksum> target =
        onTarget<Checksum>([statement = Statement{sql + targetConditionAnd(true), {}, what}](DbConnection &connection) {
            return readChecksum(connection, statement);
        });
    const Checksum source = readChecksum(m_source, {sql, {}, what});
    const Checksum there = target.get();
    if (source != there)
        return std::nullopt;
    ++m_chunks;
    return SpanRows{source.first, source.first};
}

TableComparer::SpanRows TableComparer::compareSpanBuckets(OrdinalRange span, Ordinal width, PendingBuckets &pending,
                                                          const std::function<void(const Difference &)> &onChunk)
{
    std::future<QList<QPair<qint64, BucketCounts>>> targetRead = onTarget<QList<QPair<qint64, BucketCounts>>>(
        [statement = bucketStatement(span, width, true)](DbConnection &target) {
            return readBuckets(target, statement);
        });
    const QList<QPair<qint64, BucketCounts>> source = readBuckets(m_source, bucketStatement(span, width, false));
    const QList<QPair<qint64, BucketCounts>> target = targetRead.get();

    // Both lists are in bucket order: walk them together.
    SpanRows spanRows;
    m_lastSpanDiffered = false;
    qsizetype s = 0;
    qsizetype t = 0;
    while (s < source.size() || t < target.size()) {
        const qint64 index = t == target.size() || (s < source.size() && source[s].first <= target[t].first)
                                 ? source[s].first
                                 : target[t].first;
        const BucketCounts here = s < source.size() && source[s].first == index ? source[s++].second : BucketCounts();
        const BucketCounts there = t < target.size() && target[t].first == index ? target[t++].second : BucketCounts();
        const qint64 rows = std::max(here.rows, there.rows);
        spanRows.larger += rows;
        spanRows.source += here.rows;
        ++m_chunks;
        if (here == there)
            continue;
        ++m_differingChunks;
        m_lastSpanDiffered = true;
        const Ordinal bucketFirst = span.first + Ordinal(index) * width;
        // The last bucket may end early, with the span (and so never past 2^64 - 1).
        const OrdinalRange bucket{bucketFirst, span.last - bucketFirst < width ? span.last : bucketFirst + width - 1};
        if (rows > kMostKeysToRead && width > 1) {
            compareBuckets(bucket, nextWidth(bucket.last - bucket.first + 1, rows, width), pending, onChunk, {}, false);
            m_lastSpanDiffered = true; // the recursion had its own spans
            continue;
        }
        pending.ranges << bucket;
        pending.rows += rows;
        if (pending.ranges.size() >= kBucketsPerRead || pending.rows >= kKeysPerRead)
            readPendingKeys(pending, onChunk);
    }
    return spanRows;
}

void TableComparer::readPendingKeys(PendingBuckets &pending, const std::function<void(const Difference &)> &onChunk)
{
    if (pending.ranges.isEmpty())
        return;
    const QString key = m_dialect.quoteIdentifier(m_keys.first().name);
    QStringList ranges;
    for (const OrdinalRange &range : std::as_const(pending.ranges))
        ranges << key + u" BETWEEN "_qs + ordinalLiteral(range.first) + u" AND "_qs + ordinalLiteral(range.last);
    pending = {};
    const QString sql = u"SELECT "_qs + key + u" FROM "_qs + m_dialect.quoteIdentifier(m_table) + u" WHERE ("_qs +
                        ranges.join(u" OR "_qs) + u')';
    const QString order = u" ORDER BY "_qs + key;
    const QString what = u"reading the keys of differing buckets of "_qs + m_table;
    const Difference difference =
        diffIntegerKeys({sql + order, {}, what}, {sql + targetConditionAnd(true) + order, {}, what});
    if (!difference.missing.isEmpty() || !difference.extra.isEmpty())
        onChunk(difference);
}

} // namespace tablesync
