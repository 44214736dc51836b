#pragma once

#include "config/TableSpec.h"
#include "config/TableSpecValidator.h"
#include "db/DiscoveredTable.h"

#include <QAbstractTableModel>
#include <QHash>

namespace tablesync {

// The editable list of tables.json entries. Every change is validated at once (TableSpecValidator),
// and each cell with a problem carries its icon, tint and message, so mistakes show where they are.
// With a catalog from discovery, entries are also checked against the source's real schema.
class TableListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TableColumn,
        PrimaryKeyColumn,
        ModifierColumn,
        InitialValueColumn,
        BatchSizeColumn,
        DeletesColumn, // "keep", "propagate" or "soft", as in tables.json
        StrategyColumn,
        ColumnCount
    };
    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(TableIssue::Severity) of the cell's worst issue, or -1
        RowSeverityRole,                 // the same for the whole row
        ColumnChoicesRole,               // QStringList: columns a cell may name (from the catalog)
    };

    explicit TableListModel(QObject *parent = nullptr);

    void setTables(const QList<TableSpec> &tables);
    // Entries as they will be written, entryIndex renumbered 1..n.
    QList<TableSpec> tables() const;
    TableSpec tableAt(int row) const { return m_tables.value(row); }
    int addTable(const TableSpec &spec);
    bool containsTable(const QString &name) const;
    int rowOf(const QString &name) const;
    bool moveTable(int from, int to);

    void setCatalog(const QList<DiscoveredTable> &tables);
    bool hasCatalog() const { return !m_catalog.isEmpty(); }
    const DiscoveredTable *sourceTable(const QString &name) const;

    const QList<TableIssue> &issues() const { return m_issues; }
    QList<TableIssue> issuesFor(int row) const;
    int count(TableIssue::Severity severity) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    // The user changed the list (not setTables()).
    void edited();
    void issuesChanged();

private:
    void revalidate();
    QString strategyText(const TableSpec &spec) const;
    static TableIssue::Field fieldOf(int column);

    QList<TableSpec> m_tables;
    QHash<QString, DiscoveredTable> m_catalog; // by lower-case name
    QList<TableIssue> m_issues;
};

} // namespace tablesync
