#include "config/TablesFile.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <QVariant>

#include <algorithm>
#include <cmath>
#include <optional>

namespace tablesync::TablesFile {

namespace {

constexpr int kMaxBatchSize = 1'000'000;
// A day of seconds, or a million ids: beyond that a re-read window costs more than it protects.
constexpr qint64 kMaxLag = 1'000'000;
// Above 2^53 a double no longer holds every integer, so the text we would write is not
// necessarily the number the user typed.
constexpr double kMaxExactDouble = 9007199254740992.0;

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_qs;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_qs : u"false"_qs;
    case QJsonValue::Double:
        return u"a number"_qs;
    case QJsonValue::String:
        return u"a string"_qs;
    case QJsonValue::Array:
        return u"an array"_qs;
    case QJsonValue::Object:
        return u"an object"_qs;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_qs;
}

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

// "line L, column C" for a byte offset into the UTF-8 text; the column counts characters.
QString lineAndColumn(const QByteArray &json, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, json.size());
    const QByteArray before = json.left(offset);
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const int line = int(before.count('\n')) + 1;
    const int column = int(QString::fromUtf8(before.mid(lineStart)).size()) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// Collects the errors of one entry; the location names the table once it is known.
class EntryReader
{
public:
    EntryReader(const QString &fileName, int index, ConfigErrors &errors)
        : m_fileName(fileName)
        , m_index(index)
        , m_errors(errors)
    {}

    void setTableName(const QString &name) { m_tableName = name; }

    void error(const QString &message)
    {
        m_failed = true;
        m_errors << ConfigError{m_fileName, location(), message};
    }

    QString location() const
    {
        QString text = u"entry "_qs + QString::number(m_index);
        if (!m_tableName.isEmpty())
            text += u" ("_qs + m_tableName + u')';
        return text;
    }

    bool failed() const { return m_failed; }

    // A non-empty string, or an error naming `key`.
    std::optional<QString> name(const QString &key, const QJsonValue &value, const QString &what)
    {
        if (!value.isString()) {
            error(quoted(key) + u" must be "_qs + what + u", found "_qs + typeName(value));
            return std::nullopt;
        }
        const QString text = value.toString();
        if (text.trimmed().isEmpty()) {
            error(quoted(key) + u" must not be empty"_qs);
            return std::nullopt;
        }
        return text;
    }

    void readPrimaryKey(const QJsonValue &value, TableSpec &spec)
    {
        const QString key = u"primary_key"_qs;
        if (!value.isArray()) {
            if (const auto column = name(key, value, u"a column name or an array of column names"_qs))
                spec.primaryKey = {*column};
            return;
        }
        const QJsonArray columns = value.toArray();
        if (columns.isEmpty()) {
            error(quoted(key) + u" must list at least one column"_qs);
            return;
        }
        QStringList result;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const QString item = key + u" item "_qs + QString::number(i + 1);
            const auto column = name(item, columns[i], u"a column name"_qs);
            if (!column)
                continue;
            // MySQL column names are case-insensitive, so `ID` and `id` are the same column.
            if (result.contains(*column, Qt::CaseInsensitive)) {
                error(quoted(key) + u" lists the column "_qs + quoted(*column) + u" twice"_qs);
                continue;
            }
            result << *column;
        }
        spec.primaryKey = result;
    }

    void readInitialValue(const QJsonValue &value, TableSpec &spec)
    {
        const QString key = u"initial_value"_qs;
        if (value.isString()) {
            spec.initialValue = value.toString();
            return;
        }
        if (!value.isDouble()) {
            error(quoted(key) + u" must be a string or a number, found "_qs + typeName(value));
            return;
        }
        // Qt keeps JSON integers that fit in 64 bits as integers, so they convert exactly.
        const QVariant number = value.toVariant();
        if (number.typeId() == QMetaType::LongLong) {
            spec.initialValue = QString::number(number.toLongLong());
            return;
        }
        const double d = value.toDouble();
        if (std::floor(d) == d && std::fabs(d) >= kMaxExactDouble) {
            error(quoted(key) + u" is too large to be read exactly as a number; write it as a string"_qs);
            return;
        }
        // Shortest text that reads back as the same double: 0.1 stays "0.1", 1e20 is written out.
        spec.initialValue = QString::number(d, 'f', QLocale::FloatingPointShortest);
    }

    void readBatchSize(const QJsonValue &value, TableSpec &spec)
    {
        const QString key = u"batch_size"_qs;
        const QString expected = QStringLiteral("a whole number from 1 to %1").arg(kMaxBatchSize);
        if (!value.isDouble()) {
            error(quoted(key) + u" must be "_qs + expected + u", found "_qs + typeName(value));
            return;
        }
        const double d = value.toDouble();
        if (std::floor(d) != d || d < 1 || d > kMaxBatchSize) {
            error(quoted(key) + u" must be "_qs + expected + u", found "_qs +
                  QString::number(d, 'g', QLocale::FloatingPointShortest));
            return;
        }
        spec.batchSize = int(d);
    }

    void readLag(const QJsonValue &value, TableSpec &spec)
    {
        const QString key = u"lag"_qs;
        const QString expected = QStringLiteral("a whole number from 0 to %1 (seconds for a date or time "
                                                "modifier, a count for a numeric one)")
                                     .arg(kMaxLag);
        const double d = value.toDouble();
        if (!value.isDouble() || std::floor(d) != d || d < 0 || d > kMaxLag) {
            error(quoted(key) + u" must be "_qs + expected + u", found "_qs +
                  (value.isDouble() ? QString::number(d, 'g', QLocale::FloatingPointShortest) : typeName(value)));
            return;
        }
        spec.lag = qint64(d);
    }

    void readDeletes(const QJsonValue &value, TableSpec &spec)
    {
        const QString key = u"deletes"_qs;
        const QString text = value.toString();
        static const QHash<QString, TableSpec::Deletes> words{{u"keep"_qs, TableSpec::Deletes::Keep},
                                                              {u"propagate"_qs, TableSpec::Deletes::Propagate},
                                                              {u"soft"_qs, TableSpec::Deletes::Soft}};
        const auto word = words.constFind(text);
        if (!value.isString() || word == words.constEnd()) {
            error(quoted(key) + u" must be \"keep\", \"propagate\" or \"soft\", found "_qs +
                  (value.isString() ? quoted(text) : typeName(value)));
            return;
        }
        spec.deletes = *word;
    }

    // Marked rows live only in the target; a full refresh replaces the whole table from the
    // source, so it would drop them silently: refuse instead.
    void checkSoftDeletesNeedModifier(const TableSpec &spec)
    {
        if (spec.deletes == TableSpec::Deletes::Soft && !spec.isIncremental())
            error(u"\"deletes\": \"soft\" needs a \"modifier\": a full refresh replaces the whole table, so "
                  "it cannot keep rows marked as deleted"_qs);
    }

    // A full refresh replaces the whole table and needs no key; an incremental one merges rows by it.
    void checkIncrementalHasKey(const TableSpec &spec)
    {
        if (spec.isIncremental() && spec.primaryKey.isEmpty())
            error(u"\"modifier\" needs a \"primary_key\": incremental sync updates changed rows in the target "
                  "by their key. Leave out \"modifier\" to replace the whole table every run instead"_qs);
    }

private:
    QString m_fileName;
    int m_index;
    ConfigErrors &m_errors;
    QString m_tableName;
    bool m_failed = false;
};

std::optional<TableSpec> readEntry(const QJsonValue &value, int index, const QString &fileName, ConfigErrors &errors)
{
    EntryReader reader(fileName, index, errors);
    if (!value.isObject()) {
        reader.error(u"expected an object such as {\"table\": \"orders\", \"primary_key\": \"id\"}, found "_qs +
                     typeName(value));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    TableSpec spec;
    spec.entryIndex = index;

    // The name first, so every later message can say which table it is about.
    if (!object.contains(u"table"_qs)) {
        reader.error(u"missing required key \"table\""_qs);
    } else if (const auto table = reader.name(u"table"_qs, object.value(u"table"_qs), u"a table name"_qs)) {
        spec.table = *table;
        reader.setTableName(spec.table);
    }

    const QStringList known = knownKeys();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (!known.contains(key)) {
            reader.error(u"unknown key "_qs + quoted(key) + u"; known keys are "_qs + known.join(u", "_qs));
            continue;
        }
        // The old pipeline wrote `"modifier": null` for "no modifier", so null means absent for
        // the optional keys.
        const bool optional = key != u"table";
        if (optional && v.isNull())
            continue;
        if (key == u"primary_key") {
            reader.readPrimaryKey(v, spec);
        } else if (key == u"modifier") {
            if (const auto column = reader.name(key, v, u"a column name"_qs))
                spec.modifier = *column;
        } else if (key == u"initial_value") {
            reader.readInitialValue(v, spec);
        } else if (key == u"batch_size") {
            reader.readBatchSize(v, spec);
        } else if (key == u"deletes") {
            reader.readDeletes(v, spec);
        } else if (key == u"lag") {
            reader.readLag(v, spec);
        }
    }
    reader.checkSoftDeletesNeedModifier(spec);
    reader.checkIncrementalHasKey(spec);
    if (reader.failed())
        return std::nullopt;
    return spec;
}

} // namespace

QStringList knownKeys()
{
    return {u"table"_qs,      u"primary_key"_qs, u"modifier"_qs, u"initial_value"_qs,
            u"batch_size"_qs, u"deletes"_qs,     u"lag"_qs};
}

QList<TableSpec> parse(const QByteArray &json, const QString &fileName, ConfigErrors &errors)
{
    if (json.trimmed().isEmpty()) {
        errors << ConfigError{fileName, QString(),
                              u"the file is empty; expected a JSON array of tables such as "
                              "[{\"table\": \"orders\", \"primary_key\": \"id\"}]"_qs};
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        QString message = u"invalid JSON: "_qs + parseError.errorString();
        // Qt reads only arrays and objects at the top; say what was expected instead of just
        // "illegal value" for a file that is not an array at all.
        QByteArray start = json.trimmed();
        if (start.startsWith("\xEF\xBB\xBF"))
            start = start.mid(3).trimmed();
        if (!start.startsWith('['))
            message += u" (a tables file is a JSON array of tables)"_qs;
        errors << ConfigError{fileName, lineAndColumn(json, parseError.offset), message};
        return {};
    }
    if (!document.isArray()) {
        errors << ConfigError{fileName, QString(),
                              u"expected a JSON array of tables, found "_qs +
                                  (document.isObject() ? u"an object"_qs : u"a single value"_qs)};
        return {};
    }
    const QJsonArray entries = document.array();
    if (entries.isEmpty()) {
        errors << ConfigError{fileName, QString(), u"no tables configured"_qs};
        return {};
    }

    QList<TableSpec> specs;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const int index = int(i + 1);
        std::optional<TableSpec> spec = readEntry(entries[i], index, fileName, errors);
        if (!spec)
            continue;
        // Table names compare case-insensitively: on Windows and macOS servers `Orders` and
        // `orders` are the same table, and two entries syncing one table would fight.
        const auto previous = std::find_if(specs.cbegin(), specs.cend(), [&](const TableSpec &other) {
            return other.table.compare(spec->table, Qt::CaseInsensitive) == 0;
        });
        if (previous != specs.cend()) {
            errors << ConfigError{fileName, QStringLiteral("entry %1 (%2)").arg(QString::number(index), spec->table),
                                  QStringLiteral("table \"%1\" is already configured in entry %2")
                                      .arg(spec->table, QString::number(previous->entryIndex))};
            continue;
        }
        specs << *spec;
    }
    return specs;
}

QList<TableSpec> load(const QString &path, ConfigErrors &errors)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        errors << ConfigError{path, QString(), u"file not found (looked for "_qs + info.absoluteFilePath() + u')'};
        return {};
    }
    if (info.isDir()) {
        errors << ConfigError{path, QString(), u"is a directory, not a tables file"_qs};
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors << ConfigError{path, QString(), u"cannot read the file: "_qs + file.errorString()};
        return {};
    }
    return parse(file.readAll(), path, errors);
}

} // namespace tablesync::TablesFile
