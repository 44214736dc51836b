#pragma once

#include <QObject>

class QWidget;

namespace tablesync {

// Scrolling a page with the mouse wheel must not change the spin box or combo box that happens
// to pass under the pointer (a port, a pool size): such a widget takes the wheel only once it has
// focus, clicked or tabbed into; otherwise the wheel scrolls the page as the user meant.
class WheelGuard : public QObject
{
    Q_OBJECT
public:
    // Guards every spin box and combo box under `root` as it is now.
    static void protect(QWidget *root);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};

} // namespace tablesync
