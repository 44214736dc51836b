#pragma once

#include "config/TableSpec.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;

namespace tablesync {

class DiscoveryModel;
class EmptyState;
class MessageBanner;
class TableListModel;
struct DiscoveryResult;

// The right-hand side of the Tables page: the source's tables from discovery, to add to the
// list with a double-click or "Add selected".
class DiscoveryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DiscoveryPanel(TableListModel *configured, QWidget *parent = nullptr);

    void setBusy(const QString &server);
    void showResult(const DiscoveryResult &result);
    void showProblem(const QString &text, const QString &details, const QString &action);
    DiscoveryModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // Adds the tables of these rows of model() that can be added; returns how many were.
    int addRows(const QList<int> &rows);

Q_SIGNALS:
    void discoverRequested();
    void addRequested(const QList<tablesync::TableSpec> &specs);
    void problemActionTriggered();

private:
    void addSelected();
    void updateButtons();

    DiscoveryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_status = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_discover = nullptr;
    QPushButton *m_add = nullptr;
};

} // namespace tablesync
