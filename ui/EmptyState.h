#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace tablesync {

// What a page shows when it has nothing yet: a picture, what is missing and the next step.
class EmptyState : public QWidget
{
    Q_OBJECT
public:
    EmptyState(const QString &iconName, const QString &title, const QString &text, QWidget *parent = nullptr);

    // A button for the next step; empty removes it.
    void setAction(const QString &label);
    void setText(const QString &text);

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_text = nullptr;
    QPushButton *m_action = nullptr;
};

} // namespace tablesync
