#include <QApplication>

#include "MainWindow.h"

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    tablesync::MainWindow window(QStringLiteral(".env"), QStringLiteral("tables.json"));
    window.show();
    return app.exec();
}
