#pragma once

#include "TableRunState.h"
#include "sync/SyncTypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QElapsedTimer>

class QTimer;

namespace tablesync {

// One row per configured table with where it stands: state, rows done of the estimate, rows/s,
// elapsed, last success and last error. Fed by RunController's signals; rows keep their last
// success and error across runs.
class RunTableModel : public QAbstractTableModel
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
        LastErrorColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, // int(TableRunState)
        RowsDoneRole,                 // qint64
        EstimateRole,                 // qint64, -1 unknown
    };

    struct Row
    {
        QString table;
        QString strategy;
        TableRunState state = TableRunState::Idle;
        qint64 rowsDone = 0;
        qint64 estimate = -1;
        QElapsedTimer timer;
        qint64 elapsedMs = 0;
        QDateTime lastSuccess;
        QString lastError;
        int attempts = 0;
    };

    explicit RunTableModel(QObject *parent = nullptr);

    // The configured tables (names and strategies), kept in this order; history per name survives.
    void setTables(const QList<std::pair<QString, QString>> &tablesAndStrategies);
    const Row *row(const QString &table) const;
    const Row &rowAt(int row) const { return m_rows.at(row); }
    // 0..1000: done tables count whole, running ones by their share of the estimate.
    int overallProgress() const;
    int countIn(TableRunState state) const;
    qint64 rowsThisRun() const;

    void onRunStarted(const QStringList &tables);
    void onTableStarted(const QString &table, const QString &strategy);
    void onBatchCommitted(const QString &table, qint64 rowsSoFar, qint64 estimate);
    void onTableFinished(const TableResult &result);
    void onRunFinished();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int indexOf(const QString &table) const;
    int ensureRow(const QString &table);
    void rowChanged(int row);
    void tick();

    QList<Row> m_rows;
    QTimer *m_ticker = nullptr;
};

} // namespace tablesync
