#pragma once

#include "TableRunState.h"
#include "sync/SyncTypes.h"

#include "TableRowsModel.h"

#include <QDateTime>
#include <QElapsedTimer>

class QTimer;

namespace tablesync {

// A table's line in the run monitor.
struct RunTableRow
{
    QString table;
    QString strategy;
    TableRunState state = TableRunState::Idle;
    qint64 rowsDone = 0;
    qint64 rowsRechecked = 0; // read again after the safe cursor and found unchanged
    qint64 estimate = -1;
    qint64 lastRunWork = -1; // rows the table's last finished run handled (or expected): its weight next time
    QElapsedTimer timer;
    qint64 elapsedMs = 0;
    QDateTime lastSuccess;
    QString lastError;
    int attempts = 0;
    HorizonView horizon; // the last incremental run's view of the source's open transactions
};

// One row per configured table with where it stands: state, rows done of the estimate, rows/s,
// elapsed, last success, what the source's open transactions hold back, and last error. Fed by RunController's signals;
// rows keep their last success and error across runs.
class RunTableModel : public TableRowsModel<RunTableRow>
{
    Q_OBJECT
public:
    enum Column {
        TableColumn,
        StrategyColumn,
        StateColumn,
        ProgressColumn,
        RateColumn,
        ElapsedColumn,
        LastSuccessColumn,
        SourceWritersColumn,
        LastErrorColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, // int(TableRunState)
        RowsDoneRole,                 // qint64
        EstimateRole,                 // qint64, -1 unknown
    };

    using Row = RunTableRow;

    explicit RunTableModel(QObject *parent = nullptr);
    // Each table's last success as remembered from earlier sessions (RunHistoryModel::lastSuccesses).
    void restoreLastSuccesses(const QHash<QString, QDateTime> &when);

    // The configured tables (names and strategies), kept in this order; history per name survives.
    void setTables(const QList<std::pair<QString, QString>> &tablesAndStrategies);
    // 0..1000: done tables count whole, running ones by their share of the estimate.
    // How much of the run's work is done, in rows; `estimated`: some table's size is a guess.
    struct Work
    {
        qint64 done = 0;
        qint64 rows = 0;
        bool estimated = false;
    };
    Work work() const;
    // 0..1000, weighted by rows (work()).
    int overallProgress() const;
    int countIn(TableRunState state) const;
    qint64 rowsThisRun() const;
    // The first table whose last run could not see the source's open transactions, or that waits
    // behind a long one; -1 when none. What the page's banner speaks of.
    int firstHorizonConcern() const;

    void onRunStarted(const QStringList &tables);
    void onTableStarted(const QString &table, const QString &strategy);
    void onBatchCommitted(const QString &table, qint64 rowsSoFar, qint64 estimate);
    void onTableFinished(const TableResult &result);
    void onRunFinished();

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void tick();

    QTimer *m_ticker = nullptr;
};

} // namespace tablesync
