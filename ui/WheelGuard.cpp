#include "WheelGuard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace tablesync {

void WheelGuard::protect(QWidget *root)
{
    auto *guard = new WheelGuard(root);
    const auto guardWidget = [guard](QWidget *w) {
        w->setFocusPolicy(Qt::StrongFocus); // no focus from the wheel itself
        w->installEventFilter(guard);
    };
    for (QAbstractSpinBox *spin : root->findChildren<QAbstractSpinBox *>())
        guardWidget(spin);
    for (QComboBox *combo : root->findChildren<QComboBox *>())
        guardWidget(combo);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *widget = static_cast<QWidget *>(watched);
        if (!widget->hasFocus()) {
            event->ignore(); // passed on to the parent: the page scrolls
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace tablesync
