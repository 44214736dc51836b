#pragma once

#include "sync/SyncTypes.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace tablesync {

// The recent runs of this session, newest first: when, how long, how many tables synced or
// failed, rows written and the load id (the `_dlt_loads` row in the target).
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, DurationColumn, ResultColumn, TablesColumn, RowsColumn, LoadIdColumn, ColumnCount };
    static constexpr int kMaxRuns = 200;

    explicit RunHistoryModel(QObject *parent = nullptr);

    void addRun(const QDateTime &started, const RunSummary &summary, int configuredTables);
    const RunSummary &runAt(int row) const { return m_runs.at(row).summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Run
    {
        QDateTime started;
        RunSummary summary;
        int configuredTables = 0;
    };
    QList<Run> m_runs;
};

} // namespace tablesync
