#include "RunTableModel.h"

#include "Icons.h"
#include "Plural.h"
#include "ShortTime.h"
#include "sync/HorizonNotice.h"

#include <QLocale>
#include <QTimer>

namespace tablesync {

namespace {
QString duration(qint64 ms)
{
    if (ms < 10'000)
        return QLocale().toString(double(ms) / 1000.0, 'f', 1) + u" s"_qs;
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}
// The Source writers column: what held the table's cursor back in its last incremental run.
QString sourceTransactionsText(const HorizonView &h)
{
    if (!h.checked)
        return QString();
    if (!h.known)
        return RunTableModel::tr("not visible"); // the tooltip and the page's banner say why
    if (h.holder.isEmpty())
        return RunTableModel::tr("none open");
    return RunTableModel::tr("oldest %1").arg(duration(qint64(h.heldBackSeconds * 1000)));
}

QString sourceTransactionsToolTip(const HorizonView &h)
{
    const QString warning = HorizonNotice::warning(h);
    if (!warning.isEmpty())
        return warning;
    if (!h.holder.isEmpty())
        return RunTableModel::tr("The source's %1. The stored cursor stays before it began, so the next runs "
                                 "re-check the rows changed since then.")
            .arg(h.holder);
    return h.checked ? RunTableModel::tr("No transaction was writing on the source: the cursor moved up to "
                                         "this run's snapshot (less `lag`).")
                     : QString();
}
} // namespace

RunTableModel::RunTableModel(QObject *parent)
    : TableRowsModel(parent)
    , m_ticker(new QTimer(this))
{
    // Elapsed and rows/s of running tables move even between batches.
    m_ticker->setInterval(500);
    connect(m_ticker, &QTimer::timeout, this, &RunTableModel::tick);
}

void RunTableModel::setTables(const QList<std::pair<QString, QString>> &tablesAndStrategies)
{
    beginResetModel();
    QList<Row> rows;
    for (const auto &[table, strategy] : tablesAndStrategies) {
        const int old = indexOf(table);
        Row row = old >= 0 ? m_rows.at(old) : Row();
        row.table = table;
        if (row.state != TableRunState::Running && row.state != TableRunState::Queued)
            row.strategy = strategy;
        rows << row;
    }
    m_rows = rows;
    endResetModel();
}

void RunTableModel::restoreLastSuccesses(const QHash<QString, QDateTime> &when)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const QDateTime last = when.value(m_rows.at(i).table);
        if (last.isValid() && (!m_rows.at(i).lastSuccess.isValid() || last > m_rows.at(i).lastSuccess)) {
            m_rows[i].lastSuccess = last;
            rowChanged(i);
        }
    }
}

void RunTableModel::onRunStarted(const QStringList &tables)
{
    for (const QString &table : tables) {
        const int i = ensureRow(table);
        Row &r = m_rows[i];
        r.state = TableRunState::Queued;
        r.rowsDone = 0;
        r.rowsRechecked = 0;
        r.estimate = -1;
        r.elapsedMs = 0;
        r.attempts = 0;
        rowChanged(i);
    }
    m_ticker->start();
}

void RunTableModel::onTableStarted(const QString &table, const QString &strategy)
{
    const int i = ensureRow(table);
    Row &r = m_rows[i];
    r.state = TableRunState::Running;
    r.strategy = strategy;
    r.timer.start();
    rowChanged(i);
}

void RunTableModel::onBatchCommitted(const QString &table, qint64 rowsSoFar, qint64 estimate)
{
    const int i = ensureRow(table);
    Row &r = m_rows[i];
    r.rowsDone = rowsSoFar;
    // InnoDB's estimate can be below the truth; never show more done than expected.
    r.estimate = estimate > 0 ? std::max(estimate, rowsSoFar) : -1;
    if (r.timer.isValid())
        r.elapsedMs = r.timer.elapsed();
    rowChanged(i);
}

void RunTableModel::onTableFinished(const TableResult &result)
{
    const int i = ensureRow(result.table);
    Row &r = m_rows[i];
    r.rowsDone = result.rowsWritten;
    r.rowsRechecked = result.rowsRechecked;
    r.lastRunWork = std::max(r.estimate, result.rowsWritten + result.rowsRechecked);
    if (result.horizon.checked)
        r.horizon = result.horizon;
    r.elapsedMs = result.elapsedMs;
    r.attempts = result.attempts;
    r.strategy = result.strategy.isEmpty() ? r.strategy : result.strategy;
    r.timer.invalidate();
    switch (result.outcome) {
    case TableOutcome::Succeeded:
        r.state = TableRunState::Done;
        r.estimate = result.rowsWritten;
        r.lastSuccess = QDateTime::currentDateTime();
        r.lastError.clear();
        break;
    case TableOutcome::Failed:
        r.state = TableRunState::Failed;
        r.lastError = result.error;
        break;
    case TableOutcome::Stopped:
        r.state = TableRunState::Stopped;
        break;
    }
    rowChanged(i);
}

void RunTableModel::onRunFinished()
{
    m_ticker->stop();
    // Tables the run never reached (it was stopped) go back to where they were.
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].state == TableRunState::Queued || m_rows[i].state == TableRunState::Running) {
            m_rows[i].state = TableRunState::Stopped;
            rowChanged(i);
        }
    }
}

void RunTableModel::tick()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].state == TableRunState::Running && m_rows[i].timer.isValid()) {
            m_rows[i].elapsedMs = m_rows[i].timer.elapsed();
            Q_EMIT dataChanged(index(i, RateColumn), index(i, ElapsedColumn));
        }
    }
}

RunTableModel::Work RunTableModel::work() const
{
    // Each table weighs what it has to do in rows: its estimate once it runs, else what it did
    // last time; a table never seen weighs the average of the others, so that a run of many small
    // tables and one big one is not called 90% done while the big one has barely started.
    QList<qint64> weights;
    qint64 known = 0;
    int knownCount = 0;
    for (const Row &r : m_rows) {
        const bool finished =
            r.state == TableRunState::Done || r.state == TableRunState::Failed || r.state == TableRunState::Stopped;
        qint64 weight = -1;
        if (r.estimate > 0)
            weight = std::max(r.estimate, r.rowsDone);
        else if (finished)
            weight = r.rowsDone;
        else if (r.lastRunWork >= 0)
            weight = std::max(r.lastRunWork, r.rowsDone);
        if (weight >= 0) {
            weight = std::max<qint64>(weight, 1);
            known += weight;
            ++knownCount;
        }
        weights << weight;
    }
    const qint64 unknownWeight = knownCount > 0 ? std::max<qint64>(1, known / knownCount) : 1;
    Work total;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const Row &r = m_rows.at(i);
        const qint64 weight = weights.at(i) >= 0 ? weights.at(i) : unknownWeight;
        total.rows += weight;
        total.estimated = total.estimated || weights.at(i) < 0;
        if (r.state == TableRunState::Done || r.state == TableRunState::Failed || r.state == TableRunState::Stopped)
            total.done += weight;
        else if (r.state == TableRunState::Running)
            total.done += std::min(r.rowsDone, weight);
    }
    return total;
}

int RunTableModel::overallProgress() const
{
    const Work w = work();
    return w.rows > 0 ? int(1000.0 * double(w.done) / double(w.rows)) : 0;
}

int RunTableModel::countIn(TableRunState state) const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [state](const Row &r) { return r.state == state; }));
}

qint64 RunTableModel::rowsThisRun() const
{
    qint64 total = 0;
    for (const Row &r : m_rows)
        total += r.state == TableRunState::Idle ? 0 : r.rowsDone;
    return total;
}

int RunTableModel::firstHorizonConcern() const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        const HorizonView &h = m_rows.at(i).horizon;
        if (!HorizonNotice::warning(h).isEmpty() || HorizonNotice::holderWorthNaming(h))
            return i;
    }
    return -1;
}

int RunTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TableColumn:
            return r.table;
        case StrategyColumn:
            return r.strategy;
        case StateColumn:
            if (r.state == TableRunState::Done && r.attempts > 1)
                return plural(r.attempts - 1, tr("done (%1 retry)"), tr("done (%1 retries)"));
            return tableRunStateName(r.state);
        case ProgressColumn:
            if (r.state == TableRunState::Idle || r.state == TableRunState::Queued)
                return QString();
            if (r.state == TableRunState::Done && r.rowsRechecked > 0)
                return tr("%1 written · %2 re-checked")
                    .arg(locale.toString(r.rowsDone), locale.toString(r.rowsRechecked));
            return r.estimate > 0 ? tr("%1 of ~%2").arg(locale.toString(r.rowsDone), locale.toString(r.estimate))
                                  : tr("%1 rows").arg(locale.toString(r.rowsDone));
        case RateColumn:
            if (r.elapsedMs <= 0 || r.rowsDone == 0)
                return QString();
            return tr("%1/s").arg(locale.toString(qint64(double(r.rowsDone) * 1000.0 / double(r.elapsedMs))));
        case ElapsedColumn:
            return r.state == TableRunState::Idle || r.state == TableRunState::Queued ? QString()
                                                                                      : duration(r.elapsedMs);
        case LastSuccessColumn:
            return r.lastSuccess.isValid() ? shortWhen(r.lastSuccess) : tr("never");
        case SourceWritersColumn:
            return sourceTransactionsText(r.horizon);
        case LastErrorColumn:
            return r.lastError.section(u'\n', 0, 0);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return Icons::forState(r.state);
        if (index.column() == SourceWritersColumn && !HorizonNotice::warning(r.horizon).isEmpty())
            return Icons::get(u"msg-warning"_qs); // only `lag` protected the run
        break;
    case Qt::ToolTipRole:
        if (index.column() == LastErrorColumn && !r.lastError.isEmpty())
            return r.lastError;
        if (index.column() == SourceWritersColumn)
            return sourceTransactionsToolTip(r.horizon);
        if (index.column() == ProgressColumn && r.rowsRechecked > 0)
            return tr("Rows read again because they changed after the last safe cursor position, and found "
                      "unchanged in the target: not written, their load id kept.");
        if (index.column() == StateColumn && r.attempts > 1)
            return plural(r.attempts - 1, tr("Succeeded after %1 transient error and a retry"),
                          tr("Succeeded after %1 transient errors and retries"));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == RateColumn || index.column() == ElapsedColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case StateRole:
        return int(r.state);
    case RowsDoneRole:
        return r.rowsDone;
    case EstimateRole:
        return r.state == TableRunState::Done ? qMax<qint64>(r.rowsDone, 1) : r.estimate;
    default:
        break;
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TableColumn:
        return tr("Table");
    case StrategyColumn:
        return tr("Strategy");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress (rows)");
    case RateColumn:
        return tr("Rows/s");
    case ElapsedColumn:
        return tr("Elapsed");
    case LastSuccessColumn:
        return tr("Last success");
    case SourceWritersColumn:
        return tr("Source writers");
    case LastErrorColumn:
        return tr("Last error");
    }
    return {};
}

} // namespace tablesync
