#include "RunHistoryModel.h"

#include "Icons.h"
#include "ShortTime.h"

#include <QLocale>

namespace tablesync {

RunHistoryModel::RunHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RunHistoryModel::addRun(const QDateTime &started, const RunSummary &summary, int configuredTables)
{
    beginInsertRows({}, 0, 0);
    m_runs.prepend({started, summary, configuredTables});
    endInsertRows();
    if (m_runs.size() > kMaxRuns) {
        beginRemoveRows({}, kMaxRuns, int(m_runs.size()) - 1);
        m_runs.resize(kMaxRuns);
        endRemoveRows();
    }
}

void RunHistoryModel::setRuns(const QList<ProfileJournal::Run> &runs)
{
    beginResetModel();
    m_runs.clear();
    for (auto it = runs.crbegin(); it != runs.crend() && m_runs.size() < kMaxRuns; ++it)
        m_runs << Run{it->started, it->summary, it->configuredTables};
    endResetModel();
}

QHash<QString, QDateTime> RunHistoryModel::lastSuccesses() const
{
    QHash<QString, QDateTime> when;
    for (const Run &run : m_runs) { // newest first: the first success seen is the last one
        for (const TableResult &t : run.summary.tables) {
            if (t.outcome == TableOutcome::Succeeded && !when.contains(t.table))
                when.insert(t.table, run.started.addMSecs(run.summary.elapsedMs));
        }
    }
    return when;
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs.size())
        return {};
    const Run &run = m_runs.at(index.row());
    const RunSummary &s = run.summary;
    const int failed = s.failedCount();
    const int stopped = int(std::count_if(s.tables.cbegin(), s.tables.cend(),
                                          [](const TableResult &t) { return t.outcome == TableOutcome::Stopped; }));
    const int succeeded = int(s.tables.size()) - failed - stopped;
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StartedColumn:
            return shortWhen(run.started);
        case DurationColumn:
            return QString(locale.toString(double(s.elapsedMs) / 1000.0, 'f', 1) + u" s"_qs);
        case ResultColumn:
            if (failed > 0)
                return tr("%1 failed").arg(failed);
            if (stopped > 0 || s.tables.size() < run.configuredTables)
                return tr("stopped");
            return tr("synced");
        case TablesColumn:
            return tr("%1 of %2").arg(succeeded).arg(run.configuredTables);
        case RowsColumn: {
            qint64 rows = 0;
            for (const TableResult &t : s.tables)
                rows += t.rowsWritten;
            return locale.toString(rows);
        }
        case LoadIdColumn:
            return s.loadId;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == ResultColumn) {
            if (failed > 0)
                return Icons::forState(TableRunState::Failed);
            if (stopped > 0 || s.tables.size() < run.configuredTables)
                return Icons::forState(TableRunState::Stopped);
            return Icons::forState(TableRunState::Done);
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const TableResult &t : s.tables) {
            if (t.outcome == TableOutcome::Failed)
                lines << t.table + u": "_qs + t.error;
        }
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == RowsColumn || index.column() == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ResultColumn:
        return tr("Result");
    case TablesColumn:
        return tr("Tables synced");
    case RowsColumn:
        return tr("Rows written");
    case LoadIdColumn:
        return tr("Load id");
    }
    return {};
}

} // namespace tablesync
