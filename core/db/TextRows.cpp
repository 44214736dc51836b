#include "db/TextRows.h"

#include <charconv>

namespace tablesync {

namespace {
template<typename Number> QVariant parsed(QByteArrayView text)
{
    Number number{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    // The server wrote it from a column of this type: anything else is a bug worth seeing.
    Q_ASSERT(error == std::errc() && end == text.data() + text.size());
    Q_UNUSED(end);
    Q_UNUSED(error);
    return QVariant::fromValue(number);
}
} // namespace

void TextRows::reset(QList<ColumnInfo> columns, qsizetype expectedBytes, int expectedRows)
{
    m_columns = std::move(columns);
    m_kinds.clear();
    m_textIsValueText.clear();
    for (const ColumnInfo &c : std::as_const(m_columns)) {
        m_kinds << c.kind();
        m_textIsValueText << (c.dataType != u"year");
    }
    clear();
    m_bytes.reserve(expectedBytes);
    m_fields.reserve(size_t(expectedRows) * m_columns.size());
}

void TextRows::clear()
{
    m_bytes.clear();
    m_fields.clear();
    m_rows = 0;
}

void TextRows::appendRow(const char *const *fields, const unsigned long *lengths)
{
    for (qsizetype c = 0; c < m_columns.size(); ++c) {
        if (!fields[c]) {
            m_fields.push_back({m_bytes.size(), -1});
            continue;
        }
        m_fields.push_back({m_bytes.size(), qsizetype(lengths[c])});
        m_bytes.append(fields[c], qsizetype(lengths[c]));
    }
    ++m_rows;
}

QVariant TextRows::value(int row, int column) const
{
    if (isNull(row, column))
        return {};
    const QByteArrayView text = bytes(row, column);
    switch (m_kinds.at(column)) {
    case ValueKind::Integer:
        return m_columns.at(column).isUnsigned() ? parsed<qulonglong>(text) : parsed<qlonglong>(text);
    case ValueKind::Bit:
        return parsed<qulonglong>(text);
    case ValueKind::Float: // QtSql too gives text (the connection reads numbers at high precision)
    case ValueKind::Decimal:
    case ValueKind::Temporal:
        return QString::fromLatin1(text);
    case ValueKind::Text:
    case ValueKind::Bytes:
        return text.toByteArray();
    }
    return text.toByteArray();
}

} // namespace tablesync
