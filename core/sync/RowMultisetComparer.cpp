#include "sync/RowMultisetComparer.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/TableComparer.h"

#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace tablesync {

namespace {
// The rows of the differing buckets read in one statement at most: each such statement scans the
// whole table (a hash has no index), so buckets are read together up to this many rows.
constexpr qint64 kRowsPerRead = 200000;
constexpr int kMaxPrefixDigits = 4; // 65,536 buckets
} // namespace

RowMultisetComparer::RowMultisetComparer(DbConnection &source, DbConnection &target, const SqlDialect &dialect,
                                         QString table, QList<ColumnInfo> columns, qint64 estimatedRows, int chunkRows)
    : m_source(source)
    , m_target(target)
    , m_dialect(dialect)
    , m_table(std::move(table))
    , m_columns(std::move(columns))
    , m_chunkRows(std::max(1, chunkRows))
{
    qint64 buckets = 1;
    while (buckets * m_chunkRows < estimatedRows && m_prefixDigits < kMaxPrefixDigits) {
        buckets *= 16;
        ++m_prefixDigits;
    }
}

QString RowMultisetComparer::hashExpression() const
{
    return u"MD5("_qs + TableComparer::rowText(m_dialect, m_columns, false) + u')';
}

QMap<QString, RowMultisetComparer::Bucket> RowMultisetComparer::readBuckets(DbConnection &connection) const
{
    // The sum of the hashes' middle 32 bits: DECIMAL arithmetic, so no overflow whatever the rows.
    const QString sql = QStringLiteral("SELECT LEFT(h, %1), COUNT(*), CAST(SUM(CONV(SUBSTRING(h, 9, 8), 16, 10)) AS "
                                       "CHAR) FROM (SELECT %2 AS h FROM %3) AS _ts_rows GROUP BY 1")
                            .arg(m_prefixDigits)
                            .arg(hashExpression(), m_dialect.quoteIdentifier(m_table));
    QSqlQuery q = connection.select(sql, {}, u"summing the rows of "_qs + m_table);
    QMap<QString, Bucket> buckets;
    static const QRegularExpression hexDigits(u"^[0-9a-f]{0,4}$"_qs);
    while (q.next()) {
        const QString name = q.value(0).toString();
        // Bucket names go into SQL on the other server: only what MD5's hex can hold.
        if (!hexDigits.match(name).hasMatch())
            throw DbError(u"summing the rows of "_qs + m_table + u": unexpected bucket "_qs + name.left(40));
        buckets.insert(name, {q.value(1).toLongLong(), q.value(2).toString()});
    }
    return buckets;
}

QHash<QByteArray, qint64> RowMultisetComparer::readRowCounts(DbConnection &connection, const QStringList &buckets) const
{
    QStringList literals;
    for (const QString &bucket : buckets)
        literals << u'\'' + bucket + u'\''; // hex digits only
    const QString where =
        m_prefixDigits == 0 ? QString()
                            : QStringLiteral(" WHERE LEFT(h, %1) IN (%2)").arg(m_prefixDigits).arg(literals.join(u','));
    QSqlQuery q =
        connection.select(QStringLiteral("SELECT h, COUNT(*) FROM (SELECT %1 AS h FROM %2) AS _ts_rows%3 GROUP BY h")
                              .arg(hashExpression(), m_dialect.quoteIdentifier(m_table), where),
                          {}, u"reading the row hashes of "_qs + m_table);
    QHash<QByteArray, qint64> counts;
    while (q.next())
        counts.insert(q.value(0).toString().toLatin1(), q.value(1).toLongLong());
    return counts;
}

void RowMultisetComparer::compareBuckets(const QStringList &buckets,
                                         const std::function<void(const Difference &)> &onDifference)
{
    const QHash<QByteArray, qint64> source = readRowCounts(m_source, buckets);
    const QHash<QByteArray, qint64> target = readRowCounts(m_target, buckets);
    QList<QByteArray> hashes = source.keys();
    for (auto it = target.cbegin(); it != target.cend(); ++it) {
        if (!source.contains(it.key()))
            hashes << it.key();
    }
    std::sort(hashes.begin(), hashes.end()); // reports in the same order every time
    for (const QByteArray &hash : std::as_const(hashes)) {
        const qint64 inSource = source.value(hash);
        const qint64 inTarget = target.value(hash);
        if (inSource != inTarget)
            onDifference({hash, inSource, inTarget});
    }
}

void RowMultisetComparer::run(const std::function<void(const Difference &)> &onDifference,
                              const std::function<void(qint64)> &onProgress)
{
    const QMap<QString, Bucket> source = readBuckets(m_source);
    const QMap<QString, Bucket> target = readBuckets(m_target);
    QStringList names = source.keys();
    for (auto it = target.cbegin(); it != target.cend(); ++it) {
        if (!source.contains(it.key()))
            names << it.key();
    }
    std::sort(names.begin(), names.end());

    qint64 compared = 0;
    QStringList pending;
    qint64 pendingRows = 0;
    const auto readPending = [&] {
        if (pending.isEmpty())
            return;
        compareBuckets(pending, onDifference);
        pending.clear();
        pendingRows = 0;
    };
    for (const QString &name : std::as_const(names)) {
        const Bucket inSource = source.value(name);
        const Bucket inTarget = target.value(name);
        compared += inSource.rows;
        if (inSource == inTarget)
            continue;
        const qint64 rows = std::max(inSource.rows, inTarget.rows);
        if (!pending.isEmpty() && pendingRows + rows > kRowsPerRead) {
            readPending();
            if (onProgress)
                onProgress(compared);
            if (m_stop && m_stop->load()) {
                m_stopped = true;
                return;
            }
        }
        pending << name;
        pendingRows += rows;
    }
    readPending();
    if (onProgress)
        onProgress(compared);
}

QVariantList RowMultisetComparer::rowWithHash(DbConnection &connection, const QByteArray &rowHash) const
{
    QStringList select;
    for (const ColumnInfo &c : m_columns)
        select << m_dialect.readExpression(c);
    QSqlQuery q =
        connection.select(u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + m_dialect.quoteIdentifier(m_table) +
                              u" WHERE "_qs + hashExpression() + u" = ? LIMIT 1"_qs,
                          {QString::fromLatin1(rowHash)}, u"reading a row of "_qs + m_table);
    QVariantList values;
    if (q.next()) {
        for (int i = 0; i < m_columns.size(); ++i)
            values << q.value(i);
    }
    return values;
}

} // namespace tablesync
