#include "HeadlessRunner.h"

#include "sync/ProgressText.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>

namespace tablesync {

HeadlessRunner::HeadlessRunner(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_service(new SyncService(settings, this))
    , m_out(stdout)
    , m_tableCount(int(settings.tables.size()))
    , m_planOnly(settings.runMode == Settings::RunMode::Plan)
    , m_runMode(settings.runMode)
    , m_intervalSeconds(settings.intervalSeconds)
{
    for (const QString &warning : settings.warnings())
        log(u"warning: "_qs + warning);
    log(QStringLiteral("source %1, target %2, %3 table(s), %4")
            .arg(settings.source.displayName(), settings.target.displayName())
            .arg(settings.tables.size())
            .arg(m_planOnly                     ? u"plan only: nothing is written"_qs
                 : settings.intervalSeconds > 0 ? QStringLiteral("every %1 s").arg(settings.intervalSeconds)
                                                : u"once"_qs));

    SyncEngine *engine = m_service->engine();
    connect(engine, &SyncEngine::runStarted, this, [this](const QString &loadId, int tables) {
        log(QStringLiteral("run %1 started: %2 table(s)").arg(loadId).arg(tables));
    });
    connect(engine, &SyncEngine::tableSyncStarted, this, [this](const QString &table, const QString &strategy) {
        // --verify and --repair run through the same engine; their log says what they do.
        if (m_runMode == Settings::RunMode::Verify || m_runMode == Settings::RunMode::Repair) {
            log(QStringLiteral("[%1] %2 started")
                    .arg(table,
                         m_runMode == Settings::RunMode::Verify ? u"verification"_qs : u"verification and repair"_qs));
            return;
        }
        log((m_planOnly ? u"[%1] planning its %2 sync"_qs : u"[%1] %2 sync started"_qs).arg(table, strategy));
    });
    connect(engine, &SyncEngine::tableMessage, this, [this](const QString &table, const QString &message) {
        log(table.isEmpty() ? message : QStringLiteral("[%1] %2").arg(table, message));
    });
    connect(engine, &SyncEngine::batchCommitted, this,
            [this](const QString &table, qint64 batch, qint64 soFar, qint64 estimate) {
                log(QStringLiteral("[%1] ").arg(table) + batchProgressText(batch, soFar, estimate));
            });
    connect(engine, &SyncEngine::tableSyncFinished, this, [this](const TableResult &r) {
        switch (r.outcome) {
        case TableOutcome::Succeeded:
            if (r.verified) {
                logVerification(r);
                break;
            }
            if (m_planOnly) {
                log(QStringLiteral("[%1] planned in %2 ms").arg(r.table).arg(r.elapsedMs));
                break;
            }
            if (r.deletedRows > 0)
                log(QStringLiteral("[%1] deleted %2 row(s) no longer in the source").arg(r.table).arg(r.deletedRows));
            log(QStringLiteral("[%1] done: %2 row(s) written%3 in %4 ms%5")
                    .arg(r.table)
                    .arg(r.rowsWritten)
                    .arg(r.rowsRechecked > 0 ? QStringLiteral(", %1 re-checked").arg(r.rowsRechecked) : QString())
                    .arg(r.elapsedMs)
                    .arg(r.cursor.isEmpty() ? QString() : u", cursor "_qs + r.cursor));
            break;
        case TableOutcome::Stopped:
            if (r.verified) {
                log(QStringLiteral("[%1] verification stopped before the end of the table: %2 row(s) differed so "
                                   "far; the rest was not compared")
                        .arg(r.table)
                        .arg(r.missingRows + r.extraRows + r.differentRows));
                break;
            }
            log(QStringLiteral("[%1] stopped after %2 row(s); the next run resumes from the last committed batch")
                    .arg(r.table)
                    .arg(r.rowsWritten));
            break;
        case TableOutcome::Failed:
            log(QStringLiteral("[%1] FAILED: %2").arg(r.table, r.error));
            break;
        }
    });
    connect(engine, &SyncEngine::runFinished, this, &HeadlessRunner::onRunFinished);
    connect(engine, &SyncEngine::poolStatsChanged, this, [this](const PoolStats &source, const PoolStats &target) {
        for (const PoolStats *pool : {&source, &target}) {
            log(pool->statusLine());
            log(QStringLiteral("  %1 pool detail - open: %2, overflow in use: %3, waiting: %4, opened: %5, closed: %6, "
                               "recycled: %7, replaced after check: %8, timeouts: %9")
                    .arg(pool->server)
                    .arg(pool->open)
                    .arg(pool->overflowInUse())
                    .arg(pool->waiting)
                    .arg(pool->openedTotal)
                    .arg(pool->closedTotal)
                    .arg(pool->recycledTotal)
                    .arg(pool->replacedTotal)
                    .arg(pool->timeoutsTotal));
        }
    });
    connect(engine, &SyncEngine::nextRunScheduled, this, [this](qint64 seconds) {
        if (m_loginRefused && seconds > m_intervalSeconds) {
            log(QStringLiteral("next run in %1 s: after a refused login tablesync waits 5 min, then longer (up to an "
                               "hour), so that it does not lock the account; restart the service after fixing the "
                               "account or the .env to try at once")
                    .arg(seconds));
            return;
        }
        log(QStringLiteral("next run in %1 s").arg(seconds));
    });
    connect(
        engine, &SyncEngine::stopped, this, [this] { Q_EMIT finished(m_exitStatus); }, Qt::SingleShotConnection);
}

HeadlessRunner::~HeadlessRunner() = default;

void HeadlessRunner::start()
{
    m_service->startSchedule();
}

void HeadlessRunner::stop(int signalNumber)
{
    log(QStringLiteral("signal %1 received: finishing the batch in flight, then stopping").arg(signalNumber));
    m_service->requestStop();
}

void HeadlessRunner::onRunFinished(const RunSummary &summary)
{
    // A sync stopped by a signal is not a failure: the next run resumes it. A verification stopped
    // before the end proved nothing about the rest, so it must not exit 0 ("identical") either.
    // Differences found by --verify are status 3.
    const bool verificationStopped =
        std::any_of(summary.tables.cbegin(), summary.tables.cend(),
                    [](const TableResult &t) { return t.verified && t.outcome == TableOutcome::Stopped; });
    // A refused login or a missing grant is a configuration problem (2), like a bad .env: the
    // next run fails the same way until someone changes the account or the file.
    m_exitStatus = summary.hasConfigurationProblem() ? 2
                   : summary.failedCount() > 0       ? 1
                   : summary.differingCount() > 0    ? 3
                   : verificationStopped             ? 1
                                                     : 0;
    m_loginRefused = !summary.refusedLogin.isEmpty();
    if (m_loginRefused)
        log(u"error: "_qs + summary.refusedLogin);
    if (!summary.missingPrivilege.isEmpty())
        log(u"error: "_qs + summary.missingPrivilege);
    if (m_planOnly) {
        log(QStringLiteral("plan finished in %1 ms: %2 of %3 table(s) planned, %4 failed; nothing was written")
                .arg(summary.elapsedMs)
                .arg(summary.tables.size() - summary.failedCount())
                .arg(m_tableCount)
                .arg(summary.failedCount()));
        return;
    }
    log(QStringLiteral("run %1 finished in %2 ms: %3 of %4 table(s) synced, %5 failed, %6 row(s) written, %7 "
                       "re-checked")
            .arg(summary.loadId)
            .arg(summary.elapsedMs)
            .arg(summary.tables.size() - summary.failedCount())
            .arg(m_tableCount)
            .arg(summary.failedCount())
            .arg(summary.rowsWritten())
            .arg(summary.rowsRechecked()));
    // On a LAN a round trip costs well under a millisecond; beyond that, the distance to a server
    // is a part of every run's time that no setting of tablesync's removes.
    constexpr double kSlowRoundTripMs = 2;
    if (std::max(summary.sourceRoundTripMs, summary.targetRoundTripMs) >= kSlowRoundTripMs) {
        const auto ms = [](double value) {
            return value < 0 ? u"unknown"_qs : QString::number(value, 'f', 1) + u" ms"_qs;
        };
        log(QStringLiteral("network: a round trip takes %1 to the source and %2 to the target; every statement "
                           "waits that long, so a run across this link takes longer than on a local network")
                .arg(ms(summary.sourceRoundTripMs), ms(summary.targetRoundTripMs)));
    }
}

void HeadlessRunner::logVerification(const TableResult &r)
{
    if (r.missingRows + r.extraRows + r.differentRows == 0) {
        log(QStringLiteral("[%1] identical (%2 ms)").arg(r.table).arg(r.elapsedMs));
        return;
    }
    log(QStringLiteral("[%1] differs: %2 row(s) missing, %3 extra, %4 different; e.g. %5")
            .arg(r.table)
            .arg(r.missingRows)
            .arg(r.extraRows)
            .arg(r.differentRows)
            .arg(r.sampleKeys.join(u"; "_qs)));
    if (r.repairedRows > 0 || r.remainingDifferences == 0) {
        log(QStringLiteral("[%1] repaired: %2 row(s) rewritten or deleted; %3")
                .arg(r.table)
                .arg(r.repairedRows)
                .arg(r.remainingDifferences == 0
                         ? u"now identical"_qs
                         : QStringLiteral("%1 row(s) still differ").arg(r.remainingDifferences)));
    }
}

void HeadlessRunner::log(const QString &line)
{
    m_out << QDateTime::currentDateTime().toString(Qt::ISODateWithMs) << u' ' << line << Qt::endl;
}

} // namespace tablesync
