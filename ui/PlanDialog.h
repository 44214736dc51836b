#pragma once

#include "config/Settings.h"
#include "sync/SyncTypes.h"

#include <QDialog>
#include <QHash>
#include <QStringList>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace tablesync {

class EngineJob;

// "Preview next run": what a run of the tables on screen would do to the target, read from both
// servers and written nowhere (the engine's --plan, on an engine of its own so the window never
// waits). One row per table: its strategy and what would change (tables created, columns added,
// repairs, rows deletes would remove, triggers suspended, warnings); below, the selected table's
// whole plan. Closing the dialog while it plans lets the planning finish in the background.
class PlanDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PlanDialog(QWidget *parent = nullptr);

    // Plans `settings.tables`; what was shown before is cleared. Ignored while a plan is running.
    void start(const Settings &settings);
    bool isPlanning() const;
    QTreeWidget *tree() const { return m_tree; }
    // The whole plan as text: what Copy puts on the clipboard.
    QString planText() const;
    QString statusText() const;

Q_SIGNALS:
    // "Preview again": the owner passes the settings now on screen to start().
    void againRequested();
    void planFinished();

private:
    enum Column { TableColumn, StrategyColumn, ChangesColumn };
    void onMessage(const QString &table, const QString &message);
    void onTableFinished(const TableResult &result);
    void onFinished(const RunSummary &summary);
    void showSelectedPlan();
    QString changesOf(const QStringList &lines) const;

    EngineJob *m_job = nullptr;
    QTreeWidget *m_tree = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_again = nullptr;
    QPushButton *m_copy = nullptr;
    QStringList m_order;                       // tables in the configured order
    QHash<QString, QStringList> m_lines;       // per table (lower-case name), its plan lines
    QHash<QString, QTreeWidgetItem *> m_items; // per table (lower-case name)
    int m_done = 0;
};

} // namespace tablesync
