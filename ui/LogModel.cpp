#include "LogModel.h"

#include "Icons.h"

#include <QBrush>
#include <QColor>

namespace tablesync {

LogModel::LogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void LogModel::append(Level level, const QString &table, const QString &message)
{
    if (m_lines.size() >= kMaxLines) {
        // Dropped in chunks: removing one row per new line would redo the view each time.
        const int drop = kMaxLines / 10;
        beginRemoveRows({}, 0, drop - 1);
        m_lines.remove(0, drop);
        endRemoveRows();
    }
    const int row = int(m_lines.size());
    beginInsertRows({}, row, row);
    m_lines << Line{QDateTime::currentDateTime(), level, table, message};
    endInsertRows();
    if (!table.isEmpty() && !m_tables.contains(table)) {
        m_tables << table;
        m_tables.sort(Qt::CaseInsensitive);
        Q_EMIT tablesChanged();
    }
    Q_EMIT appended(m_lines.constLast());
}

void LogModel::setLines(const QList<Line> &lines)
{
    beginResetModel();
    m_lines = lines.mid(std::max<qsizetype>(0, lines.size() - kMaxLines));
    endResetModel();
    QStringList tables;
    for (const Line &line : std::as_const(m_lines)) {
        if (!line.table.isEmpty() && !tables.contains(line.table))
            tables << line.table;
    }
    tables.sort(Qt::CaseInsensitive);
    if (tables != m_tables) {
        m_tables = tables;
        Q_EMIT tablesChanged();
    }
}

void LogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

QString LogModel::levelName(Level level)
{
    switch (level) {
    case Level::Info:
        return tr("info");
    case Level::Warning:
        return tr("warning");
    case Level::Error:
        return tr("error");
    }
    return {};
}

QString LogModel::format(const Line &line)
{
    QString text = line.time.toString(u"yyyy-MM-dd HH:mm:ss.zzz"_qs) + u' ' + levelName(line.level).toUpper() + u' ';
    if (!line.table.isEmpty())
        text += u'[' + line.table + u"] "_qs;
    return text + line.message;
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const Line &line = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return line.time.toString(u"HH:mm:ss.zzz"_qs);
        case LevelColumn:
            return levelName(line.level);
        case TableColumn:
            return line.table;
        case MessageColumn:
            return line.message;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return line.message;
        if (index.column() == TimeColumn)
            return line.time.toString(Qt::ISODateWithMs);
        break;
    case Qt::DecorationRole:
        if (index.column() == LevelColumn && line.level == Level::Warning)
            return Icons::get(u"msg-warning"_qs);
        if (index.column() == LevelColumn && line.level == Level::Error)
            return Icons::get(u"msg-error"_qs);
        break;
    case Qt::ForegroundRole:
        if (line.level == Level::Error)
            return QBrush(QColor(0xe0, 0x31, 0x31));
        break;
    case LevelRole:
        return int(line.level);
    case TableRole:
        return line.table;
    default:
        break;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case TableColumn:
        return tr("Table");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace tablesync
