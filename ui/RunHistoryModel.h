#pragma once

#include "ProfileJournal.h"
#include "sync/SyncTypes.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace tablesync {

// The recent runs of the profile, newest first (kept across restarts by ProfileJournal): when,
// how long, how many tables synced, failed or were stopped, rows written and the load id (the
// `_dlt_loads` row in the target).
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, DurationColumn, ResultColumn, TablesColumn, RowsColumn, LoadIdColumn, ColumnCount };
    static constexpr int kMaxRuns = 200;

    explicit RunHistoryModel(QObject *parent = nullptr);

    void addRun(const QDateTime &started, const RunSummary &summary, int configuredTables);
    // Replaces every run; `runs` oldest first, as a journal lists them.
    void setRuns(const QList<ProfileJournal::Run> &runs);
    // When each table last synced, by the runs listed.
    QHash<QString, QDateTime> lastSuccesses() const;
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
