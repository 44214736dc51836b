#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace tablesync {

class EmptyState;
class LogFilterModel;
class LogModel;

// Page 5: the engine's log, filterable by level, table and text, copyable (Ctrl+C copies the
// selected lines as the headless log would print them).
class LogPage : public QWidget
{
    Q_OBJECT
public:
    explicit LogPage(LogModel *model, QWidget *parent = nullptr);

    LogFilterModel *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    // The selected lines (or every visible line when none is selected), one per line.
    QString selectedText() const;
    void copySelection() const;

private:
    void updateTables();
    void scrollIfFollowing();

    LogModel *m_model = nullptr;
    LogFilterModel *m_filter = nullptr;
    QComboBox *m_level = nullptr;
    QComboBox *m_table = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_follow = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace tablesync
