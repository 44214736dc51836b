#include "db/GrantStatement.h"

#include <QRegularExpression>

namespace tablesync {

namespace {

// Reads statement text from a position: identifiers in backticks (`` is a backtick), `*`, words.
class Reader
{
public:
    explicit Reader(const QString &text)
        : m_text(text)
    {}

    bool atEnd() const { return m_at >= m_text.size(); }
    void skipSpaces()
    {
        while (!atEnd() && m_text[m_at].isSpace())
            ++m_at;
    }
    // Consumes `word` (case-insensitive) followed by a space or the end.
    bool keyword(QStringView word)
    {
        skipSpaces();
        if (m_text.mid(m_at, word.size()).compare(word, Qt::CaseInsensitive) != 0)
            return false;
        const qsizetype after = m_at + word.size();
        if (after < m_text.size() && !m_text[after].isSpace())
            return false;
        m_at = after;
        return true;
    }
    bool symbol(QChar c)
    {
        skipSpaces();
        if (atEnd() || m_text[m_at] != c)
            return false;
        ++m_at;
        return true;
    }
    // A quoted (` or ') or bare name, or `*`; null when there is none.
    QString name()
    {
        skipSpaces();
        if (atEnd())
            return {};
        const QChar quote = m_text[m_at];
        if (quote == u'`' || quote == u'\'') {
            QString value = u""_qs;
            for (qsizetype i = m_at + 1; i < m_text.size(); ++i) {
                if (m_text[i] != quote) {
                    value += m_text[i];
                } else if (i + 1 < m_text.size() && m_text[i + 1] == quote) {
                    value += quote;
                    ++i;
                } else {
                    m_at = i + 1;
                    return value;
                }
            }
            return {}; // unterminated
        }
        if (m_text[m_at] == u'*') {
            ++m_at;
            return u"*"_qs;
        }
        const qsizetype start = m_at;
        while (!atEnd() && (m_text[m_at].isLetterOrNumber() || m_text[m_at] == u'_' || m_text[m_at] == u'$'))
            ++m_at;
        return start == m_at ? QString() : m_text.mid(start, m_at - start);
    }
    // The privilege list up to ` ON ` (outside parentheses and quotes).
    QString privilegeList()
    {
        int depth = 0;
        QChar quote;
        for (qsizetype i = m_at; i < m_text.size(); ++i) {
            const QChar c = m_text[i];
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (c == u'`' || c == u'\'') {
                quote = c;
            } else if (c == u'(') {
                ++depth;
            } else if (c == u')') {
                --depth;
            } else if (depth == 0 && m_text.mid(i, 4).compare(u" ON ", Qt::CaseInsensitive) == 0) {
                const QString list = m_text.mid(m_at, i - m_at);
                m_at = i + 1;
                return list;
            }
        }
        return {};
    }

private:
    const QString &m_text;
    qsizetype m_at = 0;
};

// "SELECT (`a`, `b`), INSERT" -> items, split at the commas outside parentheses.
QStringList splitPrivileges(const QString &list)
{
    QStringList items;
    int depth = 0;
    QString item;
    for (const QChar c : list) {
        if (c == u'(')
            ++depth;
        else if (c == u')')
            --depth;
        if (c == u',' && depth == 0) {
            items << item.trimmed();
            item.clear();
        } else {
            item += c;
        }
    }
    items << item.trimmed();
    return items;
}

} // namespace

bool GrantStatement::coversDatabase(const QString &database) const
{
    if (scope == Scope::Global)
        return true;
    if (scope == Scope::Table) // named as it is: no wildcards
        return databasePattern == database;
    QString pattern = u"^"_qs;
    for (qsizetype i = 0; i < databasePattern.size(); ++i) {
        const QChar c = databasePattern[i];
        if (c == u'\\' && i + 1 < databasePattern.size())
            pattern += QRegularExpression::escape(QString(databasePattern[++i]));
        else if (c == u'%')
            pattern += u".*"_qs;
        else if (c == u'_')
            pattern += u'.';
        else
            pattern += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(pattern + u'$').match(database).hasMatch();
}

std::optional<GrantStatement> GrantStatement::parse(const QString &line)
{
    Reader reader(line);
    if (!reader.keyword(u"GRANT"))
        return std::nullopt;
    const QString list = reader.privilegeList();
    if (list.isEmpty() || !reader.keyword(u"ON"))
        return std::nullopt;
    if (reader.keyword(u"PROCEDURE") || reader.keyword(u"FUNCTION") || reader.keyword(u"PACKAGE"))
        return std::nullopt;
    reader.keyword(u"TABLE");
    GrantStatement grant;
    const QString database = reader.name();
    if (database.isNull() || !reader.symbol(u'.'))
        return std::nullopt;
    const QString table = reader.name();
    if (table.isNull() || !reader.keyword(u"TO"))
        return std::nullopt;
    grant.scope = database == u"*" ? Scope::Global : table == u"*" ? Scope::Database : Scope::Table;
    grant.databasePattern = grant.scope == Scope::Global ? QString() : database;
    grant.table = grant.scope == Scope::Table ? table : QString();
    grant.granteeUser = reader.name();
    if (grant.granteeUser.isNull())
        return std::nullopt;
    if (reader.symbol(u'@'))
        grant.granteeHost = reader.name();
    for (const QString &item : splitPrivileges(list)) {
        const qsizetype columns = item.indexOf(u'(');
        if (columns >= 0)
            grant.columnPrivileges << item.left(columns).trimmed().toUpper();
        else
            grant.privileges << item.simplified().toUpper();
    }
    return grant;
}

} // namespace tablesync
