#pragma once

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;

namespace tablesync {

class EmptyState;
class MessageBanner;
class VerifyActions;
class VerifyController;
class VerifyReportModel;

// Page 6: the verification report. Verify (all or the selected tables) / Repair / Stop, how far
// the comparison got, one row per table with what differs and a few sample keys, a summary line,
// and below the list the report in full (of the selected tables, or all).
class VerifyPage : public QWidget
{
    Q_OBJECT
public:
    VerifyPage(VerifyController *verifier, VerifyReportModel *report, VerifyActions *actions,
               QWidget *parent = nullptr);

    QTableView *reportView() const { return m_view; }
    QLabel *headline() const { return m_headline; }
    QPlainTextEdit *details() const { return m_details; }
    QSplitter *splitter() const { return m_splitter; }
    QProgressBar *progress() const { return m_progress; }
    MessageBanner *banner() const { return m_banner; }

Q_SIGNALS:
    void tablesPageRequested();

private:
    void updateHeader();
    void updateDetails();
    void onSelectionChanged();

    VerifyController *m_verifier = nullptr;
    VerifyReportModel *m_report = nullptr;
    VerifyActions *m_actions = nullptr;
    MessageBanner *m_banner = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_subline = nullptr;
    QProgressBar *m_progress = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTableView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QSplitter *m_splitter = nullptr;
    QTimer *m_ticker = nullptr; // the elapsed time in the headline moves between chunks
    QElapsedTimer m_elapsed;
    qint64 m_lastElapsedMs = -1; // of the last verification; -1 before the first
};

} // namespace tablesync
