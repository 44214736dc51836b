#pragma once

// Renders a page in headless Chromium and returns its DOM after the scripts ran: the dashboard's
// tests see what a browser makes of it, fetches included.

#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace tablesync::test {

struct RenderedPage
{
    bool ok = false; // chromium was found and finished in time
    QString dom;
    QString log; // chromium's stderr, or why it did not run
};

// Waits with the event loop running, so a server in this thread can answer the browser.
inline RenderedPage renderInChromium(const QString &url)
{
    RenderedPage page;
    const QString chromium = QStandardPaths::findExecutable(u"chromium"_qs);
    if (chromium.isEmpty()) {
        page.log = u"chromium is not installed (scripts/install-deps.sh installs it)"_qs;
        return page;
    }
    QTemporaryDir profile;
    QProcess browser;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_qs, profile.path()); // crash reports and caches stay in the temporary directory
    browser.setProcessEnvironment(env);
    // --virtual-time-budget lets the page's fetch of /status and its rendering finish before the dump.
    browser.start(chromium,
                  {u"--headless"_qs, u"--no-sandbox"_qs, u"--disable-gpu"_qs, u"--disable-quic"_qs,
                   u"--no-first-run"_qs, u"--disable-background-networking"_qs, u"--disable-component-update"_qs,
                   u"--disable-sync"_qs, u"--user-data-dir="_qs + profile.path(), u"--virtual-time-budget=5000"_qs,
                   u"--dump-dom"_qs, url});
    QSignalSpy finished(&browser, &QProcess::finished);
    if (!finished.wait(120000)) {
        browser.kill();
        browser.waitForFinished();
        page.log = u"chromium did not finish within 2 minutes"_qs;
        return page;
    }
    page.ok = true;
    page.dom = QString::fromUtf8(browser.readAllStandardOutput());
    page.log = QString::fromUtf8(browser.readAllStandardError()).right(2000);
    return page;
}

} // namespace tablesync::test
