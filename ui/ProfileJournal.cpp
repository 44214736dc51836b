#include "ProfileJournal.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextStream>

namespace tablesync {

namespace {

const QString kTimeFormat = u"yyyy-MM-dd HH:mm:ss.zzz"_qs;

// Fixed English words in the file, whatever the window's language: the file is parsed back.
QString levelWord(LogModel::Level level)
{
    switch (level) {
    case LogModel::Level::Warning:
        return u"WARNING"_qs;
    case LogModel::Level::Error:
        return u"ERROR"_qs;
    case LogModel::Level::Info:
        break;
    }
    return u"INFO"_qs;
}

QJsonObject toJson(const ProfileJournal::Run &run)
{
    QJsonArray tables;
    for (const TableResult &t : run.summary.tables) {
        QJsonObject table{{u"table"_qs, t.table},
                          {u"outcome"_qs, t.outcome == TableOutcome::Succeeded ? u"synced"_qs
                                          : t.outcome == TableOutcome::Failed  ? u"failed"_qs
                                                                               : u"stopped"_qs},
                          {u"rows"_qs, t.rowsWritten}};
        if (!t.error.isEmpty())
            table.insert(u"error"_qs, t.error);
        tables.append(table);
    }
    return {{u"started"_qs, run.started.toString(Qt::ISODateWithMs)},
            {u"elapsed_ms"_qs, run.summary.elapsedMs},
            {u"load_id"_qs, run.summary.loadId},
            {u"configured_tables"_qs, run.configuredTables},
            {u"tables"_qs, tables}};
}

std::optional<ProfileJournal::Run> fromJson(const QJsonObject &o)
{
    ProfileJournal::Run run;
    run.started = QDateTime::fromString(o.value(u"started"_qs).toString(), Qt::ISODateWithMs);
    if (!run.started.isValid())
        return std::nullopt;
    run.summary.elapsedMs = qint64(o.value(u"elapsed_ms"_qs).toDouble());
    run.summary.loadId = o.value(u"load_id"_qs).toString();
    run.configuredTables = o.value(u"configured_tables"_qs).toInt();
    for (const QJsonValue &value : o.value(u"tables"_qs).toArray()) {
        const QJsonObject t = value.toObject();
        TableResult result;
        result.table = t.value(u"table"_qs).toString();
        const QString outcome = t.value(u"outcome"_qs).toString();
        result.outcome = outcome == u"synced"   ? TableOutcome::Succeeded
                         : outcome == u"failed" ? TableOutcome::Failed
                                                : TableOutcome::Stopped;
        result.rowsWritten = qint64(t.value(u"rows"_qs).toDouble());
        result.error = t.value(u"error"_qs).toString();
        run.summary.tables << result;
    }
    return run;
}

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

void appendText(const QString &path, const QString &line)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // errors may quote data
        file.write((line + u'\n').toUtf8());
    }
}

} // namespace

ProfileJournal::ProfileJournal(const QString &envPath)
{
    if (envPath.isEmpty())
        return;
    const QString absolute = QFileInfo(envPath).absoluteFilePath();
    const QString id =
        QString::fromLatin1(QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir dir(base + u"/profiles/"_qs + id);
    if (!dir.mkpath(u"."_qs))
        return; // nothing is remembered, and nothing else breaks
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    m_dir = dir.path();
    QSaveFile name(dir.filePath(u"profile.txt"_qs));
    if (name.open(QIODevice::WriteOnly)) {
        name.write((absolute + u'\n').toUtf8());
        name.commit();
    }
}

QString ProfileJournal::historyPath() const
{
    return m_dir + u"/history.jsonl"_qs;
}

QString ProfileJournal::logPath() const
{
    return m_dir + u"/tablesync.log"_qs;
}

void ProfileJournal::appendRun(const Run &run)
{
    if (!isOpen())
        return;
    appendText(historyPath(), QString::fromUtf8(QJsonDocument(toJson(run)).toJson(QJsonDocument::Compact)));
    // Rewritten only now and then: once the file is large enough to hold more than is kept.
    constexpr qint64 kTrimAboveBytes = 2 * 1024 * 1024;
    if (QFileInfo(historyPath()).size() < kTrimAboveBytes)
        return;
    const QStringList lines = readLines(historyPath());
    if (lines.size() > kKeptRuns) {
        QSaveFile file(historyPath());
        if (file.open(QIODevice::WriteOnly)) {
            file.write((lines.mid(lines.size() - kKeptRuns).join(u'\n') + u'\n').toUtf8());
            file.commit();
        }
    }
}

QList<ProfileJournal::Run> ProfileJournal::loadRuns() const
{
    QList<Run> runs;
    if (!isOpen())
        return runs;
    const QStringList lines = readLines(historyPath());
    for (qsizetype i = std::max<qsizetype>(0, lines.size() - kKeptRuns); i < lines.size(); ++i) {
        if (const auto run = fromJson(QJsonDocument::fromJson(lines.at(i).toUtf8()).object()))
            runs << *run;
    }
    return runs;
}

QString ProfileJournal::formatLine(const LogModel::Line &line)
{
    QString text = line.time.toString(kTimeFormat) + u' ' + levelWord(line.level) + u' ';
    if (!line.table.isEmpty())
        text += u'[' + line.table + u"] "_qs;
    // One entry, one line: a server message with line breaks keeps them as \n.
    return text + QString(line.message).replace(u'\\', u"\\\\"_qs).replace(u'\n', u"\\n"_qs);
}

std::optional<LogModel::Line> ProfileJournal::parseLine(const QString &text)
{
    LogModel::Line line;
    line.time = QDateTime::fromString(text.left(kTimeFormat.size()), kTimeFormat);
    if (!line.time.isValid())
        return std::nullopt;
    qsizetype at = kTimeFormat.size() + 1;
    const qsizetype levelEnd = text.indexOf(u' ', at);
    if (levelEnd < 0)
        return std::nullopt;
    const QStringView level = QStringView(text).mid(at, levelEnd - at);
    line.level = level == u"ERROR"     ? LogModel::Level::Error
                 : level == u"WARNING" ? LogModel::Level::Warning
                                       : LogModel::Level::Info;
    at = levelEnd + 1;
    if (text.mid(at).startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"] "_qs, at);
        if (close > at) {
            line.table = text.mid(at + 1, close - at - 1);
            at = close + 2;
        }
    }
    QString message;
    const QString raw = text.mid(at);
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] == u'\\' && i + 1 < raw.size()) {
            message += raw[i + 1] == u'n' ? QChar(u'\n') : raw[i + 1];
            ++i;
        } else {
            message += raw[i];
        }
    }
    line.message = message;
    return line;
}

void ProfileJournal::appendLog(const LogModel::Line &line)
{
    if (!isOpen())
        return;
    if (m_log && m_log->size() > kLogBytes) {
        m_log.reset();
        QFile::remove(logPath() + u".2"_qs);
        QFile::rename(logPath() + u".1"_qs, logPath() + u".2"_qs);
        QFile::rename(logPath(), logPath() + u".1"_qs);
    }
    if (!m_log) {
        m_log = std::make_unique<QFile>(logPath());
        if (!m_log->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
            m_log.reset();
            return; // not remembered; the window's log still shows it
        }
        m_log->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // errors may quote data
    }
    m_log->write((formatLine(line) + u'\n').toUtf8());
    m_log->flush(); // `tail -f` sees each line as it comes
}

QList<LogModel::Line> ProfileJournal::loadLog(int maxLines) const
{
    QList<LogModel::Line> lines;
    if (!isOpen())
        return lines;
    // The newest lines may start in the file rotated last.
    QStringList text = readLines(logPath());
    if (text.size() < maxLines)
        text = readLines(logPath() + u".1"_qs) + text;
    for (qsizetype i = std::max<qsizetype>(0, text.size() - maxLines); i < text.size(); ++i) {
        if (const auto line = parseLine(text.at(i)))
            lines << *line;
    }
    return lines;
}

} // namespace tablesync
