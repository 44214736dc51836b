#pragma once

#include "ProfileJournal.h"

#include <QMainWindow>
#include <QMessageBox>

#include <functional>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QTimer;

namespace tablesync {

class ConnectionsPage;
class DbTaskRunner;
class LogModel;
class LogPage;
class MessageBanner;
class PasswordStore;
class PlanDialog;
class PoolPage;
class ProfileDocument;
class HealthEndpoint;
class RunController;
class RunHistoryModel;
class RunMonitorPage;
class RunTableModel;
class TablesPage;
class TrayController;
class VerifyActions;
class VerifyController;
class VerifyPage;
class VerifyReportModel;

// The desktop window: a profile (.env + tables.json) edited on the Connections and Tables pages,
// synced by the engine in its own thread and watched on the Run monitor, Pool and Log pages.
// With a system tray, closing the window keeps the app (and its schedule) running in the tray.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page {
        ConnectionsPageIndex,
        TablesPageIndex,
        MonitorPageIndex,
        PoolPageIndex,
        LogPageIndex,
        VerifyPageIndex,
        PageCount
    };

    // Opens the profile when `envPath` is given (missing files are reported, and saving creates them);
    // otherwise the last profile, or a new one.
    explicit MainWindow(const QString &envPath = {}, const QString &tablesPath = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Test hook: answers the confirmation dialogs instead of a person.
    using Confirm = std::function<QMessageBox::StandardButton(const QString &title, const QString &text,
                                                              QMessageBox::StandardButtons buttons)>;
    void setConfirmHandler(Confirm confirm) { m_confirm = std::move(confirm); }
    // Test hook: picks the file Save As saves to instead of the file dialog (given where it starts).
    using ChooseFile = std::function<QString(const QString &proposed)>;
    void setSaveFileChooser(ChooseFile choose) { m_chooseSaveFile = std::move(choose); }
    void saveProfileAsDialog();

    bool openProfile(const QString &envPath, const QString &tablesPath);
    // Opens another profile as the user asked for it: offers to save changes, and stops a sync or
    // verification of the open profile first (asked; the batches in flight are committed), so a
    // run is never shown, remembered or journaled under a profile it does not belong to.
    void requestOpenProfile(const QString &envPath, const QString &tablesPath);
    bool saveProfile();
    bool saveProfileAs(const QString &envPath, const QString &tablesPath);
    void showPage(Page page);
    Page currentPage() const;

    ProfileDocument *document() const { return m_document; }
    RunController *runController() const { return m_controller; }
    RunTableModel *runTableModel() const { return m_runTables; }
    RunHistoryModel *historyModel() const { return m_history; }
    LogModel *logModel() const { return m_log; }
    TrayController *tray() const { return m_tray; }
    ConnectionsPage *connectionsPage() const { return m_connections; }
    TablesPage *tablesPage() const { return m_tablesPage; }
    RunMonitorPage *monitorPage() const { return m_monitor; }
    PoolPage *poolPage() const { return m_pool; }
    LogPage *logPage() const { return m_logPage; }
    MessageBanner *banner() const { return m_banner; }
    QAction *runNowAction() const { return m_runNow; }
    QAction *stopAction() const { return m_stop; }
    QAction *pauseAction() const { return m_pause; }
    VerifyController *verifyController() const { return m_verifier; }
    VerifyReportModel *verifyReport() const { return m_verifyReport; }
    VerifyActions *verifyActions() const { return m_verifyActions; }
    VerifyPage *verifyPage() const { return m_verifyPage; }
    QAction *previewAction() const { return m_preview; }
    PlanDialog *planDialog() const { return m_planDialog; }

public Q_SLOTS:
    void runNow();
    // What the next run would do, in a dialog: the tables on screen, planned without writing.
    void previewRun();
    // Asks about unsaved changes and a running sync, stops the engine cleanly, then quits.
    void requestQuit();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createPages();
    void newProfile();
    void openProfileDialog();
    bool maybeSave();
    // Runs `next` once no sync or verification is running: at once when none is, otherwise after
    // asking (`question`) and stopping them; not at all when the user keeps them running.
    void afterStoppingRuns(const QString &question, std::function<void()> next);
    void continueAfterRunsStopped();
    // Stores the profile's passwords in the keychain and reads them back; "" when that worked.
    QString storePasswordsInKeychain();
    QMessageBox::StandardButton confirm(const QString &title, const QString &text,
                                        QMessageBox::StandardButtons buttons);
    void rebuildRecentMenu();
    void refreshSettings();
    void updateTitle();
    void updateRunActions();
    void updateStatusBar();
    void saveWindowState();
    void restoreWindowState();
    // Shrinks and moves the window, frame included, into its screen's available area.
    void fitOnScreen();

    PasswordStore *m_passwords = nullptr;
    ProfileDocument *m_document = nullptr;
    DbTaskRunner *m_tasks = nullptr;
    RunController *m_controller = nullptr;
    HealthEndpoint *m_health = nullptr;
    RunTableModel *m_runTables = nullptr;
    RunHistoryModel *m_history = nullptr;
    LogModel *m_log = nullptr;
    TrayController *m_tray = nullptr;
    VerifyController *m_verifier = nullptr;
    VerifyReportModel *m_verifyReport = nullptr;
    VerifyActions *m_verifyActions = nullptr;

    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    MessageBanner *m_banner = nullptr;
    ConnectionsPage *m_connections = nullptr;
    TablesPage *m_tablesPage = nullptr;
    RunMonitorPage *m_monitor = nullptr;
    PoolPage *m_pool = nullptr;
    LogPage *m_logPage = nullptr;
    VerifyPage *m_verifyPage = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_statusText = nullptr;
    QLabel *m_statusProfile = nullptr;
    QTimer *m_settingsDebounce = nullptr;

    QAction *m_new = nullptr;
    QAction *m_open = nullptr;
    QAction *m_save = nullptr;
    QAction *m_saveAs = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_runNow = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_discover = nullptr;
    QAction *m_preview = nullptr;
    PlanDialog *m_planDialog = nullptr;
    QAction *m_showWindow = nullptr;
    QMenu *m_recentMenu = nullptr;

    std::function<void()> m_afterRunsStop; // what waits for the runs being stopped
    bool m_fittedOnScreen = false;
    ProfileJournal m_journal;         // the open profile's remembered runs and log
    bool m_savingToKeychain = false;  // a save waits for the keychain (storePasswordsInKeychain)
    quint64 m_documentGeneration = 0; // counts profiles opened or started, to notice a switch
    Confirm m_confirm;
    ChooseFile m_chooseSaveFile;
    bool m_quitting = false;
};

} // namespace tablesync
