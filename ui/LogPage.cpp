#include "LogPage.h"

#include "EmptyState.h"
#include "Icons.h"
#include "LogFilterModel.h"
#include "LogModel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tablesync {

LogPage::LogPage(LogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new LogFilterModel(this))
{
    m_level = new QComboBox(this);
    m_level->setObjectName(u"logLevelFilter"_qs);
    m_level->addItem(tr("All levels"), int(LogModel::Level::Info));
    m_level->addItem(tr("Warnings and errors"), int(LogModel::Level::Warning));
    m_level->addItem(tr("Errors only"), int(LogModel::Level::Error));
    m_level->setAccessibleName(tr("Minimum level"));
    m_table = new QComboBox(this);
    m_table->setObjectName(u"logTableFilter"_qs);
    m_table->setAccessibleName(tr("Table"));
    m_table->setMinimumContentsLength(14);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search messages"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search messages"));
    m_follow = new QCheckBox(tr("&Follow new lines"), this);
    m_follow->setChecked(true);

    auto *copy = new QToolButton(this);
    copy->setIcon(Icons::get(u"action-copy"_qs));
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the selected lines, or all shown lines (Ctrl+C)"));
    copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    copy->setAutoRaise(true);
    auto *clear = new QToolButton(this);
    clear->setIcon(Icons::get(u"action-clear"_qs));
    clear->setText(tr("Clear"));
    clear->setToolTip(tr("Clear the log view (the engine keeps running)"));
    clear->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    clear->setAutoRaise(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_level);
    bar->addWidget(m_table);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_follow);
    bar->addWidget(copy);
    bar->addWidget(clear);

    m_filter->setSourceModel(m_model);
    m_view = new QTableView(this);
    m_view->setObjectName(u"logView"_qs);
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(LogModel::TimeColumn, 100);
    m_view->horizontalHeader()->resizeSection(LogModel::LevelColumn, 90);
    m_view->horizontalHeader()->resizeSection(LogModel::TableColumn, 110);
    m_view->setAccessibleName(tr("Log lines"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_view->setFont(mono);
    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_empty = new EmptyState(u"empty-log"_qs, tr("No log lines yet"),
                             tr("What the engine does shows up here as it happens: run now (F5) to see it."), this);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setMinimumLevel(LogModel::Level(m_level->currentData().toInt())); });
    connect(m_table, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setTable(m_table->currentData().toString()); });
    connect(m_search, &QLineEdit::textChanged, m_filter, &LogFilterModel::setText);
    connect(copy, &QToolButton::clicked, this, &LogPage::copySelection);
    connect(copyAction, &QAction::triggered, this, &LogPage::copySelection);
    connect(clear, &QToolButton::clicked, m_model, &LogModel::clear);
    connect(m_model, &LogModel::tablesChanged, this, &LogPage::updateTables);
    connect(m_filter, &LogFilterModel::rowsInserted, this, &LogPage::scrollIfFollowing);
    connect(m_model, &LogModel::rowsInserted, this, [this] { m_stack->setCurrentWidget(m_view); });
    connect(m_model, &LogModel::modelReset, this,
            [this] { m_stack->setCurrentWidget(m_model->rowCount() ? static_cast<QWidget *>(m_view) : m_empty); });
    updateTables();
}

void LogPage::updateTables()
{
    const QString current = m_table->currentData().toString();
    const QSignalBlocker block(m_table);
    m_table->clear();
    m_table->addItem(tr("All tables"), QString());
    for (const QString &table : m_model->tables())
        m_table->addItem(table, table);
    const int index = m_table->findData(current);
    m_table->setCurrentIndex(index < 0 ? 0 : index);
}

void LogPage::scrollIfFollowing()
{
    if (m_follow->isChecked())
        m_view->scrollToBottom();
}

QString LogPage::selectedText() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << m_filter->mapToSource(index).row();
    if (rows.isEmpty()) {
        for (int r = 0; r < m_filter->rowCount(); ++r)
            rows << m_filter->mapToSource(m_filter->index(r, 0)).row();
    }
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : std::as_const(rows))
        lines << LogModel::format(m_model->lineAt(row));
    return lines.join(u'\n');
}

void LogPage::copySelection() const
{
    QApplication::clipboard()->setText(selectedText());
}

} // namespace tablesync
