#include "db/TextRows.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace tablesync {

namespace {
template<typename Number> QVariant parsed(QByteArrayView text)
{
    Number number{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    // The server wrote it from a column of this type, so this always parses. Should it not, the
    // text itself is the exact value and binds as such: never a silent 0.
    if (error != std::errc() || end != text.data() + text.size())
        return QString::fromLatin1(text);
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
        // ZEROFILL pads the text ("00042"); QtSql's binary protocol gives the number.
        m_textIsValueText << (c.dataType != u"year" && !c.columnType.contains(u"zerofill"_qs));
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
    const qsizetype columns = m_columns.size();
    // libmariadb leaves a row's fields in its network buffer one after the other, a length
    // byte or so between them: one copy of that whole span costs far less than one per field.
    // Pointers are compared as integers; a span much longer than the fields is copied by field.
    std::uintptr_t low = UINTPTR_MAX;
    std::uintptr_t high = 0;
    qsizetype fieldBytes = 0;
    for (qsizetype c = 0; c < columns; ++c) {
        if (!fields[c])
            continue;
        const auto begin = reinterpret_cast<std::uintptr_t>(fields[c]);
        low = std::min(low, begin);
        high = std::max(high, begin + lengths[c]);
        fieldBytes += qsizetype(lengths[c]);
    }
    const qsizetype base = m_bytes.size();
    if (fieldBytes > 0 && qsizetype(high - low) <= fieldBytes + 16 * columns) {
        m_bytes.resize(base + qsizetype(high - low));
        std::memcpy(m_bytes.data() + base, reinterpret_cast<const char *>(low), size_t(high - low));
        for (qsizetype c = 0; c < columns; ++c) {
            if (!fields[c])
                m_fields.push_back({base, -1});
            else
                m_fields.push_back(
                    {base + qsizetype(reinterpret_cast<std::uintptr_t>(fields[c]) - low), qsizetype(lengths[c])});
        }
    } else {
        m_bytes.resize(base + fieldBytes);
        char *to = m_bytes.data() + base;
        for (qsizetype c = 0; c < columns; ++c) {
            if (!fields[c]) {
                m_fields.push_back({base, -1});
                continue;
            }
            std::memcpy(to, fields[c], lengths[c]);
            m_fields.push_back({qsizetype(to - m_bytes.constData()), qsizetype(lengths[c])});
            to += lengths[c];
        }
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
