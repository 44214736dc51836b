#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace tablesync {

class EmptyState;
class MessageBanner;
class RunController;
class RunHistoryModel;
class RunTableModel;

// Page 3: the run monitor. What runs now and how far it got (per table and overall), Run now /
// Stop / Pause schedule, when the next scheduled run starts, and the recent runs.
class RunMonitorPage : public QWidget
{
    Q_OBJECT
public:
    RunMonitorPage(RunController *controller, RunTableModel *tables, RunHistoryModel *history, QAction *runNow,
                   QAction *stop, QAction *pauseSchedule, QWidget *parent = nullptr);

    QTableView *tableView() const { return m_tableView; }
    QTableView *historyView() const { return m_historyView; }
    QProgressBar *overallProgress() const { return m_overall; }
    QLabel *headline() const { return m_headline; }
    MessageBanner *horizonBanner() const { return m_horizonBanner; }
    QSplitter *splitter() const { return m_splitter; }

Q_SIGNALS:
    void tablesPageRequested();

private:
    void updateHeader();
    // " · about 3 min left", from the rows done so far; "" while there is too little to go by.
    QString timeLeft(qint64 elapsedSeconds) const;
    void updateHorizonBanner();

    RunController *m_controller = nullptr;
    RunTableModel *m_tables = nullptr;
    RunHistoryModel *m_history = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_schedule = nullptr;
    QProgressBar *m_overall = nullptr;
    MessageBanner *m_horizonBanner = nullptr;
    QString m_dismissedHorizonText; // closed by the user: shown again only when what it says changes
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTableView *m_tableView = nullptr;
    QTableView *m_historyView = nullptr;
    QSplitter *m_splitter = nullptr;
};

} // namespace tablesync
