#include "RunMonitorPage.h"

#include "EmptyState.h"
#include "Icons.h"
#include "MessageBanner.h"
#include "Plural.h"
#include "ProgressDelegate.h"
#include "RunController.h"
#include "RunHistoryModel.h"
#include "RunTableModel.h"
#include "sync/HorizonNotice.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tablesync {

namespace {
QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setIconSize(QSize(20, 20));
    return button;
}

QString countdown(qint64 seconds)
{
    if (seconds < 3600)
        return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds / 60) % 60);
}
} // namespace

RunMonitorPage::RunMonitorPage(RunController *controller, RunTableModel *tables, RunHistoryModel *history,
                               QAction *runNow, QAction *stop, QAction *pauseSchedule, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_tables(tables)
    , m_history(history)
{
    m_stateIcon = new QLabel(this);
    m_headline = new QLabel(this);
    m_headline->setObjectName(u"runHeadline"_qs);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_headline->setFont(big);
    m_schedule = new QLabel(this);
    m_schedule->setObjectName(u"scheduleLabel"_qs);
    m_schedule->setForegroundRole(QPalette::PlaceholderText);
    auto *texts = new QVBoxLayout;
    texts->addWidget(m_headline);
    texts->addWidget(m_schedule);
    auto *header = new QHBoxLayout;
    header->addWidget(m_stateIcon, 0, Qt::AlignTop);
    header->addLayout(texts, 1);
    header->addWidget(buttonFor(runNow, this));
    header->addWidget(buttonFor(stop, this));
    header->addWidget(buttonFor(pauseSchedule, this));

    m_overall = new QProgressBar(this);
    m_overall->setObjectName(u"overallProgress"_qs);
    m_overall->setRange(0, 1000);
    m_overall->setAccessibleName(tr("Overall progress of the run"));
    m_overall->setFormat(tr("%p% of this run"));

    // Late commits are safe only while the source's open transactions can be seen: say so where the
    // run is watched, not only in the log.
    m_horizonBanner = new MessageBanner(this);
    m_horizonBanner->setObjectName(u"horizonBanner"_qs);
    m_horizonBanner->setClosable(true);
    m_horizonBanner->hide();
    connect(m_horizonBanner, &MessageBanner::closed, this,
            [this] { m_dismissedHorizonText = m_horizonBanner->text() + m_horizonBanner->details(); });

    m_tableView = new QTableView(this);
    m_tableView->setObjectName(u"runTableView"_qs);
    m_tableView->setModel(m_tables);
    m_tableView->setItemDelegateForColumn(RunTableModel::ProgressColumn, new ProgressDelegate(m_tableView));
    m_tableView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tableView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tableView->setWordWrap(false);
    m_tableView->setAlternatingRowColors(true);
    m_tableView->verticalHeader()->hide();
    m_tableView->verticalHeader()->setDefaultSectionSize(m_tableView->fontMetrics().height() + 12);
    m_tableView->setAccessibleName(tr("Tables of the run"));
    QHeaderView *h = m_tableView->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->resizeSection(RunTableModel::TableColumn, 110);
    h->resizeSection(RunTableModel::StrategyColumn, 90);
    h->resizeSection(RunTableModel::StateColumn, 85);
    h->resizeSection(RunTableModel::ProgressColumn, 150);
    h->resizeSection(RunTableModel::RateColumn, 70);
    h->resizeSection(RunTableModel::ElapsedColumn, 60);
    h->resizeSection(RunTableModel::LastSuccessColumn, 80);
    h->resizeSection(RunTableModel::SourceWritersColumn,
                     m_tableView->fontMetrics().horizontalAdvance(RunTableModel::tr("oldest 00:00")) + 40);
    h->setStretchLastSection(true);

    m_empty = new EmptyState(u"nav-monitor"_qs, tr("Nothing to sync yet"),
                             tr("Add tables on the Tables page; each gets a row here with its progress."), this);
    m_empty->setAction(tr("Go to Tables"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tableView);

    auto *historyBox = new QGroupBox(tr("Recent runs"), this);
    m_historyView = new QTableView(historyBox);
    m_historyView->setObjectName(u"historyView"_qs);
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->verticalHeader()->hide();
    m_historyView->setAlternatingRowColors(true);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->horizontalHeader()->resizeSection(RunHistoryModel::StartedColumn, 130);
    m_historyView->setAccessibleName(tr("Recent runs"));
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_historyView);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(u"monitorSplitter"_qs);
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(historyBox);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_overall);
    layout->addWidget(m_horizonBanner);
    layout->addWidget(m_splitter, 1);

    auto *ticker = new QTimer(this);
    ticker->setInterval(1000);
    connect(ticker, &QTimer::timeout, this, &RunMonitorPage::updateHeader);
    ticker->start();
    connect(m_empty, &EmptyState::actionTriggered, this, &RunMonitorPage::tablesPageRequested);
    connect(m_controller, &RunController::stateChanged, this, &RunMonitorPage::updateHeader);
    connect(m_controller, &RunController::scheduleChanged, this, &RunMonitorPage::updateHeader);
    connect(m_tables, &RunTableModel::dataChanged, this, &RunMonitorPage::updateHeader);
    connect(m_tables, &RunTableModel::modelReset, this, &RunMonitorPage::updateHeader);
    updateHeader();
}

QString RunMonitorPage::timeLeft(qint64 elapsedSeconds) const
{
    // Only once there is something to go by: a few seconds in, and some of the rows done.
    const RunTableModel::Work work = m_tables->work();
    if (elapsedSeconds < 5 || work.done <= 0 || work.done >= work.rows)
        return {};
    const double rate = double(work.done) / double(elapsedSeconds);
    const qint64 left = qint64(double(work.rows - work.done) / rate);
    return tr(" · about %1 left%2")
        .arg(countdown(std::max<qint64>(left, 1)), work.estimated ? tr(" (a guess)") : QString());
}

void RunMonitorPage::updateHeader()
{
    const QLocale locale;
    const int total = m_tables->rowCount();
    m_stack->setCurrentWidget(total == 0 ? static_cast<QWidget *>(m_empty) : m_tableView);
    const int done = m_tables->countIn(TableRunState::Done);
    const int failed = m_tables->countIn(TableRunState::Failed);
    const int finished = done + failed + m_tables->countIn(TableRunState::Stopped);
    const QString rows = locale.toString(m_tables->rowsThisRun());
    const int iconSize = 32;

    TableRunState shown = TableRunState::Idle;
    QString headline;
    if (m_controller->isRunning()) {
        shown = TableRunState::Running;
        const qint64 elapsed = m_controller->lastRunStartedAt().secsTo(QDateTime::currentDateTime());
        headline = m_controller->state() == RunController::State::Stopping
                       ? tr("Stopping after the batches in flight…")
                       : tr("Syncing: %1 of %2 tables finished · %3 rows · %4%5")
                             .arg(finished)
                             .arg(total)
                             .arg(rows, countdown(elapsed), timeLeft(elapsed));
        m_overall->setValue(m_tables->overallProgress());
    } else if (m_history->rowCount() == 0) {
        headline = total == 0
                       ? tr("No tables configured")
                       : plural(total, tr("Ready: %1 table, not synced yet"), tr("Ready: %1 tables, not synced yet"));
        m_overall->setValue(0);
    } else {
        // A run that was stopped, or did not reach every table, is not a success: never the green check.
        const RunSummary &last = m_history->runAt(0);
        const bool stopped = m_tables->countIn(TableRunState::Stopped) > 0 || done + failed < total ||
                             std::any_of(last.tables.cbegin(), last.tables.cend(),
                                         [](const TableResult &t) { return t.outcome == TableOutcome::Stopped; });
        shown = last.failedCount() > 0 ? TableRunState::Failed : stopped ? TableRunState::Stopped : TableRunState::Done;
        headline = last.failedCount() > 0 ? tr("Last run: %1 of %2 tables failed").arg(last.failedCount()).arg(total)
                   : stopped ? tr("Last run stopped: %1 of %2 tables synced · %3 rows").arg(done).arg(total).arg(rows)
                             : tr("Last run: %1 of %2 tables synced · %3 rows").arg(done).arg(total).arg(rows);
        m_overall->setValue(m_tables->overallProgress());
    }
    m_headline->setText(headline);
    m_stateIcon->setPixmap(Icons::forState(shown).pixmap(iconSize, iconSize));

    QString schedule;
    const QDateTime next = m_controller->nextRunAt();
    if (!m_controller->problem().isEmpty())
        schedule = tr("Cannot sync: %1").arg(m_controller->problem());
    else if (m_controller->isRunning())
        schedule = tr("Started %1").arg(locale.toString(m_controller->lastRunStartedAt().time(), QLocale::ShortFormat));
    else if (m_controller->isVerificationRunning())
        schedule = tr("Syncs wait until the verification (Verify page) has finished.");
    else if (m_controller->settings().intervalSeconds <= 0)
        schedule = tr("No schedule (INTERVAL is 0): syncs run when you click Run now (F5).");
    else if (m_controller->isSchedulePaused())
        schedule = tr("Schedule paused. Resume it to sync every %1 s.").arg(m_controller->settings().intervalSeconds);
    else if (next.isValid())
        schedule = tr("Next run at %1 (in %2) · every %3 s")
                       .arg(locale.toString(next.time(), QLocale::ShortFormat),
                            countdown(std::max<qint64>(0, QDateTime::currentDateTime().secsTo(next))))
                       .arg(m_controller->settings().intervalSeconds);
    m_schedule->setText(schedule);
    updateHorizonBanner();
}

void RunMonitorPage::updateHorizonBanner()
{
    const int row = m_tables->firstHorizonConcern();
    if (row < 0) {
        m_horizonBanner->hide();
        return;
    }
    const HorizonView &view = m_tables->rowAt(row).horizon;
    const QString warning = HorizonNotice::warning(view, m_controller->settings().source.user);
    const QString text = warning.isEmpty()
                             ? tr("A transaction on the source holds incremental cursors back")
                             : tr("The source's open transactions are not visible; rows committed late may be missed");
    const QString details = warning.isEmpty() ? HorizonNotice::holderSentence(view) + u"."_qs : warning;
    if (text + details == m_dismissedHorizonText)
        return;
    if (m_horizonBanner->isVisible() && m_horizonBanner->details() == details)
        return;
    m_horizonBanner->showMessage(warning.isEmpty() ? MessageBanner::Kind::Info : MessageBanner::Kind::Warning, text,
                                 details);
}

} // namespace tablesync
