#pragma once

#include "RunTableModel.h"
#include "TableRunState.h"
#include "VerifyController.h"
#include "sync/SyncTypes.h"

#include "TableRowsModel.h"

#include <QDateTime>

namespace tablesync {

enum class VerifyVerdict { NotVerified, Identical, Differs, Failed };

// A table's line in the verification report.
struct VerifyReportRow
{
    QString table;
    TableRunState state = TableRunState::Idle; // of the comparison in flight or the last one
    qint64 rowsCompared = 0;
    qint64 estimate = -1;
    VerifyVerdict verdict = VerifyVerdict::NotVerified;
    // What differs now. After a repair that left the table identical these are 0 and
    // `repairFound` keeps what the repair found and fixed.
    qint64 missing = 0;
    qint64 extra = 0;
    qint64 different = 0;
    qint64 remaining = 0;    // rows that differ now (after a repair: its second comparison)
    qint64 repairedRows = 0; // rewritten or deleted by the last repair
    QString repairFound;     // e.g. "1 missing, 2 extra, 0 different", for the tooltip
    QStringList sampleKeys;  // "missing 7", "extra ('zz', 1)", ...
    QString error;           // why the table could not be verified
    QStringList notes;       // the engine's remarks (columns not compared, ...)
    QDateTime checkedAt;
    bool inJob = false; // part of the verification in flight or the last one
};

// The verification report: one row per configured table with how far its comparison got and
// what it found (identical, or rows missing, extra and different with a few sample keys), as
// `tablesync --verify` prints it. Fed by VerifyController's signals. A row keeps its last result
// until that table is verified again, so verifying a few tables leaves the others' results.
class VerifyReportModel : public TableRowsModel<VerifyReportRow>
{
    Q_OBJECT
public:
    enum Column {
        TableColumn,
        ResultColumn,
        ProgressColumn,
        MissingColumn,
        ExtraColumn,
        DifferentColumn,
        CheckedColumn,
        SampleKeysColumn, // last: it stretches, and the page's details show every key in full
        ColumnCount
    };
    // The roles ProgressDelegate draws from, with RunTableModel's numbers so it draws both.
    enum Role {
        StateRole = RunTableModel::StateRole,
        RowsDoneRole = RunTableModel::RowsDoneRole,
        EstimateRole = RunTableModel::EstimateRole,
    };
    using Verdict = VerifyVerdict;

    using Row = VerifyReportRow;

    // What a repair of the tables that differ would do, for its confirmation.
    struct RepairPlan
    {
        QStringList tables;
        qint64 missing = 0;
        qint64 extra = 0;
        qint64 different = 0;
        qint64 rowsToRewrite() const { return missing + different; }
        qint64 rowsToDelete() const { return extra; }
        bool isEmpty() const { return tables.isEmpty(); }
    };

    explicit VerifyReportModel(QObject *parent = nullptr);

    // Connects the on...() slots below to `verifier`'s signals.
    void follow(VerifyController *verifier);

    // The configured tables, in this order; results of tables still configured survive.
    void setTables(const QStringList &tables);

    RepairPlan repairPlan() const;
    int countOf(Verdict verdict) const;
    // One line over the whole report, e.g. "2 of 3 tables differ: 1 row missing, 1 extra, 1 different".
    QString summary() const;
    // The verification in flight or the last one: its tables, how many are finished, 0..1000.
    int jobTableCount() const;
    int jobFinishedCount() const;
    qint64 jobRowsCompared() const;
    int jobProgress() const;

    void onVerificationStarted(VerifyController::Mode mode, const QStringList &tables);
    void onTableStarted(const QString &table);
    void onRowsCompared(const QString &table, qint64 rowsSoFar, qint64 estimate);
    void onTableMessage(const QString &table, const QString &message);
    void onTableVerified(const TableResult &result);
    void onVerificationFinished();

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString resultText(const Row &r) const;
    QString resultToolTip(const Row &r) const;

    VerifyController::Mode m_mode = VerifyController::Mode::Verify;
};

} // namespace tablesync
