#include "DiscoveryPanel.h"

#include "DiscoveryModel.h"
#include "EmptyState.h"
#include "Icons.h"
#include "MessageBanner.h"
#include "Plural.h"
#include "TableListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace tablesync {

DiscoveryPanel::DiscoveryPanel(TableListModel *configured, QWidget *parent)
    : QWidget(parent)
    , m_model(new DiscoveryModel(configured, this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    auto *title = new QLabel(tr("<b>Source tables</b>"), this);
    m_discover = new QPushButton(Icons::get(u"action-discover"_qs), tr("&Discover"), this);
    m_discover->setObjectName(u"discoverButton"_qs);
    m_discover->setToolTip(tr("List the source database's tables with their keys, sizes and likely modifiers "
                              "(Ctrl+D)"));
    m_discover->setAccessibleName(tr("Discover source tables"));
    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(m_discover);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(u"discoveryBanner"_qs);
    m_status = new QLabel(this);
    m_status->setObjectName(u"discoveryStatus"_qs);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter source tables"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter source tables"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DiscoveryModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(DiscoveryModel::NameColumn);
    m_view = new QTreeView(this);
    m_view->setObjectName(u"discoveryView"_qs);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DiscoveryModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setAccessibleName(tr("Source tables"));
    // The name and the key keep a readable width (wider by dragging, the full text in the tooltip),
    // the row estimate fits its digits, and the modifier takes the rest, so that all four stay in
    // view in a narrow pane. The note column is hidden: the icon, the greying and the tooltip say the same.
    QHeaderView *columns = m_view->header();
    columns->setStretchLastSection(false);
    columns->setMinimumSectionSize(40);
    columns->resizeSection(DiscoveryModel::NameColumn, 100);
    columns->setSectionResizeMode(DiscoveryModel::RowsColumn, QHeaderView::ResizeToContents);
    columns->resizeSection(DiscoveryModel::KeyColumn, 80);
    columns->setSectionResizeMode(DiscoveryModel::ModifierColumn, QHeaderView::Stretch);
    m_view->setColumnHidden(DiscoveryModel::NoteColumn, true);

    m_empty = new EmptyState(u"action-discover"_qs, tr("Which tables does the source have?"),
                             tr("Discover lists the source's tables with their primary keys, row estimates and the "
                                "columns most likely to drive incremental sync, to add with a click."),
                             this);
    m_empty->setAction(tr("Discover tables"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    auto *listPage = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_filter);
    listLayout->addWidget(m_view, 1);
    m_stack->addWidget(listPage);

    m_add = new QPushButton(Icons::get(u"action-add"_qs), tr("&Add selected"), this);
    m_add->setObjectName(u"addDiscoveredButton"_qs);
    m_add->setEnabled(false);
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_status, 1);
    footer->addWidget(m_add);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);
    layout->addLayout(footer);

    connect(m_discover, &QPushButton::clicked, this, &DiscoveryPanel::discoverRequested);
    connect(m_empty, &EmptyState::actionTriggered, this, &DiscoveryPanel::discoverRequested);
    connect(m_add, &QPushButton::clicked, this, &DiscoveryPanel::addSelected);
    connect(m_banner, &MessageBanner::actionTriggered, this, &DiscoveryPanel::problemActionTriggered);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view, &QTreeView::doubleClicked, this,
            [this](const QModelIndex &index) { addRows({m_proxy->mapToSource(index).row()}); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DiscoveryPanel::updateButtons);
    connect(m_model, &DiscoveryModel::dataChanged, this, &DiscoveryPanel::updateButtons);
}

void DiscoveryPanel::setBusy(const QString &server)
{
    m_discover->setEnabled(false);
    m_banner->hide();
    m_status->setText(tr("Reading the tables of %1…").arg(server));
}

void DiscoveryPanel::showResult(const DiscoveryResult &result)
{
    m_discover->setEnabled(true);
    if (!result.ok) {
        m_status->clear();
        m_banner->setAction(QString());
        m_banner->showMessage(MessageBanner::Kind::Error, result.error, result.hint);
        return;
    }
    m_banner->hide();
    m_model->setTables(result.tables);
    m_stack->setCurrentIndex(1);
    const auto keyless = std::count_if(result.tables.cbegin(), result.tables.cend(),
                                       [](const DiscoveredTable &t) { return t.syncKey().isEmpty(); });
    QString status =
        plural(result.tables.size(), tr("%1 table in %2, read in %3 ms."), tr("%1 tables in %2, read in %3 ms."))
            .arg(result.database, QLocale().toString(result.elapsedMs));
    if (keyless > 0)
        status += u' ' + plural(keyless, tr("%1 without a key: synced whole every run (hover for why)."),
                                tr("%1 without a key: synced whole every run (hover for why)."));
    m_status->setText(status);
    updateButtons();
}

void DiscoveryPanel::showProblem(const QString &text, const QString &details, const QString &action)
{
    m_discover->setEnabled(true);
    m_banner->setAction(action);
    m_banner->showMessage(MessageBanner::Kind::Warning, text, details);
}

int DiscoveryPanel::addRows(const QList<int> &rows)
{
    QList<TableSpec> specs;
    QStringList keyless;
    for (int row : rows) {
        if (row < 0 || row >= m_model->rowCount())
            continue;
        const DiscoveredTable &t = m_model->tableAt(row);
        if (!m_model->isAddable(row))
            continue;
        TableSpec spec;
        spec.table = t.name;
        spec.primaryKey = t.syncKey();
        // Without a key rows cannot be merged one by one: the whole table is replaced each run.
        spec.modifier = t.syncKey().isEmpty() ? QString() : t.suggestedModifier();
        if (spec.primaryKey.isEmpty())
            keyless << t.name;
        specs << spec;
    }
    if (!keyless.isEmpty()) {
        m_banner->setAction(QString());
        m_banner->showMessage(MessageBanner::Kind::Info, tr("Added without a key: %1").arg(keyless.join(u", "_qs)),
                              tr("These tables have no primary key or unique key of NOT NULL columns, so each run "
                                 "replaces them whole (full refresh). A key in the source would allow incremental "
                                 "sync."));
    }
    if (!specs.isEmpty())
        Q_EMIT addRequested(specs);
    return int(specs.size());
}

void DiscoveryPanel::addSelected()
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << m_proxy->mapToSource(index).row();
    std::sort(rows.begin(), rows.end());
    addRows(rows);
}

void DiscoveryPanel::updateButtons()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    const bool any = std::any_of(selected.cbegin(), selected.cend(), [this](const QModelIndex &index) {
        return m_model->isAddable(m_proxy->mapToSource(index).row());
    });
    m_add->setEnabled(any);
}

} // namespace tablesync
