#include "PlanDialog.h"

#include "EngineJob.h"
#include "Icons.h"
#include "Plural.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tablesync {

namespace {
// TablePlanner's lines come as "plan: ..."; other lines of a planned table are the engine's
// checks of the entry (a missing index, a warning).
const QString kPlanPrefix = u"plan: "_qs;
} // namespace

PlanDialog::PlanDialog(QWidget *parent)
    : QDialog(parent)
    , m_job(new EngineJob(this))
{
    setObjectName(u"planDialog"_qs);
    setWindowTitle(tr("Preview next run"));
    auto *intro = new QLabel(tr("What the next run would do to each table of the target, read from both servers. "
                                "Nothing is written."),
                             this);
    intro->setWordWrap(true);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(u"planTree"_qs);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setHeaderLabels({tr("Table"), tr("Strategy"), tr("What would change")});
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->resizeSection(TableColumn, 150);
    m_tree->header()->resizeSection(StrategyColumn, 170);
    m_tree->setAccessibleName(tr("Planned tables"));

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(u"planDetails"_qs);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("Plan of the selected table"));
    m_details->setPlaceholderText(tr("Select a table to see its whole plan."));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_status = new QLabel(this);
    m_status->setObjectName(u"planStatus"_qs);
    m_status->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_again = buttons->addButton(tr("Preview &again"), QDialogButtonBox::ActionRole);
    m_again->setIcon(Icons::get(u"action-eye"_qs));
    m_copy = buttons->addButton(tr("&Copy plan"), QDialogButtonBox::ActionRole);
    m_copy->setIcon(Icons::get(u"action-copy"_qs));
    // Close must not be the default: Return in the tree would close the dialog.
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 520);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Closed while planning: the tables in flight finish their reads, no other table starts.
    connect(this, &QDialog::finished, this, [this] {
        if (isPlanning())
            m_job->requestStop();
    });
    connect(m_again, &QPushButton::clicked, this, &PlanDialog::againRequested);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(planText()); });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &PlanDialog::showSelectedPlan);
    connect(m_job, &EngineJob::tableMessage, this, &PlanDialog::onMessage);
    connect(m_job, &EngineJob::tableFinished, this, &PlanDialog::onTableFinished);
    connect(m_job, &EngineJob::finished, this, &PlanDialog::onFinished);
}

bool PlanDialog::isPlanning() const
{
    return m_job->isRunning();
}

QString PlanDialog::statusText() const
{
    return m_status->text();
}

void PlanDialog::start(const Settings &settings)
{
    if (isPlanning())
        return;
    m_tree->clear();
    m_details->clear();
    m_lines.clear();
    m_items.clear();
    m_order.clear();
    m_done = 0;
    for (const TableSpec &spec : settings.tables) {
        auto *item = new QTreeWidgetItem(m_tree, {spec.table, tr("planning…"), QString()});
        item->setIcon(TableColumn, Icons::get(u"state-queued"_qs));
        m_items.insert(spec.table.toLower(), item);
        m_order << spec.table;
    }
    Settings plan = settings;
    plan.runMode = Settings::RunMode::Plan;
    m_again->setEnabled(false);
    m_status->setText(plural(settings.tables.size(), tr("Planning %1 table…"), tr("Planning %1 tables…")));
    m_job->start(plan);
    if (m_tree->topLevelItemCount() > 0)
        m_tree->setCurrentItem(m_tree->topLevelItem(0));
}

void PlanDialog::onMessage(const QString &table, const QString &message)
{
    QStringList &lines = m_lines[table.toLower()];
    lines << (message.startsWith(kPlanPrefix) ? message.mid(kPlanPrefix.size()) : message);
    if (QTreeWidgetItem *item = m_items.value(table.toLower()); item && item == m_tree->currentItem())
        showSelectedPlan();
}

QString PlanDialog::changesOf(const QStringList &lines) const
{
    int statements = 0;
    int repairs = 0;
    bool creates = false;
    bool triggers = false;
    bool warning = false;
    QString deletes;
    for (const QString &line : lines) {
        if (line.startsWith(u"would run: CREATE TABLE"_qs))
            creates = true;
        else if (line.startsWith(u"would run: "_qs))
            ++statements;
        else if (line.startsWith(u"would repair"_qs) || line.startsWith(u"would drop"_qs))
            ++repairs;
        else if (line.contains(u"trigger(s)"_qs))
            triggers = true;
        else if (line.startsWith(u"deletes: "_qs))
            deletes = line.section(u": "_qs, 2).section(u' ', 0, 0);
        else if (line.startsWith(u"warning"_qs))
            warning = true;
    }
    QStringList parts;
    if (creates)
        parts << tr("creates the table");
    if (statements > 0)
        parts << plural(statements, tr("%1 schema change"), tr("%1 schema changes"));
    if (repairs > 0)
        parts << plural(repairs, tr("%1 repair"), tr("%1 repairs"));
    if (!deletes.isEmpty() && deletes != u"0")
        parts << tr("removes %1 row(s)").arg(deletes);
    if (triggers)
        parts << tr("suspends triggers");
    if (warning)
        parts << tr("warning");
    return parts.isEmpty() ? tr("no schema change") : parts.join(u", "_qs);
}

void PlanDialog::onTableFinished(const TableResult &result)
{
    QTreeWidgetItem *item = m_items.value(result.table.toLower());
    if (!item)
        return;
    ++m_done;
    const QStringList lines = m_lines.value(result.table.toLower());
    if (result.outcome == TableOutcome::Failed) {
        item->setIcon(TableColumn, Icons::get(u"msg-error"_qs));
        item->setText(StrategyColumn, tr("would fail"));
        item->setText(ChangesColumn, result.error);
        item->setToolTip(ChangesColumn, result.error);
        m_lines[result.table.toLower()] << tr("error: %1").arg(result.error);
    } else {
        const QString changes = changesOf(lines);
        const bool warned = changes.contains(tr("warning"));
        item->setIcon(TableColumn, Icons::get(warned ? u"msg-warning"_qs : u"state-done"_qs));
        item->setText(StrategyColumn, result.strategy);
        item->setText(ChangesColumn, changes);
        item->setToolTip(ChangesColumn, lines.join(u'\n'));
    }
    if (item == m_tree->currentItem())
        showSelectedPlan();
    m_status->setText(tr("Planning… %1 of %2 tables done").arg(m_done).arg(m_order.size()));
}

void PlanDialog::onFinished(const RunSummary &summary)
{
    m_again->setEnabled(true);
    int failed = 0;
    for (const TableResult &t : summary.tables)
        failed += t.outcome == TableOutcome::Failed ? 1 : 0;
    const QString took = summary.elapsedMs < 1000 ? tr("%1 ms").arg(summary.elapsedMs)
                                                  : tr("%1 s").arg(QString::number(summary.elapsedMs / 1000.0, 'f', 1));
    QString text = plural(m_order.size(), tr("%1 table planned in %2; nothing was written."),
                          tr("%1 tables planned in %2; nothing was written."))
                       .arg(took);
    if (failed > 0)
        text += u' ' + plural(failed, tr("%1 table would fail: select it for why."),
                              tr("%1 tables would fail: select them for why."));
    m_status->setText(text);
    Q_EMIT planFinished();
}

void PlanDialog::showSelectedPlan()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    QStringList lines;
    if (item) {
        for (const QString &line : m_lines.value(item->text(TableColumn).toLower()))
            lines << u"• "_qs + line;
    }
    m_details->setPlainText(lines.join(u'\n'));
}

QString PlanDialog::planText() const
{
    QStringList out;
    for (const QString &table : m_order) {
        const QTreeWidgetItem *item = m_items.value(table.toLower());
        out << QStringLiteral("%1: %2").arg(table, item ? item->text(StrategyColumn) : QString());
        for (const QString &line : m_lines.value(table.toLower()))
            out << u"  "_qs + line;
    }
    return out.join(u'\n') + u'\n';
}

} // namespace tablesync
