#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>

namespace tablesync {

MainWindow::MainWindow(const QString &envPath, const QString &tablesPath, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("tablesync"));
    auto *label = new QLabel(tr("<h2>tablesync</h2><p>Profile: <code>%1</code> and <code>%2</code></p>"
                                "<p>Run <code>tablesync --headless</code> to sync from the command line.</p>")
                                 .arg(envPath.toHtmlEscaped(), tablesPath.toHtmlEscaped()),
                             this);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(24);
    setCentralWidget(label);
    statusBar()->showMessage(tr("Ready"));
    resize(720, 420);
}

} // namespace tablesync
