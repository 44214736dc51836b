#include "DiscoveryModel.h"

#include "Icons.h"
#include "TableListModel.h"

#include <QBrush>
#include <QLocale>
#include <QPalette>

namespace tablesync {

DiscoveryModel::DiscoveryModel(TableListModel *configured, QObject *parent)
    : QAbstractTableModel(parent)
    , m_configured(configured)
{
    connect(m_configured, &TableListModel::rowsInserted, this, &DiscoveryModel::configuredChanged);
    connect(m_configured, &TableListModel::rowsRemoved, this, &DiscoveryModel::configuredChanged);
    connect(m_configured, &TableListModel::modelReset, this, &DiscoveryModel::configuredChanged);
    connect(m_configured, &TableListModel::dataChanged, this, &DiscoveryModel::configuredChanged);
}

void DiscoveryModel::configuredChanged()
{
    if (!m_tables.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void DiscoveryModel::setTables(const QList<DiscoveredTable> &tables)
{
    beginResetModel();
    m_tables = tables;
    endResetModel();
}

bool DiscoveryModel::isConfigured(int row) const
{
    return m_configured->containsTable(m_tables.at(row).name);
}

bool DiscoveryModel::isAddable(int row) const
{
    return row >= 0 && row < m_tables.size() && !isConfigured(row);
}

int DiscoveryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tables.size());
}

int DiscoveryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiscoveryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tables.size())
        return {};
    const DiscoveredTable &t = m_tables.at(index.row());
    const bool configured = isConfigured(index.row());
    const bool keyless = t.syncKey().isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return t.name;
        case RowsColumn:
            return QLocale().toString(t.estimatedRows);
        case KeyColumn:
            if (!t.primaryKey.isEmpty())
                return t.primaryKey.join(u", "_qs);
            return keyless ? tr("none") : tr("%1 (unique)").arg(t.uniqueKey.join(u", "_qs));
        case ModifierColumn: {
            const QString modifier = keyless ? QString() : t.suggestedModifier();
            return modifier.isEmpty() ? tr("— full refresh") : modifier;
        }
        case NoteColumn:
            if (configured)
                return tr("configured");
            if (keyless)
                return tr("no key: whole table");
            return t.note().isEmpty() ? QString() : tr("uses unique key");
        }
        break;
    case SortRole:
        return index.column() == RowsColumn ? QVariant(t.estimatedRows) : data(index, Qt::DisplayRole);
    case AddableRole:
        return isAddable(index.row());
    case Qt::TextAlignmentRole:
        if (index.column() == RowsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::DecorationRole:
        if (index.column() == NameColumn) {
            if (configured)
                return Icons::get(u"state-done"_qs);
            return Icons::get(u"nav-tables"_qs);
        }
        break;
    case Qt::ForegroundRole:
        if (configured)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::ToolTipRole: {
        QStringList lines;
        lines << tr("%1: ~%2 rows, %3 engine").arg(t.name, QLocale().toString(t.estimatedRows), t.engine);
        if (!t.note().isEmpty())
            lines << t.note();
        if (!t.modifierCandidates.isEmpty() && !keyless) {
            lines << tr("Modifier candidates:");
            for (const ModifierCandidate &c : t.modifierCandidates)
                lines << u"  • "_qs + c.column + u" — "_qs + c.reason;
        } else {
            lines << tr("No column looks like a change time: it would be synced by full refresh.");
        }
        if (configured)
            lines << tr("Already in the table list.");
        else
            lines << tr("Double-click to add it.");
        return lines.join(u'\n');
    }
    default:
        break;
    }
    return {};
}

QVariant DiscoveryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == RowsColumn)
        return tr("The server's estimate (information_schema TABLE_ROWS)");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Source table");
    case RowsColumn:
        return tr("~Rows");
    case KeyColumn:
        return tr("Primary key");
    case ModifierColumn:
        return tr("Modifier");
    case NoteColumn:
        return tr("Note");
    }
    return {};
}

} // namespace tablesync
