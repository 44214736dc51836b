#pragma once

#include "db/ColumnInfo.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVariant>

#include <vector>

namespace tablesync {

// Rows as the server's text protocol sends them with `character_set_results=binary`
// (TextProtocolQuery): a text column's value is its stored bytes, a number or a temporal value
// the server's exact text. They are kept as they came, back to back in one buffer, and are only
// turned into QVariants where a writer binds them: a first load's LOAD DATA file takes the bytes
// as they are.
class TextRows
{
public:
    // Empties the rows and sets the columns of the rows to come; `expectedBytes` sizes the buffer.
    void reset(QList<ColumnInfo> columns, qsizetype expectedBytes, int expectedRows);
    void clear();
    // One row in the C API's shape (MYSQL_ROW and mysql_fetch_lengths()): a null pointer is NULL.
    void appendRow(const char *const *fields, const unsigned long *lengths);

    int rowCount() const { return m_rows; }
    int columnCount() const { return int(m_columns.size()); }
    qsizetype byteSize() const { return m_bytes.size(); }
    const ColumnInfo &column(int column) const { return m_columns.at(column); }
    ValueKind kind(int column) const { return m_kinds.at(column); }
    // Is the server's text of this column's values the text QString gives of the value QtSql
    // reads? Not for YEAR, where the year 0 is "0000", nor ZEROFILL integers ("00042").
    bool textIsValueText(int column) const { return m_textIsValueText.at(column); }

    bool isNull(int row, int column) const { return field(row, column).length < 0; }
    QByteArrayView bytes(int row, int column) const
    {
        const Field &f = field(row, column);
        return f.length < 0 ? QByteArrayView() : QByteArrayView(m_bytes.constData() + f.offset, f.length);
    }
    // The value as PageReader's QtSql read gives it (SqlDialect::readExpression): integers as
    // qlonglong/qulonglong, FLOAT/DOUBLE, DECIMAL and temporal values as their text,
    // text and binary columns as bytes, NULL as an invalid QVariant.
    QVariant value(int row, int column) const;

private:
    struct Field
    {
        qsizetype offset;
        qsizetype length; // -1: NULL
    };
    const Field &field(int row, int column) const { return m_fields[size_t(row) * m_columns.size() + column]; }

    QList<ColumnInfo> m_columns;
    QList<ValueKind> m_kinds; // per column, worked out once (kind() compares type names)
    QList<bool> m_textIsValueText;
    QByteArray m_bytes;
    std::vector<Field> m_fields;
    int m_rows = 0;
};

} // namespace tablesync
