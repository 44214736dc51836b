#include "TableListModel.h"

#include "Icons.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace tablesync {

namespace {
using Severity = TableIssue::Severity;

QIcon severityIcon(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return Icons::get(u"msg-error"_qs);
    case Severity::Warning:
        return Icons::get(u"msg-warning"_qs);
    case Severity::Notice:
        return Icons::get(u"msg-notice"_qs);
    }
    return {};
}

// The tables.json words for "deletes", which the cell shows and takes.
QString deletesWord(TableSpec::Deletes deletes)
{
    switch (deletes) {
    case TableSpec::Deletes::Propagate:
        return u"propagate"_qs;
    case TableSpec::Deletes::Soft:
        return u"soft"_qs;
    case TableSpec::Deletes::Keep:
        break;
    }
    return u"keep"_qs;
}

QStringList splitColumns(const QString &text)
{
    QStringList columns;
    for (const QString &part : text.split(u',')) {
        const QString column = part.trimmed();
        if (!column.isEmpty())
            columns << column;
    }
    return columns;
}
} // namespace

TableListModel::TableListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TableListModel::setTables(const QList<TableSpec> &tables)
{
    beginResetModel();
    m_tables = tables;
    endResetModel();
    revalidate();
}

QList<TableSpec> TableListModel::tables() const
{
    QList<TableSpec> result = m_tables;
    for (int i = 0; i < result.size(); ++i)
        result[i].entryIndex = i + 1;
    return result;
}

int TableListModel::addTable(const TableSpec &spec)
{
    const int row = int(m_tables.size());
    beginInsertRows({}, row, row);
    m_tables << spec;
    endInsertRows();
    revalidate();
    Q_EMIT edited();
    return row;
}

int TableListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_tables.size(); ++i) {
        if (m_tables[i].table.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

bool TableListModel::containsTable(const QString &name) const
{
    return rowOf(name) >= 0;
}

bool TableListModel::moveTable(int from, int to)
{
    if (from < 0 || to < 0 || from >= m_tables.size() || to >= m_tables.size() || from == to)
        return false;
    // beginMoveRows wants the destination as "insert before", one past `to` when moving down.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    m_tables.move(from, to);
    endMoveRows();
    revalidate();
    Q_EMIT edited();
    return true;
}

void TableListModel::setCatalog(const QList<DiscoveredTable> &tables)
{
    m_catalog.clear();
    for (const DiscoveredTable &t : tables)
        m_catalog.insert(t.name.toLower(), t);
    revalidate();
}

const DiscoveredTable *TableListModel::sourceTable(const QString &name) const
{
    const auto it = m_catalog.constFind(name.toLower());
    return it == m_catalog.constEnd() ? nullptr : &*it;
}

QList<TableIssue> TableListModel::issuesFor(int row) const
{
    QList<TableIssue> result;
    for (const TableIssue &issue : m_issues) {
        if (issue.row == row)
            result << issue;
    }
    return result;
}

int TableListModel::count(Severity severity) const
{
    return int(std::count_if(m_issues.cbegin(), m_issues.cend(),
                             [severity](const TableIssue &i) { return i.severity == severity; }));
}

void TableListModel::revalidate()
{
    m_issues = TableSpecValidator::validate(m_tables, m_catalog.isEmpty() ? nullptr : &m_catalog);
    if (!m_tables.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Vertical, 0, qMax(0, rowCount() - 1));
    Q_EMIT issuesChanged();
}

TableIssue::Field TableListModel::fieldOf(int column)
{
    switch (column) {
    case PrimaryKeyColumn:
        return TableIssue::Field::PrimaryKey;
    case ModifierColumn:
    case StrategyColumn:
        return TableIssue::Field::Modifier;
    case InitialValueColumn:
        return TableIssue::Field::InitialValue;
    case BatchSizeColumn:
        return TableIssue::Field::BatchSize;
    case DeletesColumn:
        return TableIssue::Field::Deletes;
    default:
        return TableIssue::Field::Table;
    }
}

int TableListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tables.size());
}

int TableListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TableListModel::strategyText(const TableSpec &spec) const
{
    if (spec.isIncremental())
        return tr("incremental");
    const DiscoveredTable *source = sourceTable(spec.table);
    if (source && source->estimatedRows > 0)
        return tr("full refresh (~%1 rows each run)").arg(QLocale().toString(source->estimatedRows));
    return tr("full refresh");
}

QVariant TableListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_tables.size())
        return {};
    const TableSpec &spec = m_tables[index.row()];
    const int column = index.column();

    // The worst issue of this cell (Strategy shares the modifier's notices).
    const TableIssue *worst = nullptr;
    for (const TableIssue &issue : m_issues) {
        if (issue.row == index.row() && issue.field == fieldOf(column) &&
            (column != StrategyColumn || issue.severity == Severity::Notice) &&
            (!worst || int(issue.severity) < int(worst->severity)))
            worst = &issue;
    }

    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (column) {
        case TableColumn:
            return spec.table;
        case PrimaryKeyColumn:
            // No key: the whole row identifies a row of a full refresh (FullRefresh.h).
            if (role == Qt::DisplayRole && spec.primaryKey.isEmpty() && !spec.isIncremental())
                return QString(u"\u2014 "_qs + tr("whole row"));
            return spec.primaryKey.join(u", "_qs);
        case ModifierColumn:
            // No modifier means a full refresh: said in the cell (greyed), not in a column of its own.
            if (role == Qt::DisplayRole && spec.modifier.isEmpty())
                return QString(u"\u2014 "_qs + tr("full refresh"));
            return spec.modifier;
        case InitialValueColumn:
            return spec.initialValue.value_or(QString());
        case BatchSizeColumn:
            if (role == Qt::EditRole)
                return spec.batchSize;
            return spec.batchSize > 0 ? QLocale().toString(spec.batchSize) : QString();
        case DeletesColumn:
            return deletesWord(spec.deletes);
        case StrategyColumn:
            return strategyText(spec);
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const TableIssue &issue : m_issues) {
            if (issue.row == index.row() && issue.field == fieldOf(column))
                lines << issue.message;
        }
        if (!lines.isEmpty())
            return lines.join(u'\n');
        if (column == BatchSizeColumn)
            return tr("Rows per batch for this table; empty uses FETCH_LIMIT.");
        if (column == PrimaryKeyColumn)
            return tr("The column(s) that identify a row, e.g. id or order_id, line_no. Empty for a full refresh of "
                      "a table without a key: the whole table is replaced every run.");
        if (column == ModifierColumn) {
            const QString what =
                tr("A column that grows on every change (e.g. updated_at): incremental sync. Empty: full refresh.");
            return spec.modifier.isEmpty() ? strategyText(spec) + u'\n' + what : what;
        }
        if (column == InitialValueColumn)
            return tr("Where incremental sync starts when no cursor is stored yet (inclusive).");
        if (column == DeletesColumn)
            return tr("Rows deleted in the source: keep them in the target, delete them (propagate), or mark them "
                      "in _dlt_deleted_at (soft, incremental tables only).");
        return {};
    }
    case Qt::DecorationRole:
        if (worst)
            return severityIcon(worst->severity);
        break;
    case Qt::BackgroundRole:
        if (worst && worst->severity == Severity::Error)
            return QBrush(QColor(224, 49, 49, 40));
        if (worst && worst->severity == Severity::Warning)
            return QBrush(QColor(240, 140, 0, 36));
        break;
    case Qt::ForegroundRole:
        if (column == StrategyColumn)
            return QBrush(QColor(0x6b, 0x76, 0x84));
        if ((column == BatchSizeColumn && spec.batchSize == 0) ||
            (column == ModifierColumn && spec.modifier.isEmpty()) ||
            (column == PrimaryKeyColumn && spec.primaryKey.isEmpty()) ||
            (column == DeletesColumn && spec.deletes == TableSpec::Deletes::Keep))
            return QBrush(QColor(0x8a, 0x94, 0xa3)); // the default, shown quietly
        break;
    case SeverityRole:
        return worst ? int(worst->severity) : -1;
    case RowSeverityRole: {
        int best = -1;
        for (const TableIssue &issue : m_issues) {
            if (issue.row == index.row() && (best < 0 || int(issue.severity) < best))
                best = int(issue.severity);
        }
        return best;
    }
    case ColumnChoicesRole: {
        if (column == DeletesColumn)
            return QStringList{u"keep"_qs, u"propagate"_qs, u"soft"_qs};
        const DiscoveredTable *source = sourceTable(spec.table);
        if (!source)
            return {};
        if (column == ModifierColumn)
            return source->orderableColumns();
        QStringList names;
        for (const ColumnInfo &c : source->columns)
            names << c.name;
        return names;
    }
    case Qt::AccessibleDescriptionRole:
        return worst ? worst->message : QString();
    default:
        break;
    }
    return {};
}

QVariant TableListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (role == Qt::ToolTipRole) {
        static const char *const keys[] = {"table",      "primary_key", "modifier", "initial_value",
                                           "batch_size", "deletes",     nullptr};
        if (keys[section])
            return tr("tables.json key \"%1\"").arg(QString::fromLatin1(keys[section]));
        return tr("How this table is synced");
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TableColumn:
        return tr("Table");
    case PrimaryKeyColumn:
        return tr("Primary key");
    case ModifierColumn:
        return tr("Modifier");
    case InitialValueColumn:
        return tr("Initial value");
    case BatchSizeColumn:
        return tr("Batch size");
    case DeletesColumn:
        return tr("Deletes");
    case StrategyColumn:
        return tr("Strategy");
    }
    return {};
}

Qt::ItemFlags TableListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() != StrategyColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool TableListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.row() >= m_tables.size())
        return false;
    TableSpec &spec = m_tables[index.row()];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case TableColumn:
        if (spec.table == text)
            return false;
        spec.table = text;
        break;
    case PrimaryKeyColumn: {
        const QStringList key = splitColumns(text);
        if (spec.primaryKey == key)
            return false;
        spec.primaryKey = key;
        break;
    }
    case ModifierColumn:
        if (spec.modifier == text)
            return false;
        spec.modifier = text;
        break;
    case InitialValueColumn: {
        // Initial values are kept as typed (a DATETIME may end in spaces only by mistake, though).
        const std::optional<QString> initial = text.isEmpty() ? std::nullopt : std::optional<QString>(text);
        if (spec.initialValue == initial)
            return false;
        spec.initialValue = initial;
        break;
    }
    case BatchSizeColumn: {
        bool ok = false;
        const int size = text.isEmpty() ? 0 : QLocale().toInt(text, &ok);
        const int batch = text.isEmpty() ? 0 : (ok ? size : value.toInt());
        if (spec.batchSize == batch)
            return false;
        spec.batchSize = batch;
        break;
    }
    case DeletesColumn: {
        static const QHash<QString, TableSpec::Deletes> words{{u"keep"_qs, TableSpec::Deletes::Keep},
                                                              {u"propagate"_qs, TableSpec::Deletes::Propagate},
                                                              {u"soft"_qs, TableSpec::Deletes::Soft}};
        const auto word = words.constFind(text.toLower());
        if (word == words.cend() || spec.deletes == *word)
            return false;
        spec.deletes = *word;
        break;
    }
    default:
        return false;
    }
    Q_EMIT dataChanged(index, index);
    revalidate();
    Q_EMIT edited();
    return true;
}

bool TableListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_tables.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_tables.remove(row, count);
    endRemoveRows();
    revalidate();
    Q_EMIT edited();
    return true;
}

} // namespace tablesync
