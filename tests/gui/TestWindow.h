#pragma once

// The main window as the GUI tests open it.

#include "MainWindow.h"

#include <QTest>

#include <memory>

namespace tablesync::test {

// Answers every confirmation with Discard: a test never leaves a dialog open.
inline MainWindow::Confirm discardEverything()
{
    return [](const QString &, const QString &, QMessageBox::StandardButtons) { return QMessageBox::Discard; };
}

// Opens `window` on the profile, confirmations answered by `confirm`, at `size` (by default
// 1024x700, the smallest screen the window is made for; an invalid size leaves the window's own),
// shown and exposed.
inline void openWindow(std::unique_ptr<MainWindow> &window, const QString &env, const QString &tables,
                       MainWindow::Confirm confirm = discardEverything(), QSize size = QSize(1024, 700))
{
    window = std::make_unique<MainWindow>(env, tables);
    window->setConfirmHandler(std::move(confirm));
    if (size.isValid())
        window->resize(size);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
}

} // namespace tablesync::test
