#pragma once

#include "db/DiscoveredTable.h"

#include <QAbstractTableModel>

namespace tablesync {

class TableListModel;

// The source's tables as discovery found them, next to the configured list: which are already
// configured, which have no key (shown and explained, never silently left out), and what would
// be added for each.
class DiscoveryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, RowsColumn, KeyColumn, ModifierColumn, NoteColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, AddableRole };

    explicit DiscoveryModel(TableListModel *configured, QObject *parent = nullptr);

    void setTables(const QList<DiscoveredTable> &tables);
    const QList<DiscoveredTable> &tables() const { return m_tables; }
    const DiscoveredTable &tableAt(int row) const { return m_tables.at(row); }
    // Has a key and is not configured yet.
    bool isAddable(int row) const;
    bool isConfigured(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void configuredChanged();

    TableListModel *m_configured = nullptr;
    QList<DiscoveredTable> m_tables;
};

} // namespace tablesync
