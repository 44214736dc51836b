#include "LogFilterModel.h"

namespace tablesync {

void LogFilterModel::setMinimumLevel(LogModel::Level level)
{
    m_minimum = level;
    invalidateFilter();
}

void LogFilterModel::setTable(const QString &table)
{
    m_table = table;
    invalidateFilter();
}

void LogFilterModel::setText(const QString &text)
{
    m_text = text;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    Q_UNUSED(sourceParent)
    const auto *model = static_cast<const LogModel *>(sourceModel());
    const LogModel::Line &line = model->lineAt(sourceRow);
    if (int(line.level) < int(m_minimum))
        return false;
    if (!m_table.isEmpty() && line.table.compare(m_table, Qt::CaseInsensitive) != 0)
        return false;
    return m_text.isEmpty() || line.message.contains(m_text, Qt::CaseInsensitive) ||
           line.table.contains(m_text, Qt::CaseInsensitive);
}

} // namespace tablesync
