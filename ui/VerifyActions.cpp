#include "VerifyActions.h"

#include "Icons.h"
#include "Plural.h"
#include "RunController.h"
#include "VerifyController.h"
#include "VerifyReportModel.h"

#include <QAction>

namespace tablesync {

namespace {
QAction *makeAction(const QString &icon, const QString &text, const QKeySequence &shortcut, const QString &tip,
                    QObject *parent)
{
    auto *a = new QAction(Icons::get(icon), text, parent);
    a->setShortcut(shortcut);
    a->setStatusTip(tip);
    return a;
}

QString withShortcut(const QString &tip, const QAction *action)
{
    const QKeySequence key = action->shortcut();
    return key.isEmpty() ? tip : tip + u" ("_qs + key.toString(QKeySequence::NativeText) + u')';
}
} // namespace

VerifyActions::VerifyActions(VerifyController *verifier, RunController *runs, VerifyReportModel *report,
                             Confirm confirm, QObject *parent)
    : QObject(parent)
    , m_verifier(verifier)
    , m_runs(runs)
    , m_report(report)
    , m_confirm(std::move(confirm))
{
    m_verifyAll = makeAction(u"action-verify"_qs, tr("&Verify"), QKeySequence(Qt::Key_F6),
                             tr("Compare every row of every table in source and target; changes nothing"), this);
    m_verifyAll->setObjectName(u"verifyAction"_qs);
    m_verifySelected = makeAction(u"action-verify"_qs, tr("Verify &selected"), QKeySequence(Qt::CTRL | Qt::Key_F6),
                                  tr("Compare the tables selected on the Verify page"), this);
    m_verifySelected->setObjectName(u"verifySelectedAction"_qs);
    m_repair = makeAction(u"action-repair"_qs, tr("Re&pair…"), QKeySequence(),
                          tr("Rewrite the rows that differ in the target and delete the extra ones"), this);
    m_repair->setObjectName(u"repairAction"_qs);
    m_stop = makeAction(u"action-stop"_qs, tr("Stop &verifying"), QKeySequence(Qt::SHIFT | Qt::Key_F6),
                        tr("Finish the tables being compared, then stop"), this);
    m_stop->setObjectName(u"stopVerifyAction"_qs);

    connect(m_verifyAll, &QAction::triggered, this, [this] { verify({}); });
    connect(m_verifySelected, &QAction::triggered, this, [this] {
        const QStringList tables = m_selected; // a copy: startRequested() may change the selection
        verify(tables);
    });
    connect(m_repair, &QAction::triggered, this, &VerifyActions::repair);
    connect(m_stop, &QAction::triggered, m_verifier, &VerifyController::stop);

    connect(m_verifier, &VerifyController::stateChanged, this, &VerifyActions::updateEnabled);
    connect(m_runs, &RunController::stateChanged, this, &VerifyActions::updateEnabled);
    connect(m_runs, &RunController::scheduleChanged, this, &VerifyActions::updateEnabled); // follows setSettings()
    connect(m_report, &VerifyReportModel::dataChanged, this, &VerifyActions::updateEnabled);
    connect(m_report, &VerifyReportModel::modelReset, this, &VerifyActions::updateEnabled);
    updateEnabled();
}

void VerifyActions::setSelectedTables(const QStringList &tables)
{
    m_selected = tables;
    updateEnabled();
}

void VerifyActions::verify(const QStringList &tables)
{
    Q_EMIT startRequested();
    if (!m_verifier->canStart()) {
        Q_EMIT startRefused(m_verifier->whyNot());
        return;
    }
    m_verifier->start(VerifyController::Mode::Verify, tables);
}

void VerifyActions::repair()
{
    Q_EMIT startRequested();
    const VerifyReportModel::RepairPlan plan = m_report->repairPlan();
    if (plan.isEmpty())
        return;
    if (!m_verifier->canStart()) {
        Q_EMIT startRefused(m_verifier->whyNot());
        return;
    }
    // Destructive: say exactly what will happen to the target before it happens.
    const QString what =
        plural(plan.rowsToRewrite(), tr("%1 row will be rewritten from the source"),
               tr("%1 rows will be rewritten from the source")) +
        tr(" (%1 missing, %2 different)").arg(plan.missing).arg(plan.different) + tr(" and ") +
        plural(plan.rowsToDelete(), tr("%1 extra row will be deleted"), tr("%1 extra rows will be deleted")) +
        tr(" in %1.").arg(m_runs->settings().target.displayName());
    const QString text =
        plural(plan.tables.size(), tr("Repair %1 table (%2)?"), tr("Repair %1 tables (%2)?"))
            .arg(plan.tables.join(u", "_qs)) +
        u"\n\n"_qs + what + u"\n\n"_qs +
        tr("The tables are compared again first, so a row changed since this report is repaired as it is "
           "then; afterwards they are compared once more to prove the repair.");
    if (m_confirm(tr("Repair the target?"), text, QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_verifier->start(VerifyController::Mode::Repair, plan.tables);
}

void VerifyActions::updateEnabled()
{
    const QString whyNot = m_verifier->whyNot();
    const bool can = whyNot.isEmpty();
    const VerifyReportModel::RepairPlan plan = m_report->repairPlan();
    const auto explain = [&](QAction *action, const QString &tip) {
        action->setToolTip(can || action == m_stop ? withShortcut(tip, action) : tr("Cannot verify: %1").arg(whyNot));
    };
    m_verifyAll->setEnabled(can);
    explain(m_verifyAll, tr("Compare every table in source and target; changes nothing"));
    m_verifySelected->setEnabled(can && !m_selected.isEmpty());
    m_verifySelected->setText(m_selected.size() > 1 ? tr("Verify %1 &selected").arg(m_selected.size())
                                                    : tr("Verify &selected"));
    explain(m_verifySelected, m_selected.isEmpty() ? tr("Select tables on the Verify page first")
                                                   : tr("Compare %1").arg(m_selected.join(u", "_qs)));
    m_repair->setEnabled(can && !plan.isEmpty());
    explain(m_repair, plan.isEmpty() ? tr("Nothing to repair: verify first; tables that differ can then be repaired")
                                     : plural(plan.rowsToRewrite() + plan.rowsToDelete(),
                                              tr("Rewrite or delete the %1 row that differs"),
                                              tr("Rewrite or delete the %1 rows that differ")));
    m_stop->setEnabled(m_verifier->state() == VerifyController::State::Running);
    explain(m_stop, tr("Finish the tables being compared, then stop"));
}

} // namespace tablesync
