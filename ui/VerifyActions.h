#pragma once

#include <QMessageBox>
#include <QObject>
#include <QStringList>

#include <functional>

class QAction;

namespace tablesync {

class RunController;
class VerifyController;
class VerifyReportModel;

// The window's Verify, Verify selected, Repair and Stop verification actions (menu, toolbar and
// the Verify page's buttons): enabled only when they can run, i.e. no sync or verification is in
// flight and the profile is valid. Repair asks first, saying how many rows it will rewrite and
// delete in the target.
class VerifyActions : public QObject
{
    Q_OBJECT
public:
    using Confirm = std::function<QMessageBox::StandardButton(const QString &title, const QString &text,
                                                              QMessageBox::StandardButtons buttons)>;

    VerifyActions(VerifyController *verifier, RunController *runs, VerifyReportModel *report, Confirm confirm,
                  QObject *parent = nullptr);

    QAction *verifyAllAction() const { return m_verifyAll; }
    QAction *verifySelectedAction() const { return m_verifySelected; }
    QAction *repairAction() const { return m_repair; }
    QAction *stopAction() const { return m_stop; }

    // The tables selected on the Verify page, for Verify selected.
    void setSelectedTables(const QStringList &tables);

    void verify(const QStringList &tables);
    void repair();

Q_SIGNALS:
    // Before a verification starts: the window applies the edits of the last moment first.
    void startRequested();
    // Nothing was started, and why (the profile has a problem, ...).
    void startRefused(const QString &reason);

private:
    void updateEnabled();

    VerifyController *m_verifier = nullptr;
    RunController *m_runs = nullptr;
    VerifyReportModel *m_report = nullptr;
    Confirm m_confirm;
    QStringList m_selected;
    QAction *m_verifyAll = nullptr;
    QAction *m_verifySelected = nullptr;
    QAction *m_repair = nullptr;
    QAction *m_stop = nullptr;
};

} // namespace tablesync
