#pragma once

#include <QMainWindow>

namespace tablesync {

// The desktop window. For now it only says which profile is open; the connections,
// tables and run monitor pages arrive with the desktop-app issue.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &envPath, const QString &tablesPath, QWidget *parent = nullptr);
};

} // namespace tablesync
