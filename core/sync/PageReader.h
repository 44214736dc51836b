#pragma once

#include "db/ColumnInfo.h"
#include "sync/Page.h"

#include <QSqlQuery>
#include <QVariantList>

#include <memory>
#include <optional>

namespace tablesync {

class DbConnection;
class SqlDialect;
class TextProtocolQuery;

// Reads a table in keyset pages: `SELECT cols ... WHERE <after the last key> ORDER BY key LIMIT n`,
// one prepared statement re-executed per page (or, for text pages, one statement per page with the
// last key written in). QMYSQL buffers a whole result in memory
// (FACTS-qt-mysql.md), so pages are what keep memory flat whatever the table size.
//
// Without order columns (a table without a key), pages are parts of one streamed SELECT of the
// whole table (TextProtocolQuery::startStream), in the text protocol, in the order the server
// sends them: one statement, one consistent read, memory bounded by a page all the same.
class PageReader
{
public:
    // `columns` are read in order; `orderColumns` (each also among `columns`) define the keyset.
    // With `lowerBound`, the first page starts at rows whose first order column is >= it.
    PageReader(DbConnection &source, const SqlDialect &dialect, const QString &table, QList<ColumnInfo> columns,
               QList<ColumnInfo> orderColumns, int pageRows, std::optional<QVariant> lowerBound);
    ~PageReader();

    // Pages come as text rows (Page::text, through TextProtocolQuery) instead of QVariants when
    // the keyset allows it: no lower bound, and no order column a FLOAT, DOUBLE or BIT (the last
    // key goes into the SQL as a literal, SqlDialect::compareLiteral). For copies whose pages go
    // to LOAD DATA; before the first page.
    void preferTextProtocol();

    // Pages start at `rows` and double up to the page size given to the constructor: a backlog
    // then shows itself after a small first page, and the pages after it come in sizes that
    // keep several writers busy at once instead of one writer with one big page.
    void setFirstPageRows(int rows);
    // Only rows matching this SQL condition (no placeholders) are read. Before the first page.
    void setCondition(const QString &condition);
    // Continues after `key` (values of the order columns, as read in a page) instead of from the
    // start or the lower bound: an interrupted copy picks up where its committed rows end.
    void startAfter(const QVariantList &key);

    // Fills `page` with the next rows; returns false when no rows are left.
    bool next(Page &page);
    // True once a page came back shorter than the limit: there is nothing after it.
    bool atEnd() const { return m_atEnd; }
    // Stops reading before the end. A streamed table's SELECT is cut off, which closes the
    // source connection (TextProtocolQuery::startStream); keyset pages need nothing.
    void abandon();

private:
    void prepare();
    QSqlQuery &afterQuery();
    QString whereClause(const QString &condition) const; // with the condition of every page
    bool canReadText() const;
    void readTextPage(Page &page, bool first, int limit);
    void readStreamedPage(Page &page, int limit);
    bool streamsWholeTable() const { return m_orderColumns.isEmpty(); }
    void checkLastKey() const; // throws when the page ends on a NULL key value

    DbConnection &m_source;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<ColumnInfo> m_orderColumns;
    QList<int> m_orderIndexes; // positions of the order columns in m_columns
    QList<int> m_keysetBindOrder;
    int m_pageRows;
    int m_nextPageRows; // the LIMIT of the next page: a placeholder, so pages can differ in size
    std::optional<QVariant> m_lowerBound;
    QString m_head;           // SELECT ... FROM table
    QString m_orderBy;        // ORDER BY ...
    QString m_firstCondition; // of the first page: the lower bound, if any
    QString m_afterCondition; // of every later page: after the last key read
    QString m_condition;      // of every page (setCondition)
    QSqlQuery m_afterQuery;
    bool m_afterPrepared = false;
    bool m_preferText = false;
    std::unique_ptr<TextProtocolQuery> m_text; // while text pages are read; ended with the last page
    QString m_textHead;                        // SELECT ... FROM table, for text pages
    qsizetype m_textBytesPerRow = 256;         // of the last text page, to size the next one
    QVariantList m_lastKey;                    // order-column values of the last row read
    bool m_started = false;
    bool m_resumed = false; // startAfter() was called: even the first page is an "after" page
    bool m_atEnd = false;
};

} // namespace tablesync
