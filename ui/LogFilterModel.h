#pragma once

#include "LogModel.h"

#include <QSortFilterProxyModel>

namespace tablesync {

// Shows the log lines at or above a level, of one table (or all), containing a text.
class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimumLevel(LogModel::Level level);
    // Empty: every table (and the lines about no table).
    void setTable(const QString &table);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogModel::Level m_minimum = LogModel::Level::Info;
    QString m_table;
    QString m_text;
};

} // namespace tablesync
