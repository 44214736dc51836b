#include "sync/PageReader.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/NativeHandle.h"
#include "db/SqlDialect.h"
#include "db/TextProtocolQuery.h"

#include <QSqlError>

#include <algorithm>

namespace tablesync {

PageReader::PageReader(DbConnection &source, const SqlDialect &dialect, const QString &table, QList<ColumnInfo> columns,
                       QList<ColumnInfo> orderColumns, int pageRows, std::optional<QVariant> lowerBound)
    : m_source(source)
    , m_dialect(dialect)
    , m_table(table)
    , m_columns(std::move(columns))
    , m_orderColumns(orderColumns)
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
    m_head = u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(table);
    if (!order.isEmpty())
        m_orderBy = u" ORDER BY "_qs + order.join(u", "_qs);

    // The first page: everything, or from the lower bound on. (Rows with a NULL modifier are left
    // out by the caller's condition; NULL in a key column fails the read, checkLastKey().)
    if (m_lowerBound) {
        const ColumnInfo &first = orderColumns.first();
        m_firstCondition = dialect.quoteIdentifier(first.name) + u" >= "_qs + dialect.comparePlaceholder(first);
    }
    if (!streamsWholeTable())
        m_afterCondition = dialect.keysetAfter(orderColumns, m_keysetBindOrder);
}

PageReader::~PageReader() = default;

void PageReader::preferTextProtocol()
{
    Q_ASSERT(!m_started);
    m_preferText = true;
}

bool PageReader::canReadText() const
{
    if (m_lowerBound || !nativeHandle(m_source))
        return false;
    for (const ColumnInfo &c : m_orderColumns) {
        const ValueKind kind = c.kind();
        if (kind == ValueKind::Float || kind == ValueKind::Bit)
            return false; // compareLiteral() cannot write their values
    }
    // A resumed reader's key came from a saved token: it must go into the SQL as well.
    for (int i = 0; i < m_lastKey.size(); ++i) {
        if (!m_dialect.compareLiteral(m_orderColumns.at(i), m_lastKey.at(i)))
            return false;
    }
    return true;
}

void PageReader::setCondition(const QString &condition)
{
    Q_ASSERT(!m_started);
    m_condition = condition;
}

void PageReader::startAfter(const QVariantList &key)
{
    Q_ASSERT(!m_started && key.size() == m_orderIndexes.size());
    m_lastKey = key;
    m_resumed = true;
}

QString PageReader::whereClause(const QString &condition) const
{
    QStringList all;
    if (!condition.isEmpty())
        all << condition;
    if (!m_condition.isEmpty())
        all << u'(' + m_condition + u')';
    return all.isEmpty() ? QString() : u" WHERE "_qs + all.join(u" AND "_qs);
}

void PageReader::prepare()
{
    if ((m_preferText && canReadText()) || streamsWholeTable()) {
        QStringList select;
        for (const ColumnInfo &c : std::as_const(m_columns))
            select << m_dialect.textReadExpression(c);
        m_textHead = u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + m_dialect.quoteIdentifier(m_table);
        m_text = std::make_unique<TextProtocolQuery>(m_source);
        if (streamsWholeTable()) {
            Q_ASSERT(!m_lowerBound && !m_resumed);
            m_text->startStream((m_textHead + whereClause(QString())).toUtf8(),
                                u"reading "_qs + m_table + u" from the source"_qs);
        }
        return;
    }
    // Prepared when a second page is needed: a table read in one page never needs it.
    m_afterQuery = m_source.newQuery();
}

QSqlQuery &PageReader::afterQuery()
{
    if (!m_afterPrepared) {
        const QString sql = m_head + whereClause(m_afterCondition) + m_orderBy + u" LIMIT ?"_qs;
        if (!m_afterQuery.prepare(sql))
            throw DbError::from(u"preparing to read "_qs + m_table + u" from the source"_qs, m_afterQuery.lastError());
        m_afterPrepared = true;
    }
    return m_afterQuery;
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

    if (!m_started)
        prepare();
    const bool first = !m_started && !m_resumed;
    const int limit = m_nextPageRows;
    m_nextPageRows = int(std::min<qint64>(qint64(limit) * 2, m_pageRows));
    m_started = true;
    if (streamsWholeTable()) {
        readStreamedPage(page, limit);
        return page.rowCount() > 0;
    }
    if (m_text) {
        readTextPage(page, first, limit);
        return page.rowCount() > 0;
    }
    // The first page is often the only one (a small table, a few changes): its values written
    // into the text, it is one round trip, where a prepared statement's prepare, reset and
    // execute are three. Later pages re-execute one prepared statement.
    QSqlQuery firstPage;
    if (first) {
        QVariantList values;
        if (m_lowerBound)
            values << *m_lowerBound;
        values << limit;
        firstPage = m_source.select(m_head + whereClause(m_firstCondition) + m_orderBy + u" LIMIT ?"_qs, values,
                                    u"reading "_qs + m_table + u" from the source"_qs);
    }
    QSqlQuery &query = first ? firstPage : afterQuery();
    if (!first) {
        int position = 0;
        for (int i = 0; i < m_keysetBindOrder.size(); ++i)
            query.bindValue(position++, m_lastKey.at(m_keysetBindOrder[i]));
        query.bindValue(position, limit);
        if (!query.exec())
            throw DbError::from(u"reading "_qs + m_table + u" from the source"_qs, query.lastError());
    }

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
    checkLastKey();
    return true;
}

void PageReader::readTextPage(Page &page, bool first, int limit)
{
    QString condition = m_firstCondition;
    if (!first) {
        QStringList literals;
        for (int i = 0; i < m_lastKey.size(); ++i) {
            const std::optional<QString> literal = m_dialect.compareLiteral(m_orderColumns.at(i), m_lastKey.at(i));
            if (!literal) // canReadText() checked the kinds, and text pages give values of the kind
                throw DbError(u"reading "_qs + m_table + u": a key value that cannot be written into SQL"_qs);
            literals << *literal;
        }
        condition = m_dialect.keysetAfterLiterals(m_orderColumns, literals);
    }
    const QString sql = m_textHead + whereClause(condition) + m_orderBy + u" LIMIT "_qs + QString::number(limit);

    page.text.reset(m_columns, qsizetype(limit) * m_textBytesPerRow, limit);
    m_text->select(sql.toUtf8(), page.text, u"reading "_qs + m_table + u" from the source"_qs);
    const int rows = page.text.rowCount();
    if (rows > 0)
        m_textBytesPerRow = std::max<qsizetype>(16, page.text.byteSize() / rows + 1);
    if (rows < limit) {
        m_atEnd = true;
        m_text.reset(); // the session's results go back to what QtSql expects
    }
    if (rows == 0)
        return;
    m_lastKey.clear();
    for (int index : std::as_const(m_orderIndexes))
        m_lastKey << page.text.value(rows - 1, index);
    checkLastKey();
}

void PageReader::abandon()
{
    m_text.reset();
    m_atEnd = true;
}

void PageReader::readStreamedPage(Page &page, int limit)
{
    page.text.reset(m_columns, qsizetype(limit) * m_textBytesPerRow, limit);
    const bool more = m_text->fetch(page.text, limit, u"reading "_qs + m_table + u" from the source"_qs);
    const int rows = page.text.rowCount();
    if (rows > 0)
        m_textBytesPerRow = std::max<qsizetype>(16, page.text.byteSize() / rows + 1);
    if (!more) {
        m_atEnd = true;
        m_text.reset(); // the session's results go back to what QtSql expects
    }
}

void PageReader::checkLastKey() const
{
    // Nothing compares greater than NULL: the next page would come back empty and the copy end
    // as if complete. A primary_key column of tables.json that is not the table's own key may
    // allow NULL; such a row cannot be paged past, so the table fails, saying why.
    for (int i = 0; i < m_lastKey.size(); ++i) {
        if (m_lastKey.at(i).isNull()) {
            throw DbError(QStringLiteral("reading %1: a row has no value (NULL) in the key column %2, so the rows "
                                         "after it cannot be read in key order; the primary_key columns in "
                                         "tables.json must hold a value in every row")
                              .arg(m_table, m_orderColumns.at(i).name));
        }
    }
}

} // namespace tablesync
