#pragma once

#include "db/ColumnInfo.h"

#include <QList>
#include <QVariantList>

#include <functional>
#include <optional>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Compares a table on two servers without moving it: the primary-key range is cut into chunks
// of about `chunkRows` source rows, each server computes a count and an XOR of per-row CRC32s for
// each chunk, and only chunks that differ are read row by row (key and row hash), so memory stays
// bounded by one chunk whatever the table size. Same idea as pt-table-sync's chunking.
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
        QList<QVariantList> different; // keys in both, content differs
    };

    // `columns`: the source's columns to compare (Content) — the key columns are taken from it.
    TableComparer(DbConnection &source, DbConnection &target, const SqlDialect &dialect, QString table,
                  QList<ColumnInfo> columns, QStringList keyColumns, Scope scope, int chunkRows = 10000);

    // Walks the whole table. `onChunk` is called for every chunk that differs (its keys only; the
    // caller may act on them at once, e.g. delete or re-copy them), and `onProgress` after each chunk.
    void run(const std::function<void(const Difference &)> &onChunk,
             const std::function<void(qint64 rowsCompared)> &onProgress = {});

    qint64 chunksCompared() const { return m_chunks; }
    qint64 chunksDiffering() const { return m_differingChunks; }

private:
    struct Range
    {
        QVariantList after;   // exclusive lower bound; empty: from the start
        QVariantList through; // inclusive upper bound; empty: to the end
    };
    QString rowHashExpression(bool forChunkChecksum) const;
    QString rangeCondition(const Range &range, QVariantList &binds) const;
    std::optional<QVariantList> chunkEnd(const QVariantList &after);
    QPair<qint64, QString> chunkChecksum(DbConnection &connection, const Range &range);
    QList<QPair<QVariantList, QString>> chunkRows(DbConnection &connection, const Range &range);
    Difference diffChunk(const Range &range);

    DbConnection &m_source;
    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<ColumnInfo> m_keys;
    Scope m_scope;
    int m_chunkRows;
    qint64 m_chunks = 0;
    qint64 m_differingChunks = 0;
};

} // namespace tablesync
