#include "RunLogger.h"

#include "LogModel.h"
#include "Plural.h"
#include "RunController.h"
#include "VerifyController.h"
#include "sync/ProgressText.h"

namespace tablesync {

namespace {
LogModel::Level levelOf(const QString &message)
{
    if (message.startsWith(u"warning"_qs, Qt::CaseInsensitive) || message.startsWith(u"schema drift"_qs) ||
        message.startsWith(u"transient error"_qs))
        return LogModel::Level::Warning;
    if (message.startsWith(u"could not"_qs))
        return LogModel::Level::Error;
    return LogModel::Level::Info;
}
} // namespace

RunLogger::RunLogger(RunController *controller, LogModel *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{
    using Level = LogModel::Level;
    connect(controller, &RunController::runStarted, log,
            [log, controller](const QString &loadId, const QStringList &tables) {
                log->append(
                    Level::Info, {},
                    plural(tables.size(), tr("run %2 started: %1 table"), tr("run %2 started: %1 tables")).arg(loadId));
                // What the headless log says at its start (a misspelt key, a .env others can read).
                for (const QString &warning : controller->settings().warnings())
                    log->append(Level::Warning, {}, warning);
            });
    connect(controller, &RunController::tableSyncStarted, log, [log](const QString &table, const QString &strategy) {
        log->append(Level::Info, table, tr("%1 sync started").arg(strategy));
    });
    connect(controller, &RunController::tableMessage, log,
            [log](const QString &table, const QString &message) { log->append(levelOf(message), table, message); });
    connect(controller, &RunController::batchCommitted, log,
            [log](const QString &table, qint64 batch, qint64 soFar, qint64 estimate) {
                log->append(Level::Info, table, batchProgressText(batch, soFar, estimate));
            });
    connect(controller, &RunController::tableSyncFinished, log, [log](const TableResult &r) {
        switch (r.outcome) {
        case TableOutcome::Succeeded:
            log->append(Level::Info, r.table,
                        tr("done: %1 row(s) written%2 in %3 ms%4")
                            .arg(r.rowsWritten)
                            .arg(r.rowsRechecked > 0 ? tr(", %1 re-checked").arg(r.rowsRechecked) : QString())
                            .arg(r.elapsedMs)
                            .arg(r.cursor.isEmpty() ? QString() : tr(", cursor %1").arg(r.cursor)));
            break;
        case TableOutcome::Stopped:
            log->append(
                Level::Warning, r.table,
                tr("stopped after %1 row(s); the next run resumes from the last committed batch").arg(r.rowsWritten));
            break;
        case TableOutcome::Failed:
            log->append(Level::Error, r.table, tr("FAILED: %1").arg(r.error));
            break;
        }
    });
    connect(controller, &RunController::runFinished, log, [log](const RunSummary &s) {
        log->append(s.failedCount() > 0 ? Level::Warning : Level::Info, {},
                    tr("run %1 finished in %2 ms: %3 of %4 tables synced, %5 failed, %6 rows written, %7 re-checked")
                        .arg(s.loadId)
                        .arg(s.elapsedMs)
                        .arg(s.tables.size() - s.failedCount())
                        .arg(s.tables.size())
                        .arg(s.failedCount())
                        .arg(s.rowsWritten())
                        .arg(s.rowsRechecked()));
    });
    connect(controller, &RunController::poolStatusReported, log,
            [log](const PoolStats &source, const PoolStats &target) {
                for (const PoolStats *pool : {&source, &target}) {
                    log->append(pool->waiting > 0 ? Level::Warning : Level::Info, {},
                                pool->statusLine() + tr(" (open %1, overflow in use %2, waiting %3, timeouts %4)")
                                                         .arg(pool->open)
                                                         .arg(pool->overflowInUse())
                                                         .arg(pool->waiting)
                                                         .arg(pool->timeoutsTotal));
                }
            });
}

void RunLogger::follow(VerifyController *verifier)
{
    using Level = LogModel::Level;
    LogModel *log = m_log;
    connect(verifier, &VerifyController::verificationStarted, log,
            [log](VerifyController::Mode mode, const QStringList &tables) {
                log->append(Level::Info, {},
                            mode == VerifyController::Mode::Repair
                                ? plural(tables.size(), tr("repair started: %1 table"), tr("repair started: %1 tables"))
                                : plural(tables.size(), tr("verification started: %1 table"),
                                         tr("verification started: %1 tables")));
            });
    connect(verifier, &VerifyController::tableMessage, log,
            [log](const QString &table, const QString &message) { log->append(levelOf(message), table, message); });
    connect(verifier, &VerifyController::tableVerified, log, [log](const TableResult &r) {
        if (r.outcome == TableOutcome::Failed) {
            log->append(Level::Error, r.table, tr("FAILED: %1").arg(r.error));
            return;
        }
        if (r.outcome == TableOutcome::Stopped) {
            log->append(Level::Warning, r.table, tr("verification stopped"));
            return;
        }
        if (r.missingRows + r.extraRows + r.differentRows == 0) {
            log->append(Level::Info, r.table, tr("identical (%1 ms)").arg(r.elapsedMs));
            return;
        }
        log->append(Level::Warning, r.table,
                    tr("differs: %1 row(s) missing, %2 extra, %3 different; e.g. %4")
                        .arg(r.missingRows)
                        .arg(r.extraRows)
                        .arg(r.differentRows)
                        .arg(r.sampleKeys.join(u"; "_qs)));
        if (r.repairedRows > 0 || r.remainingDifferences == 0)
            log->append(r.remainingDifferences == 0 ? Level::Info : Level::Warning, r.table,
                        tr("repaired: %1 row(s) rewritten or deleted; %2")
                            .arg(r.repairedRows)
                            .arg(r.remainingDifferences == 0
                                     ? tr("now identical")
                                     : tr("%1 row(s) still differ").arg(r.remainingDifferences)));
    });
    connect(verifier, &VerifyController::verificationFinished, log, [log](VerifyController::Mode, const RunSummary &s) {
        log->append(s.failedCount() + s.differingCount() > 0 ? Level::Warning : Level::Info, {},
                    tr("verification finished in %1 ms: %2 of %3 tables differ, %4 failed")
                        .arg(s.elapsedMs)
                        .arg(s.differingCount())
                        .arg(s.tables.size())
                        .arg(s.failedCount()));
    });
}

} // namespace tablesync
