#pragma once

#include "config/TableSpec.h"

#include <QWidget>

class QLabel;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace tablesync {

class DbTaskRunner;
class DiscoveryPanel;
class EmptyState;
class MessageBanner;
class ProfileDocument;
class TableListModel;
struct DiscoveryResult;

// Page 2: the tables.json editor. The configured tables on the left with inline validation, the
// source's tables from discovery on the right to add with a click.
class TablesPage : public QWidget
{
    Q_OBJECT
public:
    TablesPage(ProfileDocument *document, DbTaskRunner *runner, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    DiscoveryPanel *discoveryPanel() const { return m_discovery; }
    MessageBanner *banner() const { return m_banner; }
    QSplitter *splitter() const { return m_splitter; }
    bool isDiscovering() const { return m_discoverJob != 0; }

public Q_SLOTS:
    void discover();
    void addTable();
    void removeSelected();

Q_SIGNALS:
    // The user wants to fix the source connection first.
    void connectionsRequested();
    // "Preview run": the window shows what the next run would do (MainWindow::previewRun).
    void previewRequested();

private:
    void onDiscovered(int job, const DiscoveryResult &result);
    void addSpecs(const QList<TableSpec> &specs);
    void moveSelected(int delta);
    void updateIssues();
    void updateCurrentRowDetails();

    ProfileDocument *m_document = nullptr;
    DbTaskRunner *m_runner = nullptr;
    TableListModel *m_model = nullptr;
    MessageBanner *m_banner = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_details = nullptr;
    DiscoveryPanel *m_discovery = nullptr;
    QSplitter *m_splitter = nullptr;
    QToolButton *m_remove = nullptr;
    QToolButton *m_up = nullptr;
    QToolButton *m_down = nullptr;
    int m_discoverJob = 0;
};

} // namespace tablesync
