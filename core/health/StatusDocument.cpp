#include "health/StatusDocument.h"

#include "health/StatusBoard.h"
#include "sync/HorizonNotice.h"

#include <QJsonArray>

#include <cmath>

namespace tablesync {

namespace {

QJsonValue timeValue(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// What the last incremental run saw of the source's open transactions (SafeCursor.h).
QJsonValue horizonObject(const TableStatus &t)
{
    if (!t.horizon.checked)
        return QJsonValue::Null;
    QJsonObject o{{u"process_privilege"_qs, !t.horizon.privilegeMissing},
                  {u"transactions_known"_qs, t.horizon.known},
                  {u"held_back_seconds"_qs, t.horizon.heldBackSeconds},
                  {u"holder"_qs, textOrNull(t.horizon.holder)}};
    const QString warning = HorizonNotice::warning(t.horizon);
    if (!warning.isEmpty())
        o.insert(u"warning"_qs, warning);
    return o;
}

double oneDecimal(double value)
{
    return std::round(value * 10.0) / 10.0;
}

// Rows per second of the table's current run (up to now) or of its last run.
QJsonValue rowsPerSecond(const TableStatus &t, const QDateTime &now)
{
    qint64 ms = t.elapsedMs;
    if (t.state == TableState::Running && t.startedAt.isValid())
        ms = t.startedAt.msecsTo(now);
    if (ms <= 0 || (t.state != TableState::Running && !t.finishedAt.isValid()))
        return QJsonValue::Null;
    return oneDecimal(double(t.rowsThisRun) * 1000.0 / double(ms));
}

QJsonValue progress(const TableStatus &t)
{
    if (t.state == TableState::Succeeded)
        return 1.0;
    if (t.estimatedTotal <= 0)
        return QJsonValue::Null;
    return std::min(1.0, std::round(double(t.rowsThisRun) * 1000.0 / double(t.estimatedTotal)) / 1000.0);
}

QJsonObject tableObject(const TableStatus &t, const QDateTime &now)
{
    const qint64 elapsed =
        t.state == TableState::Running && t.startedAt.isValid() ? t.startedAt.msecsTo(now) : t.elapsedMs;
    return QJsonObject{
        {u"name"_qs, t.name},
        {u"strategy"_qs, t.strategy},
        {u"state"_qs, tableStateName(t.state)},
        {u"last_outcome"_qs, tableStateName(t.lastOutcome)},
        {u"rows_this_run"_qs, t.rowsThisRun},
        {u"estimated_total"_qs, t.estimatedTotal > 0 ? QJsonValue(t.estimatedTotal) : QJsonValue(QJsonValue::Null)},
        {u"progress"_qs, progress(t)},
        {u"rows_per_second"_qs, rowsPerSecond(t, now)},
        {u"started_at"_qs, timeValue(t.startedAt)},
        {u"finished_at"_qs, timeValue(t.finishedAt)},
        {u"elapsed_ms"_qs, elapsed},
        {u"last_success_at"_qs, timeValue(t.lastSuccessAt)},
        {u"last_error"_qs, textOrNull(t.lastError)},
        {u"last_error_code"_qs, t.lastErrorCode ? QJsonValue(t.lastErrorCode) : QJsonValue(QJsonValue::Null)},
        {u"last_error_at"_qs, timeValue(t.lastErrorAt)},
        {u"attempts"_qs, t.attempts},
        {u"consecutive_failures"_qs, t.consecutiveFailures},
        {u"cursor"_qs, textOrNull(t.cursor)},
        {u"last_message"_qs, textOrNull(t.lastMessage)},
        {u"rows_written_total"_qs, t.rowsWrittenTotal},
        {u"rows_rechecked_this_run"_qs, t.rowsRecheckedThisRun},
        {u"rows_rechecked_total"_qs, t.rowsRecheckedTotal},
        {u"behind_seconds"_qs, t.sourceSnapshotAt.isValid()
                                   ? QJsonValue(double(t.sourceSnapshotAt.msecsTo(now)) / 1000.0)
                                   : QJsonValue(QJsonValue::Null)},
        {u"horizon"_qs, horizonObject(t)},
        {u"runs"_qs,
         QJsonObject{{u"succeeded"_qs, t.succeededRuns}, {u"failed"_qs, t.failedRuns}, {u"stopped"_qs, t.stoppedRuns}}},
        {u"retries_total"_qs, t.retriesTotal},
    };
}

QJsonValue runObject(const std::optional<RunRecord> &run)
{
    if (!run)
        return QJsonValue::Null;
    QJsonObject o{
        {u"load_id"_qs, run->loadId}, {u"started_at"_qs, timeValue(run->startedAt)}, {u"tables"_qs, run->tables}};
    if (run->finishedAt.isValid()) {
        o.insert(u"finished_at"_qs, timeValue(run->finishedAt));
        o.insert(u"duration_ms"_qs, run->durationMs);
        o.insert(u"failed_tables"_qs, run->failedTables);
        o.insert(u"rows_written"_qs, run->rowsWritten);
    }
    return o;
}

QJsonValue poolObject(const std::optional<PoolStats> &pool)
{
    if (!pool)
        return QJsonValue::Null;
    const PoolStats &p = *pool;
    return QJsonObject{
        {u"server"_qs, p.server},
        {u"size"_qs, p.size},
        {u"max_overflow"_qs, p.maxOverflow},
        {u"timeout_seconds"_qs, p.timeoutSeconds},
        {u"recycle_seconds"_qs, p.recycleSeconds},
        {u"open"_qs, p.open},
        {u"checked_out"_qs, p.checkedOut},
        {u"idle"_qs, p.idle()},
        {u"overflow_in_use"_qs, p.overflowInUse()},
        {u"waiting"_qs, p.waiting},
        {u"opened_total"_qs, p.openedTotal},
        {u"closed_total"_qs, p.closedTotal},
        {u"recycled_total"_qs, p.recycledTotal},
        {u"replaced_total"_qs, p.replacedTotal},
        {u"timeouts_total"_qs, p.timeoutsTotal},
        {u"round_trip_ms"_qs, p.roundTripMs < 0 ? QJsonValue() : QJsonValue(std::round(p.roundTripMs * 100) / 100)},
        {u"status_line"_qs, p.statusLine()},
    };
}

} // namespace

QJsonObject statusDocument(const StatusBoard &board, const QDateTime &now)
{
    const HealthVerdict health = board.health(now);
    QJsonArray tables;
    for (const TableStatus &t : board.tables())
        tables.append(tableObject(t, now));
    QJsonArray errors;
    for (const ErrorRecord &e : board.recentErrors())
        errors.append(
            QJsonObject{{u"at"_qs, timeValue(e.at)}, {u"table"_qs, textOrNull(e.table)}, {u"message"_qs, e.message}});

    const QJsonObject schedule{
        {u"interval_seconds"_qs, board.intervalSeconds()}, {u"current_run"_qs, runObject(board.currentRun())},
        {u"last_run"_qs, runObject(board.lastRun())},      {u"next_run_at"_qs, timeValue(board.nextRunAt())},
        {u"runs_completed"_qs, board.runsCompleted()},     {u"runs_with_failures"_qs, board.runsWithFailures()},
    };
    const QJsonObject pools{
        {u"updated_at"_qs, timeValue(board.poolsUpdatedAt())},
        {u"source"_qs, poolObject(board.sourcePool())},
        {u"target"_qs, poolObject(board.targetPool())},
    };
    return QJsonObject{
        {u"service"_qs, u"tablesync"_qs},
        {u"version"_qs, QStringLiteral(TABLESYNC_VERSION)},
        {u"now"_qs, timeValue(now)},
        {u"started_at"_qs, timeValue(board.startedAt())},
        {u"uptime_seconds"_qs, board.startedAt().secsTo(now)},
        {u"healthy"_qs, health.healthy},
        {u"health_reasons"_qs, QJsonArray::fromStringList(health.reasons)},
        {u"engine"_qs, QJsonObject{{u"state"_qs, engineStateName(board.engineState())}}},
        {u"source"_qs, board.sourceName()},
        {u"target"_qs, board.targetName()},
        {u"schedule"_qs, schedule},
        {u"tables"_qs, tables},
        {u"pools"_qs, pools},
        {u"recent_errors"_qs, errors},
    };
}

} // namespace tablesync
