#pragma once

#include "TestSandbox.h"

// Helpers for the GUI tests: a private settings location per test run and profile files.

#include "config/ProfileWriter.h"
#include "config/Settings.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMap>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace tablesync::test {

// Points QSettings at a fresh temporary directory, so tests never read or write the user's
// settings and always start from the defaults. Call it before creating a window.
inline void useTemporarySettings(const QTemporaryDir &dir)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"tablesync-tests"_qs);
    // One data directory per test program (test mode keeps it under ~/.qttest), emptied here: the
    // profiles' remembered runs and logs (ProfileJournal) start afresh for every test function,
    // and test programs running side by side never share one.
    QCoreApplication::setApplicationName(u"tablesync-gui-tests-"_qs +
                                         QFileInfo(QCoreApplication::applicationFilePath()).fileName());
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QSettings().clear();
}

inline void writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
    file.write(text);
}

inline QByteArray readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// A .env for `settings`' two servers (passwords included), as a user would write it.
inline QByteArray envFor(const Settings &settings)
{
    QMap<QString, QString> values;
    for (const auto &[prefix, c] :
         {std::pair{u"SOURCE_DB_"_qs, &settings.source}, std::pair{u"TARGET_DB_"_qs, &settings.target}}) {
        values.insert(prefix + u"HOST"_qs, c->host);
        values.insert(prefix + u"PORT"_qs, QString::number(c->port));
        values.insert(prefix + u"USER"_qs, c->user);
        values.insert(prefix + u"PASS"_qs, c->password);
        values.insert(prefix + u"NAME"_qs, c->database);
    }
    values.insert(u"INTERVAL"_qs, u"0"_qs);
    values.insert(u"HEALTH_PORT"_qs, QString::number(freePort())); // the headless service's port
    return u"# written by a GUI test\n"_qs.toUtf8() + ProfileWriter::renderEnv({}, values);
}

// Presses Enter in the next modal message box, as a person in a hurry would, and remembers which
// button that chose (the box's default): for checking that Enter gives the safe answer. Create it
// just before the action that opens the box; it must outlive that action.
class EnterInNextMessageBox
{
public:
    explicit EnterInNextMessageBox(QObject *context)
    {
        QTimer::singleShot(0, context, [this] {
            QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            m_pressed = box->standardButton(box->defaultButton());
            QTest::keyClick(box, Qt::Key_Return);
        });
    }
    QMessageBox::StandardButton pressed() const { return m_pressed; }

private:
    QMessageBox::StandardButton m_pressed = QMessageBox::NoButton;
};

} // namespace tablesync::test
