#pragma once

#include "config/ConfigError.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace tablesync {

// A `.env` file as python-dotenv reads it (the old pipeline's files must keep working):
// `KEY=VALUE` lines, blank lines, `#` comment lines, an optional leading `export `,
// values optionally in single or double quotes (double quotes understand \n \t \" \\),
// and a `#` preceded by whitespace in an unquoted value starts a comment
// (so `PASS=ab#cd` keeps its `#`). Later lines override earlier ones.
class EnvFile
{
public:
    struct Entry
    {
        QString value;
        int line = 0;
    };

    // Parses `text`; problems are appended to `errors` naming `fileName` and the line.
    static EnvFile parse(const QByteArray &text, const QString &fileName, ConfigErrors &errors);
    // Reads and parses a file; a missing or unreadable file is an error.
    static EnvFile load(const QString &path, ConfigErrors &errors);

    QString fileName() const { return m_fileName; }
    bool contains(const QString &key) const { return m_entries.contains(key); }
    QString value(const QString &key, const QString &fallback = {}) const;
    int line(const QString &key) const { return m_entries.value(key).line; }
    QStringList keys() const;

    void set(const QString &key, const QString &value) { m_entries.insert(key, {value, 0}); }

    // Where the parts of one `KEY=VALUE # comment` line are, as this parser reads it. `key` is
    // empty for blank and comment lines and for a line without `=`. The raw value (its quotes
    // included, the comment and the blanks before it not) is line.mid(valueStart, valueEnd - valueStart).
    // Shared with the profile writer, which replaces values in place and keeps everything else.
    struct LineLayout
    {
        QString key;
        qsizetype valueStart = 0;
        qsizetype valueEnd = 0;
    };
    static LineLayout layout(const QString &line);

private:
    QString m_fileName;
    QHash<QString, Entry> m_entries;
};

} // namespace tablesync
