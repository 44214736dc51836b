#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace tablesync {

// What the window's per-table models share: one row per table, found by name the way MySQL
// compares table names here (case-insensitively), and a row added when a run or verification
// names a table the list does not show yet (settings newer than the list). `Row` has a
// `QString table`.
template<typename Row> class TableRowsModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    const Row *row(const QString &table) const
    {
        const int i = indexOf(table);
        return i < 0 ? nullptr : &m_rows[i];
    }
    const Row &rowAt(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }

protected:
    int indexOf(const QString &table) const
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].table.compare(table, Qt::CaseInsensitive) == 0)
                return i;
        }
        return -1;
    }
    int ensureRow(const QString &table)
    {
        int i = indexOf(table);
        if (i >= 0)
            return i;
        i = int(m_rows.size());
        beginInsertRows({}, i, i);
        Row added;
        added.table = table;
        m_rows << added;
        endInsertRows();
        return i;
    }
    void rowChanged(int row)
    {
        Q_EMIT this->dataChanged(this->index(row, 0), this->index(row, this->columnCount() - 1));
    }

    QList<Row> m_rows;
};

} // namespace tablesync
