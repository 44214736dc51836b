#pragma once

#include "db/ColumnInfo.h"
#include "sync/BackgroundConnection.h"

#include <QList>
#include <QVariantList>

#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <vector>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Compares a table on two servers without moving it: the primary-key range is cut into chunks
// of about `chunkRows` source rows, each server computes a count and an XOR of per-row checksums for
// each chunk, and only chunks that differ are read row by row (the key, and for Content a row
// hash), so memory stays bounded by one chunk whatever the table size. Same idea as
// pt-table-sync's chunking.
//
// With a background target connection the target's half of each step runs at the same time as
// the source's: the target checksums chunk i while the source finds and checksums chunk i+1.
//
// Keys of a table whose primary key is one integer column are compared in buckets instead
// (IntegerKeyBuckets.cpp): many small buckets per statement, so that deletes spread over the
// whole table make a few keys per deleted row to read, not every chunk's.
class TableComparer
{
public:
    enum class Scope {
        Keys,    // which keys exist (delete detection)
        Content, // every column except the _dlt_ ones (verification)
    };

    struct Difference
    {
        QList<QVariantList> missing;   // keys in the source, not in the target
        QList<QVariantList> extra;     // keys in the target, not in the source
        QList<QVariantList> different; // keys in both, content differs (Content only)
    };

    // `columns`: the source's columns to compare (Content) — the key columns are taken from it.
    TableComparer(DbConnection &source, DbConnection &target, const SqlDialect &dialect, QString table,
                  QList<ColumnInfo> columns, QStringList keyColumns, Scope scope, int chunkRows = 10000);

    // Only target rows matching this SQL condition take part (soft deletes: the live rows), so
    // rows left out count as absent and an unchanged table's chunks still compare equal.
    void setTargetCondition(QString condition) { m_targetCondition = std::move(condition); }
    // Target reads go to this connection (another thread), in parallel with the source's.
    // Null: they run one after the other on `target`. Writes of the caller stay on `target`.
    void setBackgroundTarget(BackgroundConnection *connection) { m_backgroundTarget = connection; }

    // Checked after every chunk: when set, run() returns early and stopped() says so.
    void setStopFlag(const std::atomic_bool *stop) { m_stop = stop; }
    bool stopped() const { return m_stopped; }

    // Walks the whole table. `onChunk` is called for every chunk that differs (its keys only; the
    // caller may act on them at once, e.g. delete or re-copy them), and `onProgress` after each chunk.
    void run(const std::function<void(const Difference &)> &onChunk,
             const std::function<void(qint64 rowsCompared)> &onProgress = {});

    qint64 chunksCompared() const { return m_chunks; }

    // An SQL expression giving the same text on both servers for rows with the same stored values
    // of `columns`: the input of the chunk checksums (`forChunkChecksum`) and row hashes.
    static QString rowText(const SqlDialect &dialect, const QList<ColumnInfo> &columns, bool forChunkChecksum);
    // A row's (or key's) 64-bit checksum, XORed over a chunk or bucket: the first 64 bits of the
    // SHA1 of `text`. Not CRC32, as pt-table-checksum uses: CRC32 is linear over XOR, so changing
    // one column alike in an even number of rows of equal length (UPDATE t SET status = 'paid'
    // WHERE ...) leaves the XOR of their CRC32s unchanged, and such a chunk compared equal.
    static QString rowChecksum(const QString &text);
    qint64 chunksDiffering() const { return m_differingChunks; }

private:
    struct Range
    {
        QVariantList after;   // exclusive lower bound; empty: from the start
        QVariantList through; // inclusive upper bound; empty: to the end
    };
    using Checksum = QPair<qint64, QString>;  // row count, XOR of row checksums (rowChecksum)
    using Row = QPair<QVariantList, QString>; // key, row hash (empty for Keys)
    struct SourceChunk
    {
        Range range;
        Checksum checksum;
        bool last = false; // the range runs to the end of the table
    };
    // A query to run on either server, built here and run where the connection lives.
    struct Statement
    {
        QString sql;
        QVariantList binds;
        QString what;
    };

    QString rowHashExpression(bool forChunkChecksum) const;
    QString rangeCondition(const Range &range, QVariantList &binds, bool onTarget) const;
    SourceChunk nextSourceChunk(const QVariantList &after);
    SourceChunk nextIntegerKeyChunk(const QVariantList &after);
    std::optional<QVariantList> chunkEnd(const QVariantList &after);
    Statement checksumStatement(const Range &range, bool onTarget) const;
    Statement rowsStatement(const Range &range, bool onTarget) const;
    static Checksum readChecksum(DbConnection &connection, const Statement &statement);
    static QList<Row> readRows(DbConnection &connection, const Statement &statement, int keyCount, bool hashed);
    // Keys scope with one integer key: the chunk's keys in order, mapped to qint64 so that
    // unsigned keys keep their order, and merged (no QVariant list or hash per key).
    static std::vector<qint64> readIntegerKeys(DbConnection &connection, const Statement &statement, bool isUnsigned);
    Difference diffIntegerKeys(const Statement &sourceKeys, const Statement &targetKeys);
    bool hasOneIntegerKey() const;

    // Keys scope with one integer key (IntegerKeyBuckets.cpp). Key values are handled as
    // ordinals: unsigned 64-bit numbers in key order (signed keys with the sign bit flipped), so
    // that the distance between any two keys is exact.
    using Ordinal = quint64;
    // Flipping the sign bit maps the order of signed 64-bit keys onto the order of unsigned ones.
    static constexpr quint64 kSignBit = quint64(1) << 63;
    struct OrdinalRange
    {
        Ordinal first;
        Ordinal last; // inclusive
    };
    struct BucketCounts
    {
        qint64 rows = 0;
        quint64 checksum = 0;
        bool operator==(const BucketCounts &other) const = default;
    };
    // Differing buckets whose keys are still to be read, read for a few of them at a time.
    struct PendingBuckets
    {
        QList<OrdinalRange> ranges;
        qint64 rows = 0; // the larger side's, summed
    };
    void runIntegerKeyBuckets(const std::function<void(const Difference &)> &onChunk,
                              const std::function<void(qint64)> &onProgress);
    std::optional<OrdinalRange> integerKeyBounds();
    // Compares [range.first, range.last] in statements of buckets `width` keys wide, the width
    // following the key density seen. Returns the source rows compared.
    qint64 compareBuckets(OrdinalRange range, Ordinal width, PendingBuckets &pending,
                          const std::function<void(const Difference &)> &onChunk,
                          const std::function<void(qint64)> &onProgress, bool topLevel);
    struct SpanRows
    {
        qint64 source = 0;
        qint64 larger = 0; // the larger side's count, summed per bucket: what widths are sized for
    };
    std::optional<SpanRows> rowsIfSpanMatches(OrdinalRange span);
    SpanRows compareSpanBuckets(OrdinalRange span, Ordinal width, PendingBuckets &pending,
                                const std::function<void(const Difference &)> &onChunk);
    Statement bucketStatement(OrdinalRange span, Ordinal width, bool onTarget) const;
    static QList<QPair<qint64, BucketCounts>> readBuckets(DbConnection &connection, const Statement &statement);
    void readPendingKeys(PendingBuckets &pending, const std::function<void(const Difference &)> &onChunk);
    QString ordinalLiteral(Ordinal ordinal) const;
    QString targetConditionAnd(bool onTarget) const;
    template<typename Result> std::future<Result> onTarget(std::function<Result(DbConnection &)> task)
    {
        return runInBackgroundOrHere(m_backgroundTarget, m_target, std::move(task));
    }
    Difference diffChunk(const Range &range);

    DbConnection &m_source;
    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<ColumnInfo> m_keys;
    Scope m_scope;
    int m_chunkRows;
    QString m_targetCondition;
    BackgroundConnection *m_backgroundTarget = nullptr;
    qint64 m_chunks = 0;
    qint64 m_differingChunks = 0;
    const std::atomic_bool *m_stop = nullptr;
    bool m_stopped = false;
    bool m_lastSpanDiffered = false;
};

} // namespace tablesync
