#pragma once

#include "LogModel.h"
#include "sync/SyncTypes.h"

#include <QDateTime>
#include <QFile>
#include <QList>
#include <QString>

#include <memory>

namespace tablesync {

// What the desktop app remembers of one profile across restarts: its run history and its log,
// in the app's data directory (~/.local/share/tablesync/profiles/<id>/ on Linux), one folder per
// profile named after a hash of the .env's absolute path (profile.txt in it names the .env).
// Both files are rotated: history.jsonl keeps the newest kKeptRuns runs, tablesync.log is
// renamed to tablesync.log.1 (and that to .2) once it passes kLogBytes. The log is plain text
// a person can read and `tail -f`, one line per entry, in the Log page's format.
class ProfileJournal
{
public:
    static constexpr int kKeptRuns = 200;
    static constexpr qint64 kLogBytes = 4 * 1024 * 1024;
    static constexpr int kLinesLoaded = 5000;

    struct Run
    {
        QDateTime started;
        RunSummary summary; // the fields the history shows: tables with outcome, rows and error
        int configuredTables = 0;
    };

    // No files yet: nothing is remembered (an unsaved profile).
    ProfileJournal() = default;
    explicit ProfileJournal(const QString &envPath);

    bool isOpen() const { return !m_dir.isEmpty(); }
    QString directory() const { return m_dir; }
    QString logPath() const;

    void appendRun(const Run &run);
    // Oldest first.
    QList<Run> loadRuns() const;
    void appendLog(const LogModel::Line &line);
    // The newest lines, oldest first; lines that do not parse are skipped.
    QList<LogModel::Line> loadLog(int maxLines = kLinesLoaded) const;

    // One log line as written to the file, and back.
    static QString formatLine(const LogModel::Line &line);
    static std::optional<LogModel::Line> parseLine(const QString &text);

private:
    QString historyPath() const;

    QString m_dir;
    std::unique_ptr<QFile> m_log; // kept open between lines: a sync logs many
};

} // namespace tablesync
