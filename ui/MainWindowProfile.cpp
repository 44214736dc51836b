// MainWindow, continued: opening and saving profiles (the .env and tables.json pair), the recent
// list, and asking before unsaved changes are lost. In a file of its own to keep MainWindow.cpp
// about the window's parts and how they are wired.
#include "MainWindow.h"

#include "GuiSettings.h"
#include "MessageBanner.h"
#include "PasswordStore.h"
#include "Plural.h"
#include "ProfileDocument.h"
#include "ProfilePair.h"
#include "RunController.h"
#include "TableListModel.h"
#include "VerifyController.h"
#include "config/ProfileFiles.h"

#include <QAction>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QProgressDialog>
#include <QScopeGuard>
#include <QStatusBar>

#include <utility>

namespace tablesync {

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QList<GuiSettings::RecentProfile> recent = GuiSettings::recentProfiles();
    for (const GuiSettings::RecentProfile &profile : recent) {
        QAction *a = m_recentMenu->addAction(QDir::toNativeSeparators(profile.envPath));
        a->setToolTip(QDir::toNativeSeparators(profile.tablesPath));
        connect(a, &QAction::triggered, this,
                [this, profile] { requestOpenProfile(profile.envPath, profile.tablesPath); });
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear the list"), this, [this] {
            GuiSettings::clearRecentProfiles();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QMessageBox::StandardButton MainWindow::confirm(const QString &title, const QString &text,
                                                QMessageBox::StandardButtons buttons)
{
    if (m_confirm)
        return m_confirm(title, text, buttons);
    // Enter must not approve what changes files or the target: where Cancel is offered it is the
    // default, except beside Discard (unsaved changes), where Save is.
    const bool cautious = buttons.testFlag(QMessageBox::Cancel) && !buttons.testFlag(QMessageBox::Discard);
    return QMessageBox::question(this, title, text, buttons, cautious ? QMessageBox::Cancel : QMessageBox::NoButton);
}

void MainWindow::newProfile()
{
    m_banner->hide();
    m_document->newProfile();
    showPage(ConnectionsPageIndex);
}

bool MainWindow::openProfile(const QString &envPath, const QString &tablesPath)
{
    m_afterRunsStop = {}; // whatever waited for a stop, this profile replaces it
    const ConfigErrors errors = m_document->open(envPath, tablesPath);
    GuiSettings::addRecentProfile({QFileInfo(envPath).absoluteFilePath(), QFileInfo(tablesPath).absoluteFilePath()});
    rebuildRecentMenu();
    if (errors.isEmpty()) {
        m_banner->hide();
    } else {
        QStringList lines;
        for (const ConfigError &e : errors)
            lines << e.toString();
        m_banner->showMessage(MessageBanner::Kind::Warning,
                              plural(errors.size(),
                                     tr("The profile opened with %1 problem; what could be read is shown"),
                                     tr("The profile opened with %1 problems; what could be read is shown")),
                              lines.join(u'\n'));
    }
    const int page = GuiSettings::lastPage();
    showPage(Page(page >= 0 && page < PageCount ? page : ConnectionsPageIndex));
    return errors.isEmpty();
}

void MainWindow::openProfileDialog()
{
    if (!maybeSave())
        return;
    // .env files are hidden files on Linux: the dialog must show them.
    QFileDialog dialog(this, tr("Open a profile: choose its .env file"));
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setFilter(dialog.filter() | QDir::Hidden);
    dialog.setNameFilters({tr("Environment files (*.env .env*)"), tr("All files (*)")});
    if (m_document->hasFiles())
        dialog.setDirectory(QFileInfo(m_document->envPath()).absolutePath());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString env = dialog.selectedFiles().first();
    const QString tables = ProfilePair::tablesPathToOpen(env);
    if (!QFileInfo::exists(tables)) {
        // Opened anyway: the Tables page says the file is missing, and Save creates it.
        statusBar()->showMessage(tr("No tables file beside %1 yet; saving creates %2")
                                     .arg(QDir::toNativeSeparators(env), QDir::toNativeSeparators(tables)),
                                 8000);
    }
    requestOpenProfile(env, tables);
}

void MainWindow::requestOpenProfile(const QString &envPath, const QString &tablesPath)
{
    if (!maybeSave())
        return;
    afterStoppingRuns(tr("Stop it and open %1?").arg(QDir::toNativeSeparators(envPath)), [this, envPath, tablesPath] {
        if (maybeSave()) // edits made while the run was stopping
            openProfile(envPath, tablesPath);
    });
}

void MainWindow::afterStoppingRuns(const QString &question, std::function<void()> next)
{
    if (!m_controller->isRunning() && !m_verifier->isRunning()) {
        next();
        return;
    }
    const bool syncing = m_controller->isRunning(); // never both at once
    const auto answer =
        confirm(syncing ? tr("A sync is running") : tr("A verification is running"),
                question + u' ' +
                    (syncing ? tr("The batches in flight are committed first, and the next run resumes from there.")
                             : tr("The chunk being compared finishes first (a repair commits chunk by chunk).")),
                QMessageBox::Yes | QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    if (!m_controller->isRunning() && !m_verifier->isRunning()) { // it ended while the question was open
        next();
        return;
    }
    m_afterRunsStop = std::move(next);
    statusBar()->showMessage(syncing ? tr("Stopping the sync…") : tr("Stopping the verification…"));
    m_controller->stop();
    m_verifier->stop();
}

void MainWindow::continueAfterRunsStopped()
{
    if (!m_afterRunsStop || m_controller->isRunning() || m_verifier->isRunning())
        return;
    statusBar()->clearMessage();
    std::exchange(m_afterRunsStop, {})();
}

bool MainWindow::saveProfile()
{
    if (!m_document->hasFiles()) {
        saveProfileAsDialog();
        return !m_document->isDirty();
    }
    return saveProfileAs(m_document->envPath(), m_document->tablesPath());
}

bool MainWindow::saveProfileAs(const QString &envPath, const QString &tablesPath)
{
    // An entry the headless service would refuse (or that would be lost when the file is read
    // again) is not written; an incomplete connection is, with a word of warning.
    const int tableErrors = m_document->tables()->count(TableIssue::Severity::Error);
    if (tableErrors > 0) {
        showPage(TablesPageIndex);
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            plural(tableErrors, tr("Not saved: %1 table entry problem"), tr("Not saved: %1 table entry problems")),
            tr("tablesync would refuse a tables.json with these entries. Fix the cells marked red "
               "on the Tables page, then save again."));
        return false;
    }
    if (m_savingToKeychain)
        return false; // a save waiting for the keychain is under way; it reports itself
    if (m_document->passwordStorage() == ProfileDocument::PasswordStorage::Keychain) {
        const quint64 generation = m_documentGeneration;
        const QString problem = storePasswordsInKeychain();
        if (generation != m_documentGeneration) {
            // Another profile was opened (or a new one started) while the keychain answered:
            // nothing of this one may go into those files.
            m_banner->showMessage(MessageBanner::Kind::Error, tr("The profile was not saved"),
                                  tr("Another profile was opened while the passwords were being stored."));
            return false;
        }
        if (!problem.isEmpty()) {
            // A .env saved without its passwords would work until the app restarts, then every
            // login would fail: nothing is written unless the passwords are somewhere for sure.
            const auto answer =
                confirm(tr("Passwords not stored"),
                        tr("The OS keychain did not store the passwords: %1.\n\nNothing was saved. Save the "
                           "passwords in the .env file instead (readable by you only)?")
                            .arg(problem),
                        QMessageBox::Save | QMessageBox::Cancel);
            if (answer != QMessageBox::Save) {
                m_banner->showMessage(MessageBanner::Kind::Error, tr("The profile was not saved"),
                                      tr("The OS keychain did not store the passwords: %1. The files on disk are "
                                         "unchanged. Choose \"In the .env file\" under Passwords on the Options "
                                         "page, or unlock the keychain, then save again.")
                                          .arg(problem));
                return false;
            }
            m_document->setPasswordStorage(ProfileDocument::PasswordStorage::EnvFile);
        }
    }
    const bool firstSave = !m_document->hasFiles();
    QString error;
    if (!m_document->saveAs(envPath, tablesPath, &error)) {
        m_banner->showMessage(MessageBanner::Kind::Error, tr("The profile was not saved"),
                              error + u"\n"_qs + tr("The files on disk are unchanged."));
        return false;
    }
    GuiSettings::addRecentProfile({QFileInfo(envPath).absoluteFilePath(), QFileInfo(tablesPath).absoluteFilePath()});
    rebuildRecentMenu();
    ConfigErrors errors;
    m_document->settings(errors);
    if (errors.isEmpty() && firstSave && !m_document->tables()->tables().isEmpty()) {
        // A new profile does not start writing to a server on its own: the first run creates
        // and alters tables in the target, which the user should see coming.
        m_pause->setChecked(true);
        m_banner->showMessage(MessageBanner::Kind::Info, tr("Saved. Syncing has not started yet"),
                              tr("The first run creates the %1 listed tables in %2 (or adds their missing columns) "
                                 "and copies their rows. Preview run (Ctrl+L) shows exactly what it will do; Run "
                                 "now (F5) starts it, and Resume schedule syncs every %3 s from then on.")
                                  .arg(m_document->tables()->tables().size())
                                  .arg(m_document->value(u"TARGET_DB_NAME"_qs))
                                  .arg(m_document->value(u"INTERVAL"_qs, u"60"_qs)));
    } else if (errors.isEmpty()) {
        m_banner->hide();
        const bool keychain = m_document->passwordStorage() == ProfileDocument::PasswordStorage::Keychain;
        statusBar()->showMessage((keychain ? tr("Saved %1 and %2 (readable by you only); the passwords are in the "
                                                "OS keychain, read back to be sure")
                                           : tr("Saved %1 and %2 (readable by you only)"))
                                     .arg(QDir::toNativeSeparators(envPath), QDir::toNativeSeparators(tablesPath)),
                                 6000);
    } else {
        m_banner->showMessage(
            MessageBanner::Kind::Warning, tr("Saved, but the profile is not complete yet"),
            tr("A headless run would refuse it until this is fixed: %1").arg(errors.first().toString()));
    }
    return true;
}

QString MainWindow::storePasswordsInKeychain()
{
    const QList<KeychainSecret> secrets = m_document->keychainSecrets();
    if (secrets.isEmpty())
        return {};
    // The keychain may ask the user to unlock it, which takes as long as it takes: the window
    // stays responsive behind a progress dialog that can be cancelled.
    // Shown at once and window-modal, so that nothing in the window acts meanwhile; the flag
    // covers what modality does not (the tray's menu).
    m_savingToKeychain = true;
    const auto done = qScopeGuard([this] { m_savingToKeychain = false; });
    KeychainSave *save = m_passwords->save(secrets);
    QProgressDialog progress(tr("Storing the passwords in the OS keychain…"), tr("Cancel"), 0, 0, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(0);
    progress.show();
    QEventLoop loop;
    QString problem = tr("cancelled");
    connect(save, &KeychainSave::finished, &loop, [&](const QString &answer) {
        problem = answer;
        loop.quit();
    });
    connect(&progress, &QProgressDialog::canceled, &loop, &QEventLoop::quit);
    loop.exec();
    return problem;
}

void MainWindow::saveProfileAsDialog()
{
    QString start = m_document->envPath();
    if (start.isEmpty()) {
        start = ProfilePair::proposedEnvPath(m_document->value(u"SOURCE_DB_NAME"_qs),
                                             m_document->value(u"TARGET_DB_NAME"_qs));
        QDir().mkpath(QFileInfo(start).absolutePath());
    }
    const QString env = m_chooseSaveFile
                            ? m_chooseSaveFile(start)
                            : QFileDialog::getSaveFileName(this, tr("Save the profile's .env file"), start,
                                                           tr("Environment files (*.env .env*);;All files (*)"));
    if (env.isEmpty())
        return;
    // Each .env gets a tables file of its own: two profiles in one folder never share their tables.
    const QString tables = ProfileFiles::tablesPathFor(env);
    if (QFileInfo::exists(tables) &&
        QFileInfo(tables).absoluteFilePath() != QFileInfo(m_document->tablesPath()).absoluteFilePath()) {
        const auto answer = confirm(
            tr("Replace the tables file?"),
            tr("%1 already exists. Replace it with this profile's table list?").arg(QDir::toNativeSeparators(tables)),
            QMessageBox::Yes | QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    saveProfileAs(env, tables);
}

bool MainWindow::maybeSave()
{
    if (!m_document->isDirty())
        return true;
    const auto answer =
        confirm(tr("Unsaved changes"),
                tr("The profile %1 has changes that are not saved. Save them?").arg(m_document->displayName()),
                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return saveProfile();
    return answer == QMessageBox::Discard;
}

} // namespace tablesync
