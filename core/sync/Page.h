#pragma once

#include <QVariant>
#include <QVector>

namespace tablesync {

// One keyset page of rows, values stored row after row (rows * columnCount entries).
struct Page
{
    int columnCount = 0;
    QVector<QVariant> values;

    int rowCount() const { return columnCount == 0 ? 0 : int(values.size() / columnCount); }
    const QVariant &value(int row, int column) const { return values.at(qsizetype(row) * columnCount + column); }
    void clear() { values.clear(); }
};

} // namespace tablesync
