#include "VerifyReportModel.h"

#include "Icons.h"
#include "Plural.h"
#include "ShortTime.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace tablesync {

namespace {
bool finished(TableRunState state)
{
    return state == TableRunState::Done || state == TableRunState::Failed || state == TableRunState::Stopped;
}
} // namespace

VerifyReportModel::VerifyReportModel(QObject *parent)
    : TableRowsModel(parent)
{}

void VerifyReportModel::follow(VerifyController *verifier)
{
    connect(verifier, &VerifyController::verificationStarted, this, &VerifyReportModel::onVerificationStarted);
    connect(verifier, &VerifyController::tableVerificationStarted, this, &VerifyReportModel::onTableStarted);
    connect(verifier, &VerifyController::rowsCompared, this, &VerifyReportModel::onRowsCompared);
    connect(verifier, &VerifyController::tableMessage, this, &VerifyReportModel::onTableMessage);
    connect(verifier, &VerifyController::tableVerified, this, &VerifyReportModel::onTableVerified);
    connect(verifier, &VerifyController::verificationFinished, this, &VerifyReportModel::onVerificationFinished);
}

void VerifyReportModel::setTables(const QStringList &tables)
{
    QStringList current;
    for (const Row &r : std::as_const(m_rows))
        current << r.table;
    if (current == tables)
        return; // settings are applied often (every edit, every Verify): keep the view's selection
    beginResetModel();
    QList<Row> rows;
    for (const QString &table : tables) {
        const int old = indexOf(table);
        Row row = old >= 0 ? m_rows.at(old) : Row();
        row.table = table;
        rows << row;
    }
    m_rows = rows;
    endResetModel();
}

VerifyReportModel::RepairPlan VerifyReportModel::repairPlan() const
{
    RepairPlan plan;
    for (const Row &r : m_rows) {
        if (r.verdict != Verdict::Differs)
            continue;
        plan.tables << r.table;
        plan.missing += r.missing;
        plan.extra += r.extra;
        plan.different += r.different;
    }
    return plan;
}

int VerifyReportModel::countOf(Verdict verdict) const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [verdict](const Row &r) { return r.verdict == verdict; }));
}

QString VerifyReportModel::summary() const
{
    const int total = int(m_rows.size());
    const int differ = countOf(Verdict::Differs);
    const int failed = countOf(Verdict::Failed);
    const int notVerified = countOf(Verdict::NotVerified);
    if (notVerified == total)
        return plural(total, tr("%1 table, not verified yet"), tr("%1 tables, not verified yet"));
    QString line;
    if (differ > 0) {
        const RepairPlan plan = repairPlan();
        if (total == 1)
            line = tr("The table differs");
        else
            line = (differ == 1 ? tr("%1 of %2 tables differs") : tr("%1 of %2 tables differ")).arg(differ).arg(total);
        line += u": "_qs + plural(plan.missing, tr("%1 row missing"), tr("%1 rows missing")) +
                tr(", %1 extra, %2 different").arg(plan.extra).arg(plan.different);
    } else if (failed == 0 && notVerified == 0) {
        line = total == 1 ? tr("The table is identical") : tr("All %1 tables identical").arg(total);
    } else {
        line = tr("%1 of %2 tables identical").arg(countOf(Verdict::Identical)).arg(total);
    }
    if (failed > 0)
        line += tr(" · %1 could not be verified").arg(failed);
    if (notVerified > 0)
        line += tr(" · %1 not verified yet").arg(notVerified);
    return line;
}

int VerifyReportModel::jobTableCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.inJob; }));
}

int VerifyReportModel::jobFinishedCount() const
{
    return int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.inJob && finished(r.state); }));
}

qint64 VerifyReportModel::jobRowsCompared() const
{
    qint64 total = 0;
    for (const Row &r : m_rows)
        total += r.inJob ? r.rowsCompared : 0;
    return total;
}

int VerifyReportModel::jobProgress() const
{
    const int tables = jobTableCount();
    if (tables == 0)
        return 0;
    double done = 0;
    for (const Row &r : m_rows) {
        if (!r.inJob)
            continue;
        if (finished(r.state))
            done += 1;
        else if (r.state == TableRunState::Running && r.estimate > 0)
            done += std::min(1.0, double(r.rowsCompared) / double(r.estimate)) * 0.95;
    }
    return int(1000.0 * done / double(tables));
}

void VerifyReportModel::onVerificationStarted(VerifyController::Mode mode, const QStringList &tables)
{
    m_mode = mode;
    for (Row &r : m_rows)
        r.inJob = false;
    for (const QString &table : tables) {
        const int i = ensureRow(table);
        Row &r = m_rows[i];
        r.inJob = true;
        r.state = TableRunState::Queued;
        r.rowsCompared = 0;
        r.estimate = -1;
        r.notes.clear();
    }
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void VerifyReportModel::onTableStarted(const QString &table)
{
    const int i = ensureRow(table);
    m_rows[i].state = TableRunState::Running;
    rowChanged(i);
}

void VerifyReportModel::onRowsCompared(const QString &table, qint64 rowsSoFar, qint64 estimate)
{
    const int i = ensureRow(table);
    Row &r = m_rows[i];
    r.rowsCompared = rowsSoFar;
    // InnoDB's estimate can be below the truth; never show more done than expected.
    r.estimate = estimate > 0 ? std::max(estimate, rowsSoFar) : -1;
    rowChanged(i);
}

void VerifyReportModel::onTableMessage(const QString &table, const QString &message)
{
    const int i = indexOf(table);
    if (i < 0 || !m_rows[i].inJob)
        return;
    m_rows[i].notes << message;
    rowChanged(i);
}

void VerifyReportModel::onTableVerified(const TableResult &result)
{
    const int i = ensureRow(result.table);
    Row &r = m_rows[i];
    r.checkedAt = QDateTime::currentDateTime();
    r.error.clear();
    switch (result.outcome) {
    case TableOutcome::Failed:
        // The last result is no longer known to be true: say so rather than show it.
        r.state = TableRunState::Failed;
        r.verdict = Verdict::Failed;
        r.error = result.error;
        r.missing = r.extra = r.different = r.remaining = 0;
        r.sampleKeys.clear();
        rowChanged(i);
        return;
    case TableOutcome::Stopped:
        r.state = TableRunState::Stopped;
        rowChanged(i);
        return;
    case TableOutcome::Succeeded:
        break;
    }
    r.state = TableRunState::Done;
    r.estimate = r.rowsCompared;
    r.remaining = result.remainingDifferences;
    r.repairedRows = m_mode == VerifyController::Mode::Repair ? result.repairedRows : 0;
    r.repairFound = m_mode == VerifyController::Mode::Repair ? tr("%1 missing, %2 extra, %3 different")
                                                                   .arg(result.missingRows)
                                                                   .arg(result.extraRows)
                                                                   .arg(result.differentRows)
                                                             : QString();
    if (r.remaining == 0) {
        // Identical, or repaired and proven identical by the repair's second comparison.
        r.verdict = Verdict::Identical;
        r.missing = r.extra = r.different = 0;
        r.sampleKeys.clear();
    } else {
        // After a repair only the total still differing is known; the first pass's counts are shown.
        r.verdict = Verdict::Differs;
        r.missing = result.missingRows;
        r.extra = result.extraRows;
        r.different = result.differentRows;
        r.sampleKeys = result.sampleKeys;
    }
    rowChanged(i);
}

void VerifyReportModel::onVerificationFinished()
{
    // Tables the verification never reached (it was stopped) say so; their old result stays.
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].inJob && !finished(m_rows[i].state)) {
            m_rows[i].state = TableRunState::Stopped;
            rowChanged(i);
        }
    }
}

QString VerifyReportModel::resultText(const Row &r) const
{
    const QLocale locale;
    switch (r.state) {
    case TableRunState::Queued:
        return tr("queued");
    case TableRunState::Running:
        return m_mode == VerifyController::Mode::Repair ? tr("repairing…") : tr("comparing…");
    case TableRunState::Stopped:
        return tr("stopped before it finished");
    default:
        break;
    }
    switch (r.verdict) {
    case Verdict::NotVerified:
        return tr("not verified yet");
    case Verdict::Identical:
        return r.repairedRows > 0
                   ? plural(r.repairedRows, tr("identical (repaired %1 row)"), tr("identical (repaired %1 rows)"))
                   : tr("identical");
    case Verdict::Differs:
        if (r.repairedRows > 0)
            return plural(r.remaining, tr("%1 row still differs"), tr("%1 rows still differ"));
        return plural(r.remaining, tr("differs: %1 row"), tr("differs: %1 rows"));
    case Verdict::Failed:
        return tr("not verified: %1").arg(r.error.section(u'\n', 0, 0));
    }
    return {};
}

QString VerifyReportModel::resultToolTip(const Row &r) const
{
    QStringList lines;
    if (r.verdict == Verdict::Failed)
        lines << r.error;
    if (r.repairedRows > 0)
        lines << plural(r.repairedRows,
                        tr("The repair found %2 and rewrote or deleted %1 row; comparing again then found %3."),
                        tr("The repair found %2 and rewrote or deleted %1 rows; comparing again then found %3."))
                     .arg(r.repairFound)
                     .arg(r.remaining == 0 ? tr("the table identical")
                                           : plural(r.remaining, tr("%1 row still differing (changed meanwhile?)"),
                                                    tr("%1 rows still differing (changed meanwhile?)")));
    lines << r.notes;
    return lines.join(u'\n');
}

int VerifyReportModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VerifyReportModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const QLocale locale;
    const bool counted = r.verdict == Verdict::Identical || r.verdict == Verdict::Differs;
    const auto count = [&](qint64 n) { return counted ? QVariant(locale.toString(n)) : QVariant(); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TableColumn:
            return r.table;
        case ResultColumn:
            return resultText(r);
        case ProgressColumn:
            if (r.state == TableRunState::Idle || r.state == TableRunState::Queued)
                return QString();
            return r.estimate > 0
                       ? tr("%1 of ~%2 rows").arg(locale.toString(r.rowsCompared), locale.toString(r.estimate))
                       : tr("%1 rows").arg(locale.toString(r.rowsCompared));
        case MissingColumn:
            return count(r.missing);
        case ExtraColumn:
            return count(r.extra);
        case DifferentColumn:
            return count(r.different);
        case SampleKeysColumn:
            return r.sampleKeys.join(u"; "_qs);
        case CheckedColumn:
            return r.checkedAt.isValid() ? shortWhen(r.checkedAt) : QString();
        }
        break;
    case Qt::DecorationRole:
        if (index.column() != ResultColumn)
            break;
        if (r.state == TableRunState::Queued || r.state == TableRunState::Running || r.state == TableRunState::Stopped)
            return Icons::forState(r.state);
        switch (r.verdict) {
        case Verdict::NotVerified:
            return Icons::forState(TableRunState::Idle);
        case Verdict::Identical:
            return Icons::forState(TableRunState::Done);
        case Verdict::Differs:
            return Icons::get(u"msg-warning"_qs);
        case Verdict::Failed:
            return Icons::forState(TableRunState::Failed);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ResultColumn) {
            const QString tip = resultToolTip(r);
            return tip.isEmpty() ? QVariant() : QVariant(tip);
        }
        if (index.column() == SampleKeysColumn && !r.sampleKeys.isEmpty())
            return tr("A few of the keys that differ:\n%1").arg(r.sampleKeys.join(u'\n'));
        break;
    case Qt::FontRole:
        // Counts that are not zero are what the reader looks for.
        if ((index.column() == MissingColumn && r.missing > 0) || (index.column() == ExtraColumn && r.extra > 0) ||
            (index.column() == DifferentColumn && r.different > 0)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == MissingColumn || index.column() == ExtraColumn || index.column() == DifferentColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case StateRole:
        return int(r.state);
    case RowsDoneRole:
        return r.rowsCompared;
    case EstimateRole:
        return r.state == TableRunState::Done ? std::max<qint64>(r.rowsCompared, 1) : r.estimate;
    default:
        break;
    }
    return {};
}

QVariant VerifyReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case MissingColumn:
            return tr("Rows in the source that the target lacks");
        case ExtraColumn:
            return tr("Rows in the target that the source does not have");
        case DifferentColumn:
            return tr("Rows in both whose content differs (the _dlt_ columns aside)");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TableColumn:
        return tr("Table");
    case ResultColumn:
        return tr("Result");
    case ProgressColumn:
        return tr("Compared");
    case MissingColumn:
        return tr("Missing");
    case ExtraColumn:
        return tr("Extra");
    case DifferentColumn:
        return tr("Different");
    case SampleKeysColumn:
        return tr("Sample keys");
    case CheckedColumn:
        return tr("Checked");
    }
    return {};
}

} // namespace tablesync
