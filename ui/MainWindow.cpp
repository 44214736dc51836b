#include "MainWindow.h"

#include "sync/SyncEngine.h"

#include "ConnectionsPage.h"
#include "GuiSettings.h"
#include "HealthEndpoint.h"
#include "HealthForm.h"
#include "Icons.h"
#include "LogModel.h"
#include "LogPage.h"
#include "MessageBanner.h"
#include "PasswordStore.h"
#include "PlanDialog.h"
#include "Plural.h"
#include "PoolPage.h"
#include "ProfileDocument.h"
#include "ProfilePair.h"
#include "RunController.h"
#include "RunHistoryModel.h"
#include "RunLogger.h"
#include "RunMonitorPage.h"
#include "RunTableModel.h"
#include "TableListModel.h"
#include "TablesPage.h"
#include "TrayController.h"
#include "VerifyActions.h"
#include "VerifyController.h"
#include "VerifyPage.h"
#include "VerifyReportModel.h"
#include "WheelGuard.h"
#include "db/DbTaskRunner.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace tablesync {

MainWindow::MainWindow(const QString &envPath, const QString &tablesPath, QWidget *parent)
    : QMainWindow(parent)
    , m_passwords(new PasswordStore(this))
    , m_document(new ProfileDocument(m_passwords, this))
    , m_tasks(new DbTaskRunner(this))
    , m_controller(new RunController(this))
    , m_health(new HealthEndpoint(this))
    , m_runTables(new RunTableModel(this))
    , m_history(new RunHistoryModel(this))
    , m_log(new LogModel(this))
    , m_verifier(new VerifyController(m_controller, this))
    , m_verifyReport(new VerifyReportModel(this))
    , m_settingsDebounce(new QTimer(this))
{
    setWindowIcon(Icons::get(u"tablesync"_qs));
    createActions();
    createPages();
    createMenus();
    (new RunLogger(m_controller, m_log, this))->follow(m_verifier);
    m_verifyReport->follow(m_verifier);
    m_tray = new TrayController(m_controller, m_runNow, m_pause, m_showWindow, m_quit, this);
    // With a tray the app outlives its window; without one, closing the window quits.
    QApplication::setQuitOnLastWindowClosed(!m_tray->isAvailable());

    m_settingsDebounce->setSingleShot(true);
    m_settingsDebounce->setInterval(250);
    connect(m_settingsDebounce, &QTimer::timeout, this, &MainWindow::refreshSettings);
    connect(m_document, &ProfileDocument::valueChanged, m_settingsDebounce, qOverload<>(&QTimer::start));
    connect(m_document->tables(), &TableListModel::issuesChanged, m_settingsDebounce, qOverload<>(&QTimer::start));
    connect(m_document, &ProfileDocument::loaded, this, &MainWindow::refreshSettings);
    connect(m_document, &ProfileDocument::dirtyChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ProfileDocument::filesChanged, this, &MainWindow::updateTitle);

    connect(m_controller, &RunController::engineCreated, m_health, &HealthEndpoint::attach);
    for (const HealthForm *form : findChildren<HealthForm *>())
        connect(form, &HealthForm::windowServerChanged, this, &MainWindow::refreshSettings);
    connect(m_controller, &RunController::runStarted, m_runTables,
            [this](const QString &, const QStringList &tables) { m_runTables->onRunStarted(tables); });
    connect(m_controller, &RunController::tableSyncStarted, m_runTables, &RunTableModel::onTableStarted);
    connect(m_controller, &RunController::batchCommitted, m_runTables,
            [this](const QString &table, qint64, qint64 soFar, qint64 estimate) {
                m_runTables->onBatchCommitted(table, soFar, estimate);
            });
    connect(m_controller, &RunController::tableSyncFinished, m_runTables, &RunTableModel::onTableFinished);
    connect(m_controller, &RunController::runFinished, this, [this](const RunSummary &summary) {
        m_runTables->onRunFinished();
        const int configured = int(m_controller->settings().tables.size());
        m_history->addRun(m_controller->lastRunStartedAt(), summary, configured);
        m_journal.appendRun({m_controller->lastRunStartedAt(), summary, configured});
        if (!summary.refusedLogin.isEmpty() && !m_controller->isSchedulePaused()) {
            // Every attempt counts against the account (lockout, max_password_errors): no more
            // until the user has fixed the login and resumes.
            m_pause->setChecked(true);
            m_banner->showMessage(MessageBanner::Kind::Error, tr("Login refused: the schedule is paused"),
                                  summary.refusedLogin +
                                      tr(".\nFurther attempts would count against the account, so none is made "
                                         "until you fix it and resume the schedule (or click Run now)."));
        }
    });
    // The profile's history and log live on across restarts (ProfileJournal); a profile saved
    // under a new name keeps what is on screen and journals from then on in its new place.
    connect(m_log, &LogModel::appended, this, [this](const LogModel::Line &line) { m_journal.appendLog(line); });
    connect(m_document, &ProfileDocument::filesChanged, this,
            [this] { m_journal = ProfileJournal(m_document->envPath()); });
    connect(m_document, &ProfileDocument::loaded, this, [this] {
        ++m_documentGeneration;
        m_history->setRuns(m_journal.loadRuns());
        m_log->setLines(m_journal.loadLog());
        m_runTables->restoreLastSuccesses(m_history->lastSuccesses());
    });
    connect(m_controller, &RunController::stateChanged, this, &MainWindow::updateRunActions);
    // Once both are idle; queued, so the run's own runFinished handlers (history, journal) have
    // seen it first (a stopped run finishes before its engine says it stopped).
    connect(m_controller, &RunController::stateChanged, this, &MainWindow::continueAfterRunsStopped,
            Qt::QueuedConnection);
    connect(m_verifier, &VerifyController::stateChanged, this, &MainWindow::continueAfterRunsStopped,
            Qt::QueuedConnection);
    connect(m_controller, &RunController::scheduleChanged, this, &MainWindow::updateRunActions);
    connect(m_tray, &TrayController::statusChanged, this, &MainWindow::updateStatusBar);
    connect(m_tray, &TrayController::activated, m_showWindow, &QAction::trigger);
    connect(m_controller, &RunController::shutDownFinished, this, [this] {
        // Passwords handed to the keychain are written before the process ends.
        if (m_passwords->pendingWrites() > 0)
            connect(m_passwords, &PasswordStore::writesFinished, qApp, &QApplication::quit);
        else
            QApplication::quit();
    });

    m_passwords->probe();
    WheelGuard::protect(this);
    restoreWindowState();
    const QList<GuiSettings::RecentProfile> recent = GuiSettings::recentProfiles();
    if (!envPath.isEmpty())
        openProfile(envPath, tablesPath.isEmpty() ? ProfilePair::tablesPathToOpen(envPath) : tablesPath);
    else if (!recent.isEmpty() && QFileInfo::exists(recent.first().envPath))
        openProfile(recent.first().envPath, recent.first().tablesPath);
    else
        newProfile();
}

MainWindow::~MainWindow()
{
    saveWindowState();
    // Closing the window below may still commit an open cell editor: this object must not hear of it.
    for (QObject *sender :
         std::initializer_list<QObject *>{m_document, m_document->tables(), m_controller, m_tray, m_passwords})
        sender->disconnect(this);
}

void MainWindow::createActions()
{
    const auto action = [this](const QString &icon, const QString &text, const QKeySequence &shortcut,
                               const QString &tip) {
        auto *a = new QAction(icon.isEmpty() ? QIcon() : Icons::get(icon), text, this);
        a->setShortcut(shortcut);
        a->setToolTip(shortcut.isEmpty() ? tip : tip + u" ("_qs + shortcut.toString(QKeySequence::NativeText) + u')');
        a->setStatusTip(tip);
        return a;
    };
    m_new = action(u"action-new"_qs, tr("&New profile"), QKeySequence::New, tr("Start an empty profile"));
    m_open = action(u"action-open"_qs, tr("&Open profile…"), QKeySequence::Open, tr("Open a .env and tables.json"));
    m_save = action(u"action-save"_qs, tr("&Save"), QKeySequence::Save, tr("Save the .env and tables.json"));
    m_saveAs = action(QString(), tr("Save &as…"), QKeySequence::SaveAs, tr("Save the profile to new files"));
    m_quit = action(QString(), tr("&Quit"), QKeySequence::Quit, tr("Stop syncing and quit tablesync"));
    // Some platform themes bind no key to these standard keys; the documented ones always work.
    for (const auto &[a, key] : {std::pair{m_saveAs, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
                                 std::pair{m_quit, QKeySequence(Qt::CTRL | Qt::Key_Q)}}) {
        QList<QKeySequence> keys = a->shortcuts();
        keys.removeAll(QKeySequence());
        if (!keys.contains(key))
            keys << key;
        a->setShortcuts(keys);
    }
    m_runNow = action(u"action-run"_qs, tr("&Run now"), QKeySequence(Qt::Key_F5), tr("Sync every table now"));
    m_runNow->setObjectName(u"runNowAction"_qs);
    m_runNow->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_stop = action(u"action-stop"_qs, tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                    tr("Finish the batches in flight, then stop"));
    m_pause = action(u"action-pause"_qs, tr("&Pause schedule"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
                     tr("Stop starting scheduled runs until resumed"));
    m_pause->setCheckable(true);
    m_discover = action(u"action-discover"_qs, tr("&Discover tables"), QKeySequence(Qt::CTRL | Qt::Key_D),
                        tr("List the source's tables"));
    m_preview = action(u"action-eye"_qs, tr("Pre&view next run…"), QKeySequence(Qt::CTRL | Qt::Key_L),
                       tr("Show what the next run would do to each target table, without writing anything"));
    m_preview->setObjectName(u"previewAction"_qs);
    connect(m_preview, &QAction::triggered, this, &MainWindow::previewRun);
    m_showWindow = action(u"tablesync"_qs, tr("&Open tablesync"), QKeySequence(), tr("Show the window"));
    m_verifyActions = new VerifyActions(
        m_verifier, m_controller, m_verifyReport,
        [this](const QString &title, const QString &text, QMessageBox::StandardButtons buttons) {
            return confirm(title, text, buttons);
        },
        this);
    // Like Run now: what is on screen is verified, including edits of the last moment.
    connect(m_verifyActions, &VerifyActions::startRequested, this, [this] {
        m_settingsDebounce->stop();
        refreshSettings();
    });
    connect(m_verifier, &VerifyController::verificationStarted, this, [this] { showPage(VerifyPageIndex); });

    connect(m_new, &QAction::triggered, this, [this] {
        if (maybeSave())
            afterStoppingRuns(tr("Stop it and start a new profile?"), [this] {
                if (maybeSave())
                    newProfile();
            });
    });
    connect(m_open, &QAction::triggered, this, &MainWindow::openProfileDialog);
    connect(m_save, &QAction::triggered, this, &MainWindow::saveProfile);
    connect(m_saveAs, &QAction::triggered, this, &MainWindow::saveProfileAsDialog);
    connect(m_quit, &QAction::triggered, this, &MainWindow::requestQuit);
    connect(m_runNow, &QAction::triggered, this, &MainWindow::runNow);
    connect(m_stop, &QAction::triggered, m_controller, &RunController::stop);
    connect(m_pause, &QAction::toggled, m_controller, &RunController::setSchedulePaused);
    connect(m_showWindow, &QAction::triggered, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
}

void MainWindow::createPages()
{
    m_connections = new ConnectionsPage(m_document, m_tasks, m_passwords, this);
    m_tablesPage = new TablesPage(m_document, m_tasks, this);
    m_monitor = new RunMonitorPage(m_controller, m_runTables, m_history, m_runNow, m_stop, m_pause, this);
    m_pool = new PoolPage(m_controller, this);
    m_logPage = new LogPage(m_log, this);
    m_verifyPage = new VerifyPage(m_verifier, m_verifyReport, m_verifyActions, this);
    connect(m_verifyPage, &VerifyPage::tablesPageRequested, this, [this] { showPage(TablesPageIndex); });
    connect(m_discover, &QAction::triggered, this, [this] {
        showPage(TablesPageIndex);
        m_tablesPage->discover();
    });
    connect(m_tablesPage, &TablesPage::previewRequested, this, &MainWindow::previewRun);
    connect(m_tablesPage, &TablesPage::connectionsRequested, this, [this] { showPage(ConnectionsPageIndex); });
    connect(m_monitor, &RunMonitorPage::tablesPageRequested, this, [this] { showPage(TablesPageIndex); });

    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(u"navigation"_qs);
    m_navigation->setAccessibleName(tr("Pages"));
    m_navigation->setIconSize(QSize(22, 22));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_pages = new QStackedWidget(this);
    const struct
    {
        const char16_t *icon;
        QString text;
        QWidget *page;
    } pages[] = {{u"nav-connections", tr("Connections"), m_connections},
                 {u"nav-tables", tr("Tables"), m_tablesPage},
                 {u"nav-monitor", tr("Run monitor"), m_monitor},
                 {u"nav-pool", tr("Pool"), m_pool},
                 {u"nav-log", tr("Log"), m_logPage},
                 {u"nav-verify", tr("Verify"), m_verifyPage}};
    int index = 0;
    for (const auto &p : pages) {
        auto *item = new QListWidgetItem(Icons::get(QString::fromUtf16(p.icon)), p.text, m_navigation);
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(p.text).arg(index + 1));
        item->setSizeHint(QSize(0, 40));
        m_pages->addWidget(p.page);
        auto *shortcut = new QAction(this);
        shortcut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
        connect(shortcut, &QAction::triggered, this, [this, index] { showPage(Page(index)); });
        addAction(shortcut);
        ++index;
    }
    // Wide enough for the longest label beside its icon, in the user's font.
    int widest = 0;
    for (const auto &p : pages)
        widest = std::max(widest, m_navigation->fontMetrics().horizontalAdvance(p.text));
    m_navigation->setFixedWidth(widest + m_navigation->iconSize().width() + 40);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(u"windowBanner"_qs);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(m_pages, 1);
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    layout->addWidget(right, 1);
    setCentralWidget(central);

    m_statusIcon = new QLabel(this);
    m_statusText = new QLabel(this);
    m_statusText->setObjectName(u"statusText"_qs);
    m_statusProfile = new QLabel(this);
    m_statusProfile->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long texts (a path, a problem) must never push into each other: the state takes what is
    // left and is cut there (the whole text is in its tooltip), the profile's path is elided in
    // the middle.
    m_statusText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(m_statusIcon);
    statusBar()->addWidget(m_statusText, 1);
    statusBar()->addPermanentWidget(m_statusProfile);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_new);
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addSeparator();
    auto *close = file->addAction(tr("&Close window"), QKeySequence::Close, this, &QWidget::close);
    close->setStatusTip(tr("Close the window; with a system tray, syncing goes on in the background"));
    file->addAction(m_quit);
    QMenu *sync = menuBar()->addMenu(tr("&Sync"));
    sync->addAction(m_runNow);
    sync->addAction(m_stop);
    sync->addAction(m_pause);
    sync->addAction(m_preview);
    sync->addSeparator();
    sync->addAction(m_verifyActions->verifyAllAction());
    sync->addAction(m_verifyActions->verifySelectedAction());
    sync->addAction(m_verifyActions->repairAction());
    sync->addAction(m_verifyActions->stopAction());
    sync->addSeparator();
    sync->addAction(m_discover);
    rebuildRecentMenu();

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"mainToolbar"_qs);
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(20, 20));
    toolbar->addAction(m_new);
    toolbar->addAction(m_open);
    toolbar->addAction(m_save);
    toolbar->addSeparator();
    toolbar->addAction(m_runNow);
    toolbar->addAction(m_stop);
    toolbar->addAction(m_pause);
    toolbar->addSeparator();
    toolbar->addAction(m_verifyActions->verifyAllAction());
    toolbar->addSeparator();
    toolbar->addAction(m_discover);
}

void MainWindow::refreshSettings()
{
    ConfigErrors errors;
    const Settings settings = m_document->settings(errors);
    QString problem;
    const int tableErrors = m_document->tables()->count(TableIssue::Severity::Error);
    if (!errors.isEmpty())
        problem = errors.size() == 1
                      ? errors.first().toString()
                      : tr("%1 problems in the profile; the Connections and Tables pages show them").arg(errors.size());
    else if (tableErrors > 0)
        problem = plural(tableErrors, tr("%1 table entry problem; see the Tables page"),
                         tr("%1 table entry problems; see the Tables page"));
    m_controller->setSettings(settings, problem);
    if (problem.isEmpty()) {
        const QString healthNote = m_health->apply(settings);
        if (!healthNote.isEmpty())
            statusBar()->showMessage(healthNote, 8000);
    }
    QList<std::pair<QString, QString>> tables;
    QStringList names;
    for (const TableSpec &spec : settings.tables) {
        tables.append({spec.table, spec.isIncremental() ? tr("incremental") : tr("full refresh")});
        names << spec.table;
    }
    m_runTables->setTables(tables);
    m_runTables->restoreLastSuccesses(m_history->lastSuccesses());
    m_verifyReport->setTables(names);
    updateRunActions();
}

void MainWindow::previewRun()
{
    m_settingsDebounce->stop();
    refreshSettings(); // what is on screen, including edits of the last moment
    if (!m_controller->problem().isEmpty() || m_controller->settings().tables.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Warning, tr("Nothing to preview"),
                              m_controller->problem().isEmpty() ? tr("No tables are configured.")
                                                                : m_controller->problem());
        return;
    }
    if (!m_planDialog) {
        m_planDialog = new PlanDialog(this);
        connect(m_planDialog, &PlanDialog::againRequested, this, &MainWindow::previewRun);
    }
    m_planDialog->start(m_controller->settings());
    m_planDialog->show();
    m_planDialog->raise();
    m_planDialog->activateWindow();
}

void MainWindow::runNow()
{
    m_settingsDebounce->stop();
    refreshSettings(); // the run uses what is on screen, including edits of the last moment
    if (!m_controller->canRun()) {
        if (!m_controller->problem().isEmpty())
            m_banner->showMessage(MessageBanner::Kind::Warning, tr("Nothing was synced"), m_controller->problem());
        return;
    }
    showPage(MonitorPageIndex);
    m_controller->runNow();
}

void MainWindow::requestQuit()
{
    if (m_quitting || m_savingToKeychain || !maybeSave())
        return;
    if (m_controller->isRunning() || m_verifier->isRunning()) { // never both at once
        const bool syncing = m_controller->isRunning();
        const auto answer = confirm(
            syncing ? tr("A sync is running") : tr("A verification is running"),
            syncing ? tr("Quit anyway? The batches in flight are committed first, and the next run resumes from there.")
                    : tr("Quit anyway? The chunk being compared finishes first (a repair commits chunk by chunk)."),
            QMessageBox::Yes | QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_verifier->stop();
    m_quitting = true;
    saveWindowState();
    statusBar()->showMessage(tr("Stopping…"));
    m_controller->shutDown(); // shutDownFinished quits
}

void MainWindow::fitOnScreen()
{
    if (!screen())
        return;
    const QRect available = screen()->availableGeometry();
    // The frame (title bar, borders) is known once the window system has the window; before
    // that the margins are zero and only the inside is fitted.
    const QRect inner = geometry();
    const QRect outer = frameGeometry();
    const QMargins frame(inner.left() - outer.left(), inner.top() - outer.top(), outer.right() - inner.right(),
                         outer.bottom() - inner.bottom());
    const QSize room = available.marginsRemoved(frame).size();
    setMinimumSize(minimumSize().boundedTo(room));
    if (width() > room.width() || height() > room.height())
        resize(size().boundedTo(room));
    const QRect fitted = frameGeometry();
    if (!available.contains(fitted)) {
        // move() places the frame's top-left corner.
        move(std::clamp(fitted.left(), available.left(),
                        std::max(available.left(), available.right() + 1 - fitted.width())),
             std::clamp(fitted.top(), available.top(),
                        std::max(available.top(), available.bottom() + 1 - fitted.height())));
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // The first time only (coming back from the tray, the window stays where the user put it),
    // once the frame is known: on X11 it may arrive a moment later, hence once more after.
    if (m_fittedOnScreen || isMaximized() || isFullScreen())
        return;
    m_fittedOnScreen = true;
    fitOnScreen();
    QTimer::singleShot(0, this, [this] {
        if (!isMaximized() && !isFullScreen())
            fitOnScreen();
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    if (m_quitting || !m_tray->isAvailable()) {
        if (m_quitting) {
            event->accept();
            return;
        }
        event->ignore();
        requestQuit();
        return;
    }
    // With a tray, closing the window is not quitting: the schedule goes on.
    event->ignore();
    hide();
    if (!GuiSettings::trayNoticeShown()) {
        m_tray->notify(tr("tablesync keeps running"),
                       tr("Syncs go on in the background. Open the window or quit from the tray icon's menu."));
        GuiSettings::setTrayNoticeShown(true);
    }
}

void MainWindow::showPage(Page page)
{
    m_navigation->setCurrentRow(int(page));
    m_pages->setCurrentIndex(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — tablesync").arg(m_document->displayName()));
    setWindowModified(m_document->isDirty());
    const QString files =
        m_document->hasFiles() ? QDir::toNativeSeparators(m_document->tablesPath()) : tr("not saved yet");
    constexpr int kMostPathPixels = 360;
    m_statusProfile->setText(m_statusProfile->fontMetrics().elidedText(files, Qt::ElideMiddle, kMostPathPixels));
    m_statusProfile->setToolTip(files);
}

void MainWindow::updateRunActions()
{
    m_runNow->setEnabled(m_controller->canRun());
    m_runNow->setToolTip(m_controller->problem().isEmpty() ? tr("Sync every table now (F5)")
                                                           : tr("Cannot sync: %1").arg(m_controller->problem()));
    m_stop->setEnabled(m_controller->state() == RunController::State::Running);
    m_pause->setEnabled(m_controller->settings().intervalSeconds > 0);
    m_pause->setText(m_controller->isSchedulePaused() ? tr("Resume &schedule") : tr("&Pause schedule"));
    m_pause->setIcon(Icons::get(m_controller->isSchedulePaused() ? u"action-run"_qs : u"action-pause"_qs));
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    static const char16_t *const icons[] = {u"state-idle", u"state-running", u"state-failed", u"state-paused"};
    const auto status = m_tray->status();
    m_statusIcon->setPixmap(Icons::get(QString::fromUtf16(icons[int(status)])).pixmap(16, 16));
    const QString text = m_tray->toolTip().section(u'\n', 0, 0).section(u": "_qs, 1);
    m_statusText->setText(text);
    m_statusText->setToolTip(text);
}

void MainWindow::saveWindowState()
{
    GuiSettings::setWindowGeometry(saveGeometry());
    GuiSettings::setWindowState(QMainWindow::saveState());
    GuiSettings::setLastPage(int(currentPage()));
    GuiSettings::setSplitterState(u"tables"_qs, m_tablesPage->splitter()->saveState());
    GuiSettings::setSplitterState(u"monitor"_qs, m_monitor->splitter()->saveState());
    GuiSettings::setSplitterState(u"verify"_qs, m_verifyPage->splitter()->saveState());
}

void MainWindow::restoreWindowState()
{
    // Never larger than the screen it opens on (a 1024x700 laptop panel, say), even when the
    // saved geometry came from a bigger one.
    const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1100, 720);
    setMinimumSize(std::min(900, available.width()), std::min(600, available.height()));
    if (!restoreGeometry(GuiSettings::windowGeometry()))
        resize(std::min(1100, available.width()), std::min(720, available.height()));
    fitOnScreen();
    QMainWindow::restoreState(GuiSettings::windowState());
    m_tablesPage->splitter()->restoreState(GuiSettings::splitterState(u"tables"_qs));
    m_monitor->splitter()->restoreState(GuiSettings::splitterState(u"monitor"_qs));
    m_verifyPage->splitter()->restoreState(GuiSettings::splitterState(u"verify"_qs));
}

} // namespace tablesync
