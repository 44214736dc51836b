#pragma once

#include "db/ColumnInfo.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariantList>

#include <atomic>
#include <functional>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Compares a table without a key on two servers as multisets of rows: two tables are equal when
// every row occurs as often in one as in the other, whatever the order (such a table may hold the
// same row twice, and nothing else tells its rows apart).
//
// Each row is hashed on its server (MD5 of TableComparer::rowText). Rows fall into buckets by the
// first hex digits of their hash, so many that a bucket holds about `chunkRows` rows; one
// statement per server gives every bucket's row count and sum of hashes (a sum, unlike an XOR,
// does not cancel a row that occurs twice). Only buckets that differ are read, hash by hash, so
// memory stays bounded by a few buckets whatever the table size.
class RowMultisetComparer
{
public:
    struct Difference
    {
        QByteArray rowHash; // hex MD5 of the row's text
        qint64 sourceCount = 0;
        qint64 targetCount = 0;
    };

    RowMultisetComparer(DbConnection &source, DbConnection &target, const SqlDialect &dialect, QString table,
                        QList<ColumnInfo> columns, qint64 estimatedRows, int chunkRows = 10000);

    void setStopFlag(const std::atomic_bool *stop) { m_stop = stop; }
    bool stopped() const { return m_stopped; }

    // Calls `onDifference` for each distinct row whose count differs, `onProgress` with the source
    // rows compared so far.
    void run(const std::function<void(const Difference &)> &onDifference,
             const std::function<void(qint64 rowsCompared)> &onProgress = {});

    // The values of one row with this hash on `connection` (source or target), for reports.
    QVariantList rowWithHash(DbConnection &connection, const QByteArray &rowHash) const;

private:
    struct Bucket
    {
        qint64 rows = 0;
        QString hashSum;
        bool operator==(const Bucket &other) const = default;
    };
    QString hashExpression() const;
    QMap<QString, Bucket> readBuckets(DbConnection &connection) const;
    QHash<QByteArray, qint64> readRowCounts(DbConnection &connection, const QStringList &buckets) const;
    void compareBuckets(const QStringList &buckets, const std::function<void(const Difference &)> &onDifference);

    DbConnection &m_source;
    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    int m_prefixDigits = 0; // hex digits of the hash that name a bucket; 0: one bucket
    int m_chunkRows;
    const std::atomic_bool *m_stop = nullptr;
    bool m_stopped = false;
};

} // namespace tablesync
