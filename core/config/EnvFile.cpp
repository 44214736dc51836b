#include "config/EnvFile.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

#include <algorithm>

namespace tablesync {

namespace {

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isValidKey(QStringView key)
{
    if (key.isEmpty())
        return false;
    auto isAsciiLetter = [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); };
    auto isAsciiDigit = [](QChar c) { return c >= u'0' && c <= u'9'; };
    if (!isAsciiLetter(key.front()) && key.front() != u'_')
        return false;
    return std::all_of(key.begin() + 1, key.end(),
                       [&](QChar c) { return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_' || c == u'.'; });
}

// Splits at \n, \r\n and a lone \r, as python-dotenv does, so files saved on any system read alike.
QList<QByteArray> splitLines(const QByteArray &text)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '\n' && text[i] != '\r')
            continue;
        lines << text.mid(start, i - start);
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    if (start < text.size())
        lines << text.mid(start);
    return lines;
}

// The result of reading one line: either nothing (blank/comment), a key and value, or an error.
struct ParsedLine
{
    QString key;
    QString value;
    QString error;
};

// The character a backslash escape inside double quotes stands for, or a null QChar.
QChar decodeEscape(QChar c)
{
    switch (c.unicode()) {
    case u'n':
        return u'\n';
    case u't':
        return u'\t';
    case u'r':
        return u'\r';
    case u'a':
        return u'\a';
    case u'b':
        return u'\b';
    case u'f':
        return u'\f';
    case u'v':
        return u'\v';
    case u'"':
    case u'\'':
    case u'\\':
        return c;
    default:
        return QChar();
    }
}

// Reads the rest of `line` after an opening quote at `open`. Returns the index of the closing
// quote, or -1 when the line ends first.
qsizetype readQuoted(const QString &line, qsizetype open, QString &value)
{
    const QChar quote = line[open];
    for (qsizetype i = open + 1; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == quote)
            return i;
        // Single quotes are literal; double quotes decode the escapes python-dotenv decodes.
        if (quote == u'"' && c == u'\\' && i + 1 < line.size()) {
            const QChar decoded = decodeEscape(line[i + 1]);
            if (decoded.isNull())
                value += QStringView(line).mid(i, 2); // unknown escape: kept as written, like dotenv
            else
                value += decoded;
            ++i;
            continue;
        }
        value += c;
    }
    return -1;
}

ParsedLine parseLine(const QString &line)
{
    ParsedLine result;
    const EnvFile::LineLayout layout = EnvFile::layout(line);
    if (layout.key.isEmpty()) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#'))
            return result;
        // The line is not echoed: it may well be a password pasted on its own line.
        if (!line.contains(u'=')) {
            result.error = u"expected KEY=VALUE, but the line has no \"=\""_qs;
            return result;
        }
    }
    if (!isValidKey(layout.key)) { // also `=value`, whose key is empty
        result.error = u"invalid key \""_qs + layout.key +
                       u"\": a key starts with a letter or \"_\" and has only letters, digits, \"_\" and \".\""_qs;
        return result;
    }
    result.key = layout.key;

    // EnvFile::layout skipped the blanks after `=` before looking at the value, as python-dotenv
    // does; so `KEY= #x` is the value "#x", while `KEY=a #x` is "a" followed by a comment.
    const qsizetype v = layout.valueStart;
    if (v < line.size() && (line[v] == u'"' || line[v] == u'\'')) {
        const QChar quote = line[v];
        const qsizetype close = readQuoted(line, v, result.value);
        if (close < 0) {
            result.error = (quote == u'"' ? u"unterminated double quote"_qs : u"unterminated single quote"_qs) +
                           u" (a quoted value must end on the same line)"_qs;
            return result;
        }
        qsizetype after = close + 1;
        while (after < line.size() && isBlank(line[after]))
            ++after;
        if (after < line.size() && line[after] != u'#')
            result.error = u"unexpected text after the closing quote (only a # comment may follow)"_qs;
        return result;
    }
    // Unquoted: a `#` starts a comment only after whitespace, so `PASS=ab#cd` keeps its `#`.
    result.value = line.mid(v, layout.valueEnd - v);
    return result;
}

} // namespace

EnvFile EnvFile::parse(const QByteArray &text, const QString &fileName, ConfigErrors &errors)
{
    EnvFile env;
    env.m_fileName = fileName;

    QByteArray body = text;
    if (body.startsWith("\xEF\xBB\xBF")) // editors on Windows like to add a UTF-8 BOM
        body.remove(0, 3);

    const QList<QByteArray> lines = splitLines(body);
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const int lineNumber = int(n + 1);
        const QString location = u"line "_qs + QString::number(lineNumber);

        // Decoded line by line so an encoding error names its line; a stray BOM mid-file is
        // kept as a character (and then rejected as part of a key) rather than silently dropped.
        QStringDecoder decoder(QStringConverter::Utf8,
                               QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
        const QString line = decoder.decode(lines[n]);
        if (decoder.hasError()) {
            errors << ConfigError{fileName, location, u"not valid UTF-8 text (save the file as UTF-8)"_qs};
            continue;
        }

        const ParsedLine parsed = parseLine(line);
        if (!parsed.error.isEmpty()) {
            errors << ConfigError{fileName, location, parsed.error};
            continue;
        }
        if (!parsed.key.isEmpty())
            env.m_entries.insert(parsed.key, {parsed.value, lineNumber});
    }
    return env;
}

EnvFile EnvFile::load(const QString &path, ConfigErrors &errors)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        errors << ConfigError{path, QString(), u"file not found (looked for "_qs + info.absoluteFilePath() + u')'};
        return parse(QByteArray(), path, errors);
    }
    if (info.isDir()) {
        errors << ConfigError{path, QString(), u"is a directory, not a .env file"_qs};
        return parse(QByteArray(), path, errors);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors << ConfigError{path, QString(), u"cannot read the file: "_qs + file.errorString()};
        return parse(QByteArray(), path, errors);
    }
    return parse(file.readAll(), path, errors);
}

QString EnvFile::value(const QString &key, const QString &fallback) const
{
    const auto it = m_entries.constFind(key);
    return it == m_entries.constEnd() ? fallback : it->value;
}

QStringList EnvFile::keys() const
{
    QStringList keys = m_entries.keys();
    keys.sort(); // QHash order is random; callers listing keys want a stable order
    return keys;
}

EnvFile::LineLayout EnvFile::layout(const QString &line)
{
    LineLayout parts;
    qsizetype i = 0;
    while (i < line.size() && isBlank(line[i]))
        ++i;
    if (i == line.size() || line[i] == u'#')
        return parts;
    const QStringView rest = QStringView(line).mid(i);
    if (rest.startsWith(u"export") && rest.size() > 6 && isBlank(rest[6])) {
        i += 6;
        while (i < line.size() && isBlank(line[i]))
            ++i;
    }
    const qsizetype equals = line.indexOf(u'=', i);
    if (equals < 0)
        return parts;
    parts.key = line.mid(i, equals - i).trimmed();
    qsizetype v = equals + 1;
    while (v < line.size() && isBlank(line[v]))
        ++v;
    parts.valueStart = v;
    if (v < line.size() && (line[v] == u'"' || line[v] == u'\'')) {
        const QChar quote = line[v];
        qsizetype k = v + 1;
        for (; k < line.size(); ++k) {
            if (quote == u'"' && line[k] == u'\\') {
                ++k;
                continue;
            }
            if (line[k] == quote)
                break;
        }
        parts.valueEnd = qMin(k + 1, line.size());
        return parts;
    }
    // Unquoted: the value ends where a `#` after whitespace starts a comment (blanks before it
    // belong to the comment, so the new value keeps the old spacing).
    qsizetype end = line.size();
    for (qsizetype k = v + 1; k < line.size(); ++k) {
        if (line[k] == u'#' && line[k - 1].isSpace()) {
            end = k;
            break;
        }
    }
    while (end > v && line[end - 1].isSpace())
        --end;
    parts.valueEnd = end;
    return parts;
}

} // namespace tablesync
