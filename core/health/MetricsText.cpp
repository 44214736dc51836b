#include "health/MetricsText.h"

#include "health/StatusBoard.h"

#include <QList>
#include <QLocale>
#include <QPair>

#include <cmath>
#include <functional>
#include <optional>

namespace tablesync {

namespace {

using Labels = QList<QPair<QByteArray, QString>>;

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
QByteArray escaped(const QString &text, bool quote)
{
    QByteArray out;
    for (char c : text.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quote)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

class Exposition
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_text += QByteArray("# HELP ") + name + ' ' + escaped(QString::fromUtf8(help), false) + '\n';
        m_text += QByteArray("# TYPE ") + name + ' ' + type + '\n';
    }
    void sample(const char *name, const Labels &labels, double value)
    {
        m_text += name;
        if (!labels.isEmpty()) {
            m_text += '{';
            for (qsizetype i = 0; i < labels.size(); ++i) {
                if (i > 0)
                    m_text += ',';
                m_text += labels[i].first + "=\"" + escaped(labels[i].second, true) + '"';
            }
            m_text += '}';
        }
        // Whole numbers (counts, most gauges) as such: 600000 rather than 6e+05.
        const bool whole = value == std::floor(value) && std::abs(value) < 1e15;
        m_text += ' ' +
                  (whole ? QByteArray::number(qint64(value))
                         : QByteArray::number(value, 'g', QLocale::FloatingPointShortest)) +
                  '\n';
    }
    void sample(const char *name, double value) { sample(name, {}, value); }
    QByteArray text() const { return m_text; }

private:
    QByteArray m_text;
};

// Seconds since the epoch with millisecond precision; 0 for "never", so that an alert on
// `time() - x > threshold` fires rather than silently finding no series.
double seconds(const QDateTime &t)
{
    return t.isValid() ? double(t.toMSecsSinceEpoch()) / 1000.0 : 0.0;
}

// One family with a sample per table; a table whose value is std::nullopt has none.
void perTable(Exposition &m, const QList<TableStatus> &tables, const char *name, const char *type, const char *help,
              const std::function<std::optional<double>(const TableStatus &)> &value)
{
    m.family(name, type, help);
    for (const TableStatus &t : tables) {
        if (const std::optional<double> v = value(t))
            m.sample(name, {{"table", t.name}}, *v);
    }
}

void tableMetrics(Exposition &m, const QList<TableStatus> &tables)
{
    perTable(m, tables, "tablesync_table_rows_written_total", "counter",
             "Rows written to the target table by finished table syncs since the process started.",
             [](const TableStatus &t) { return double(t.rowsWrittenTotal); });
    perTable(m, tables, "tablesync_table_rows_rechecked_total", "counter",
             "Rows read again after the safe cursor and found unchanged (not written) since the process started.",
             [](const TableStatus &t) { return double(t.rowsRecheckedTotal); });
    const QDateTime now = QDateTime::currentDateTimeUtc();
    perTable(m, tables, "tablesync_table_behind_seconds", "gauge",
             "Seconds since the source snapshot whose rows the target now holds (incremental tables).",
             [&](const TableStatus &t) -> std::optional<double> {
                 if (!t.sourceSnapshotAt.isValid())
                     return std::nullopt;
                 return double(t.sourceSnapshotAt.msecsTo(now)) / 1000.0;
             });
    perTable(m, tables, "tablesync_table_horizon_holdback_seconds", "gauge",
             "How long the oldest open writing transaction on the source held the table's cursor back at its last run.",
             [](const TableStatus &t) -> std::optional<double> {
                 if (!t.horizon.checked)
                     return std::nullopt;
                 return t.horizon.heldBackSeconds;
             });
    m.family("tablesync_table_runs_total", "counter", "Finished syncs of the table by outcome.");
    for (const TableStatus &t : tables) {
        m.sample("tablesync_table_runs_total", {{"table", t.name}, {"outcome", u"succeeded"_qs}},
                 double(t.succeededRuns));
        m.sample("tablesync_table_runs_total", {{"table", t.name}, {"outcome", u"failed"_qs}}, double(t.failedRuns));
        m.sample("tablesync_table_runs_total", {{"table", t.name}, {"outcome", u"stopped"_qs}}, double(t.stoppedRuns));
    }
    perTable(m, tables, "tablesync_table_errors_total", "counter",
             "Failed syncs of the table since the process started.",
             [](const TableStatus &t) { return double(t.failedRuns); });
    perTable(m, tables, "tablesync_table_retries_total", "counter",
             "Retries of the table's syncs after transient errors.",
             [](const TableStatus &t) { return double(t.retriesTotal); });
    perTable(m, tables, "tablesync_table_consecutive_failures", "gauge",
             "Syncs of the table that failed in a row; /healthz fails at 3.",
             [](const TableStatus &t) { return double(t.consecutiveFailures); });
    perTable(m, tables, "tablesync_table_last_success_timestamp_seconds", "gauge",
             "When the table last synced successfully (Unix time; 0 = not yet).",
             [](const TableStatus &t) { return seconds(t.lastSuccessAt); });
    perTable(m, tables, "tablesync_table_last_duration_seconds", "gauge",
             "Duration of the table's last finished sync, or of the running one so far.",
             [](const TableStatus &t) { return double(t.elapsedMs) / 1000.0; });
    perTable(m, tables, "tablesync_table_rows_this_run", "gauge", "Rows committed by the table's current or last sync.",
             [](const TableStatus &t) { return double(t.rowsThisRun); });
    perTable(m, tables, "tablesync_table_estimated_rows", "gauge",
             "The engine's estimate of the rows the table's current or last sync copies (absent when unknown).",
             [](const TableStatus &t) -> std::optional<double> {
                 if (t.estimatedTotal <= 0)
                     return std::nullopt;
                 return double(t.estimatedTotal);
             });
    m.family("tablesync_table_state", "gauge", "1 for the table's current state, 0 for the others.");
    const TableState states[] = {TableState::NeverRun,  TableState::Queued, TableState::Running,
                                 TableState::Succeeded, TableState::Failed, TableState::Stopped};
    for (const TableStatus &t : tables) {
        for (TableState s : states)
            m.sample("tablesync_table_state", {{"table", t.name}, {"state", tableStateName(s)}}, t.state == s ? 1 : 0);
    }
}

void poolMetrics(Exposition &m, const QList<PoolStats> &pools)
{
    m.family("tablesync_pool_connections", "gauge", "Open pool connections by state (idle or checked_out).");
    for (const PoolStats &p : pools) {
        m.sample("tablesync_pool_connections", {{"server", p.server}, {"state", u"idle"_qs}}, p.idle());
        m.sample("tablesync_pool_connections", {{"server", p.server}, {"state", u"checked_out"_qs}}, p.checkedOut);
    }
    const struct
    {
        const char *name;
        const char *type;
        const char *help;
        double (*value)(const PoolStats &);
    } families[] = {
        {"tablesync_pool_overflow_connections", "gauge", "Open connections beyond POOL_SIZE.",
         [](const PoolStats &p) { return double(p.overflowInUse()); }},
        {"tablesync_pool_waiting_callers", "gauge", "Callers waiting for a free connection.",
         [](const PoolStats &p) { return double(p.waiting); }},
        {"tablesync_pool_size", "gauge", "POOL_SIZE: connections kept open when idle.",
         [](const PoolStats &p) { return double(p.size); }},
        {"tablesync_pool_max_overflow", "gauge", "MAX_OVERFLOW: extra connections allowed under load.",
         [](const PoolStats &p) { return double(p.maxOverflow); }},
        {"tablesync_pool_connections_opened_total", "counter", "Connections opened.",
         [](const PoolStats &p) { return double(p.openedTotal); }},
        {"tablesync_pool_connections_closed_total", "counter", "Connections closed.",
         [](const PoolStats &p) { return double(p.closedTotal); }},
        {"tablesync_pool_connections_recycled_total", "counter",
         "Connections replaced for being older than POOL_RECYCLE.",
         [](const PoolStats &p) { return double(p.recycledTotal); }},
        {"tablesync_pool_connections_replaced_total", "counter",
         "Connections replaced because the check before use found them dead.",
         [](const PoolStats &p) { return double(p.replacedTotal); }},
        {"tablesync_pool_timeouts_total", "counter", "Callers that gave up after POOL_TIMEOUT (pool limit reached).",
         [](const PoolStats &p) { return double(p.timeoutsTotal); }},
        {"tablesync_pool_round_trip_seconds", "gauge",
         "Median round trip of the last checks before use: the network's share of every statement.",
         [](const PoolStats &p) { return p.roundTripMs < 0 ? std::nan("") : p.roundTripMs / 1000; }},
    };
    for (const auto &f : families) {
        m.family(f.name, f.type, f.help);
        for (const PoolStats &p : pools) {
            const double value = f.value(p);
            if (!std::isnan(value)) // not measured yet: no sample
                m.sample(f.name, {{"server", p.server}}, value);
        }
    }
}

} // namespace

QByteArray metricsText(const StatusBoard &board, const QDateTime &now, const QMap<int, qint64> &httpResponses)
{
    Exposition m;
    m.family("tablesync_info", "gauge", "Always 1; the labels say which tablesync this is.");
    m.sample("tablesync_info",
             {{"version", QStringLiteral(TABLESYNC_VERSION)}, {"qt", QString::fromLatin1(qVersion())}}, 1);
    m.family("tablesync_healthy", "gauge", "1 when /healthz answers 200, 0 when it answers 503.");
    m.sample("tablesync_healthy", board.health(now).healthy ? 1 : 0);
    m.family("tablesync_engine_state", "gauge", "1 for the engine's current state, 0 for the others.");
    for (EngineState s : {EngineState::Starting, EngineState::Running, EngineState::Idle, EngineState::Stopped})
        m.sample("tablesync_engine_state", {{"state", engineStateName(s)}}, board.engineState() == s ? 1 : 0);
    m.family("tablesync_start_time_seconds", "gauge", "When the process started (Unix time).");
    m.sample("tablesync_start_time_seconds", seconds(board.startedAt()));
    m.family("tablesync_interval_seconds", "gauge", "INTERVAL: seconds between runs; 0 = run once.");
    m.sample("tablesync_interval_seconds", board.intervalSeconds());
    m.family("tablesync_runs_total", "counter", "Runs (passes over all tables) finished since the process started.");
    m.sample("tablesync_runs_total", double(board.runsCompleted()));
    m.family("tablesync_runs_with_failures_total", "counter", "Finished runs in which at least one table failed.");
    m.sample("tablesync_runs_with_failures_total", double(board.runsWithFailures()));
    const std::optional<RunRecord> last = board.lastRun();
    m.family("tablesync_last_run_duration_seconds", "gauge", "Duration of the last finished run (absent before one).");
    if (last)
        m.sample("tablesync_last_run_duration_seconds", double(last->durationMs) / 1000.0);
    m.family("tablesync_last_run_finish_timestamp_seconds", "gauge",
             "When the last run finished (Unix time; 0 = not yet).");
    m.sample("tablesync_last_run_finish_timestamp_seconds", seconds(last ? last->finishedAt : QDateTime()));
    m.family("tablesync_next_run_timestamp_seconds", "gauge",
             "When the next run is due (Unix time; 0 = none scheduled).");
    m.sample("tablesync_next_run_timestamp_seconds", seconds(board.nextRunAt()));

    tableMetrics(m, board.tables());

    QList<PoolStats> pools;
    for (const std::optional<PoolStats> &p : {board.sourcePool(), board.targetPool()}) {
        if (p)
            pools << *p;
    }
    poolMetrics(m, pools);

    m.family("tablesync_http_responses_total", "counter", "Answers of this health server by HTTP status code.");
    for (auto it = httpResponses.cbegin(); it != httpResponses.cend(); ++it)
        m.sample("tablesync_http_responses_total", {{"code", QString::number(it.key())}}, double(it.value()));
    return m.text();
}

} // namespace tablesync
