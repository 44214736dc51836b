#pragma once

#include "db/ColumnInfo.h"
#include "sync/Page.h"

#include <QHash>
#include <QSqlQuery>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Writes pages into a target table with prepared multi-row INSERTs (or upserts), each bounded
// by the placeholder limit (65,535) and by bytes (a share of max_allowed_packet), adding the
// `_dlt_load_id` and `_dlt_id` of every row. The caller owns the transaction.
class BatchWriter
{
public:
    // `columns` describe the page's values as read from the source (their charset decides how
    // text bytes are labelled); `keyIndexes` are the primary-key positions within them.
    BatchWriter(DbConnection &target, const SqlDialect &dialect, const QString &table, QList<ColumnInfo> columns,
                QList<int> keyIndexes, QString loadId, bool upsert);

    // Upserts leave rows that already hold exactly these values untouched (not even their load id).
    void setUpdateOnlyChanged(bool onlyChanged) { m_updateOnlyChanged = onlyChanged; }
    // Rows inserted or changed so far; the others written were already there as they are.
    qint64 rowsChanged() const { return m_rowsChanged; }
    // Writes rows [firstRow, firstRow + rowCount) of the page.
    void write(const Page &page, int firstRow, int rowCount);

    // Writes each row's first columns().size() values; a page may carry more (read-only helpers
    // such as a generated modifier column) after them.
    void write(const Page &page);

    // The stable `_dlt_id` of a row: base64url of the MD5 of its length-prefixed key values,
    // so re-syncing a row gives it the same id.
    static QString rowId(const Page &page, int row, const QList<int> &keyIndexes);
    // The same id as bytes (it is ASCII), for writers that build raw text.
    static QByteArray rowIdBytes(const Page &page, int row, const QList<int> &keyIndexes);

private:
    int cacheKey(int rowCount) const;
    QString insertStatement(int rowCount) const;
    QSqlQuery &statementFor(int rowCount);
    // `bytes`: the rows' approximate size (approximateBytes).
    void flush(const Page &page, int firstRow, int rowCount, qint64 bytes);
    void countChanged(const QSqlQuery &query, int rowCount);
    static qint64 approximateBytes(const QVariant &value);

    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<int> m_keyIndexes;
    QString m_loadId;
    bool m_upsert;
    bool m_updateOnlyChanged = false;
    qint64 m_rowsChanged = 0;
    int m_maxRowsPerStatement;
    qint64 m_maxStatementBytes;
    QHash<int, QSqlQuery> m_statements; // prepared, by row count
};

} // namespace tablesync
