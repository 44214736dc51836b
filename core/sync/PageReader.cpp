#include "sync/PageReader.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"

#include <QSqlError>

#include <algorithm>

namespace tablesync {

PageReader::PageReader(DbConnection &source, const SqlDialect &dialect, const QString &table, QList<ColumnInfo> columns,
                       QList<ColumnInfo> orderColumns, int pageRows, std::optional<QVariant> lowerBound)
    : m_source(source)
    , m_table(table)
    , m_columns(std::move(columns))
    , m_pageRows(std::max(1, pageRows))
    , m_nextPageRows(m_pageRows)
    , m_lowerBound(std::move(lowerBound))
{
    QStringList select;
    for (const ColumnInfo &c : m_columns)
        select << dialect.readExpression(c);
    QStringList order;
    for (const ColumnInfo &o : orderColumns) {
        order << dialect.quoteIdentifier(o.name);
        for (int i = 0; i < m_columns.size(); ++i) {
            if (m_columns[i].name == o.name)
                m_orderIndexes << i;
        }
    }
    Q_ASSERT(m_orderIndexes.size() == orderColumns.size());
    const QString head = u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(table);
    const QString tail = u" ORDER BY "_qs + order.join(u", "_qs) + u" LIMIT ?"_qs;

    // The first page: everything, or from the lower bound on. The modifier is never NULL past
    // the first page, so rows with a NULL modifier are left out from the start as well.
    QString firstWhere;
    if (m_lowerBound) {
        const ColumnInfo &first = orderColumns.first();
        firstWhere =
            u" WHERE "_qs + dialect.quoteIdentifier(first.name) + u" >= "_qs + dialect.comparePlaceholder(first);
    } else if (orderColumns.first().nullable) {
        firstWhere = u" WHERE "_qs + dialect.quoteIdentifier(orderColumns.first().name) + u" IS NOT NULL"_qs;
    }
    const QString afterWhere = u" WHERE "_qs + dialect.keysetAfter(orderColumns, m_keysetBindOrder);

    m_firstQuery = m_source.newQuery();
    m_afterQuery = m_source.newQuery();
    const QString what = u"preparing to read "_qs + table + u" from the source"_qs;
    if (!m_firstQuery.prepare(head + firstWhere + tail))
        throw DbError::from(what, m_firstQuery.lastError());
    if (!m_afterQuery.prepare(head + afterWhere + tail))
        throw DbError::from(what, m_afterQuery.lastError());
}

void PageReader::setFirstPageRows(int rows)
{
    Q_ASSERT(!m_started);
    m_nextPageRows = std::clamp(rows, 1, m_pageRows);
}

bool PageReader::next(Page &page)
{
    page.clear();
    page.columnCount = int(m_columns.size());
    if (m_atEnd)
        return false;

    QSqlQuery &query = m_started ? m_afterQuery : m_firstQuery;
    int position = 0;
    if (!m_started) {
        if (m_lowerBound)
            query.bindValue(position++, *m_lowerBound);
    } else {
        for (int i = 0; i < m_keysetBindOrder.size(); ++i)
            query.bindValue(position++, m_lastKey.at(m_keysetBindOrder[i]));
    }
    const int limit = m_nextPageRows;
    query.bindValue(position, limit);
    m_nextPageRows = int(std::min<qint64>(qint64(limit) * 2, m_pageRows));
    m_started = true;
    if (!query.exec())
        throw DbError::from(u"reading "_qs + m_table + u" from the source"_qs, query.lastError());

    page.values.reserve(qsizetype(limit) * page.columnCount);
    int rows = 0;
    while (query.next()) {
        for (int c = 0; c < page.columnCount; ++c)
            page.values.append(query.value(c));
        ++rows;
    }
    query.finish(); // frees the buffered result now, not at the next exec()
    if (rows < limit)
        m_atEnd = true;
    if (rows == 0)
        return false;
    m_lastKey.clear();
    for (int index : std::as_const(m_orderIndexes))
        m_lastKey << page.value(rows - 1, index);
    return true;
}

} // namespace tablesync
