#include "TablesPage.h"

#include "DiscoveryModel.h"
#include "DiscoveryPanel.h"
#include "EmptyState.h"
#include "Icons.h"
#include "MessageBanner.h"
#include "Plural.h"
#include "ProfileDocument.h"
#include "TableListModel.h"
#include "TableSpecDelegate.h"
#include "db/DbTaskRunner.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tablesync {

namespace {
QToolButton *toolButton(const QString &icon, const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setIcon(Icons::get(icon));
    button->setText(text);
    button->setToolTip(tip);
    button->setAccessibleName(text);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}
} // namespace

TablesPage::TablesPage(ProfileDocument *document, DbTaskRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_runner(runner)
    , m_model(document->tables())
{
    auto *left = new QWidget(this);
    auto *tools = new QHBoxLayout;
    auto *add = toolButton(u"action-add"_qs, tr("Add"), tr("Add an empty entry (Insert)"), left);
    add->setObjectName(u"addTableButton"_qs);
    m_remove = toolButton(u"action-remove"_qs, tr("Remove"),
                          tr("Remove the selected entries (Delete); the "
                             "target tables are left as they are"),
                          left);
    m_up = toolButton(u"action-up"_qs, tr("Up"), tr("Move up: tables sync in this order"), left);
    m_down = toolButton(u"action-down"_qs, tr("Down"), tr("Move down"), left);
    for (QToolButton *b : {add, m_remove, m_up, m_down})
        tools->addWidget(b);
    tools->addStretch(1);
    auto *preview = toolButton(u"action-eye"_qs, tr("Preview run"),
                               tr("What the next run would do to each target table: tables created, columns "
                                  "added, how full refreshes go, triggers, deletes (Ctrl+L). Nothing is written."),
                               left);
    preview->setObjectName(u"previewRunButton"_qs);
    tools->addWidget(preview);
    connect(preview, &QToolButton::clicked, this, &TablesPage::previewRequested);

    m_banner = new MessageBanner(left);
    m_banner->setObjectName(u"tablesBanner"_qs);
    m_banner->setClosable(false);

    m_view = new QTableView(left);
    m_view->setObjectName(u"tableListView"_qs);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new TableSpecDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("Configured tables"));
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    // The strategy shows in the Modifier cell ("— full refresh" when there is none): one column
    // less keeps the editable ones readable beside the source tables.
    header->hideSection(TableListModel::StrategyColumn);
    header->setSectionResizeMode(TableListModel::DeletesColumn, QHeaderView::Stretch);
    header->resizeSection(TableListModel::TableColumn, 100);
    header->resizeSection(TableListModel::PrimaryKeyColumn, 105);
    header->resizeSection(TableListModel::ModifierColumn, 120);
    header->resizeSection(TableListModel::InitialValueColumn, 88);
    header->resizeSection(TableListModel::BatchSizeColumn, 66);
    header->resizeSection(TableListModel::DeletesColumn, 70);

    m_empty = new EmptyState(u"empty-tables"_qs, tr("No tables yet"),
                             tr("Discover tables from the source and add them with a click, or add an entry by hand. "
                                "Each entry is one object of tables.json."),
                             left);
    m_empty->setAction(tr("Discover tables from the source"));
    m_stack = new QStackedWidget(left);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);

    m_details = new QLabel(left);
    m_details->setObjectName(u"tableIssueDetails"_qs);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(tools);
    leftLayout->addWidget(m_banner);
    leftLayout->addWidget(m_stack, 1);
    leftLayout->addWidget(m_details);

    m_discovery = new DiscoveryPanel(m_model, this);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(u"tablesSplitter"_qs);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_discovery);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({600, 360}); // the list first; a restored state replaces this
    m_splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    connect(add, &QToolButton::clicked, this, &TablesPage::addTable);
    connect(m_remove, &QToolButton::clicked, this, &TablesPage::removeSelected);
    connect(m_up, &QToolButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveSelected(+1); });
    connect(m_empty, &EmptyState::actionTriggered, this, &TablesPage::discover);
    connect(m_discovery, &DiscoveryPanel::discoverRequested, this, &TablesPage::discover);
    connect(m_discovery, &DiscoveryPanel::addRequested, this, &TablesPage::addSpecs);
    connect(m_discovery, &DiscoveryPanel::problemActionTriggered, this, &TablesPage::connectionsRequested);
    connect(m_runner, &DbTaskRunner::tablesDiscovered, this, &TablesPage::onDiscovered);
    connect(m_model, &TableListModel::issuesChanged, this, &TablesPage::updateIssues);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &TablesPage::updateCurrentRowDetails);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TablesPage::updateCurrentRowDetails);
    connect(m_document, &ProfileDocument::loaded, this, [this] {
        m_discoverJob = 0; // an answer about the previous profile's source is of no use now
        m_discovery->model()->setTables({});
    });
    updateIssues();
}

void TablesPage::discover()
{
    ConfigErrors errors;
    const Settings settings = m_document->settings(errors);
    const ConnectionSettings &source = settings.source;
    if (source.host.isEmpty() || source.user.isEmpty() || source.database.isEmpty()) {
        m_discovery->showProblem(tr("The source server is not set up yet"),
                                 tr("Discovery reads the source database: enter its host, user and database on the "
                                    "Connections page first."),
                                 tr("Go to Connections"));
        return;
    }
    m_discoverJob = m_runner->discoverTables(source);
    m_discovery->setBusy(source.displayName());
}

void TablesPage::onDiscovered(int job, const DiscoveryResult &result)
{
    if (job != m_discoverJob)
        return;
    m_discoverJob = 0;
    m_discovery->showResult(result);
    if (result.ok)
        m_model->setCatalog(result.tables); // the list is now checked against the real schema
}

void TablesPage::addSpecs(const QList<TableSpec> &specs)
{
    int last = -1;
    for (const TableSpec &spec : specs) {
        if (!m_model->containsTable(spec.table))
            last = m_model->addTable(spec);
    }
    if (last >= 0) {
        m_view->selectRow(last);
        m_view->scrollTo(m_model->index(last, 0));
    }
}

void TablesPage::addTable()
{
    TableSpec spec;
    const int row = m_model->addTable(spec);
    m_stack->setCurrentWidget(m_view);
    const QModelIndex index = m_model->index(row, TableListModel::TableColumn);
    m_view->setCurrentIndex(index);
    m_view->edit(index);
}

void TablesPage::removeSelected()
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << index.row();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_model->removeRows(row, 1);
}

void TablesPage::moveSelected(int delta)
{
    const int row = m_view->currentIndex().row();
    if (row < 0 || !m_model->moveTable(row, row + delta))
        return;
    m_view->selectRow(row + delta);
}

void TablesPage::updateIssues()
{
    m_stack->setCurrentWidget(m_model->rowCount() == 0 ? static_cast<QWidget *>(m_empty) : m_view);
    const int errors = m_model->count(TableIssue::Severity::Error);
    const int warnings = m_model->count(TableIssue::Severity::Warning);
    if (errors > 0) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              plural(errors, tr("%1 entry problem must be fixed before saving"),
                                     tr("%1 entry problems must be fixed before saving")),
                              tr("Cells marked red show what is wrong; hover over them or select the row."));
    } else if (warnings > 0) {
        m_banner->showMessage(
            MessageBanner::Kind::Warning,
            plural(warnings, tr("%1 table will fail when it syncs"), tr("%1 tables will fail when they sync")),
            tr("They do not match the source's schema found by Discover. Hover over the marked "
               "cells for details."));
    } else {
        m_banner->hide();
    }
    const bool hasRows = m_model->rowCount() > 0;
    m_remove->setEnabled(hasRows);
    m_up->setEnabled(hasRows);
    m_down->setEnabled(hasRows);
    updateCurrentRowDetails();
}

void TablesPage::updateCurrentRowDetails()
{
    const int row = m_view->currentIndex().row();
    QStringList lines;
    static const char16_t *const marks[] = {u"✖ ", u"⚠ ", u"ℹ "};
    for (const TableIssue &issue : m_model->issuesFor(row))
        lines << QString::fromUtf16(marks[int(issue.severity)]) + issue.message;
    m_details->setText(lines.join(u'\n'));
    m_details->setVisible(!lines.isEmpty());
}

} // namespace tablesync
