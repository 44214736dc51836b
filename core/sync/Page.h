#pragma once

#include "db/TextRows.h"

#include <QVariant>
#include <QVector>

namespace tablesync {

// One keyset page of rows. Either typed values (QtSql reading), row after row
// (rows * columnCount entries), or the rows as the server's text protocol sent them (`text`;
// PageReader::preferTextProtocol), which a LOAD DATA writer takes without conversion.
struct Page
{
    int columnCount = 0;
    QVector<QVariant> values;
    TextRows text;

    bool isText() const { return text.rowCount() > 0; }
    int rowCount() const
    {
        if (isText())
            return text.rowCount();
        return columnCount == 0 ? 0 : int(values.size() / columnCount);
    }
    // Of a typed page only.
    const QVariant &value(int row, int column) const
    {
        Q_ASSERT(!isText());
        return values.at(qsizetype(row) * columnCount + column);
    }
    // Of either kind of page.
    QVariant valueAt(int row, int column) const { return isText() ? text.value(row, column) : value(row, column); }
    void clear()
    {
        values.clear();
        text.clear();
    }
    // A text page becomes a typed one, for writers that bind values.
    void convertToValues()
    {
        if (!isText())
            return;
        values.clear();
        values.reserve(qsizetype(text.rowCount()) * columnCount);
        for (int row = 0; row < text.rowCount(); ++row) {
            for (int column = 0; column < columnCount; ++column)
                values.append(text.value(row, column));
        }
        text.clear();
    }
};

} // namespace tablesync
