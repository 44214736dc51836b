#include "config/ProfileWriter.h"

#include "config/EnvFile.h"

#include <QFileDevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

namespace tablesync::ProfileWriter {

namespace {

QStringList splitLines(const QString &text)
{
    QString normalised = text;
    normalised.replace(u"\r\n"_qs, u"\n"_qs);
    normalised.replace(u'\r', u'\n');
    QStringList lines = normalised.split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline is added back when joining
    return lines;
}

} // namespace

QString quoteEnvValue(const QString &value)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_./:@%+,=\\-]*$"_qs);
    if (plain.match(value).hasMatch())
        return value;
    // Single quotes are literal for EnvFile, but python-dotenv decodes \\ and \' inside them,
    // so they are used only for values with neither a backslash nor a quote nor a line break.
    const bool singleQuotable =
        !value.contains(u'\'') && !value.contains(u'\\') && !value.contains(u'\n') && !value.contains(u'\r');
    if (singleQuotable)
        return u'\'' + value + u'\'';
    QString escaped;
    for (const QChar c : value) {
        switch (c.unicode()) {
        case u'\\':
            escaped += u"\\\\"_qs;
            break;
        case u'"':
            escaped += u"\\\""_qs;
            break;
        case u'\n':
            escaped += u"\\n"_qs;
            break;
        case u'\r':
            escaped += u"\\r"_qs;
            break;
        case u'\t':
            escaped += u"\\t"_qs;
            break;
        default:
            escaped += c;
        }
    }
    return u'"' + escaped + u'"';
}

QByteArray renderEnv(const QByteArray &existing, const QMap<QString, QString> &values,
                     const QStringList &preferredOrder)
{
    QByteArray body = existing;
    if (body.startsWith("\xEF\xBB\xBF"))
        body.remove(0, 3);
    const QStringList lines = splitLines(QString::fromUtf8(body));

    QStringList out;
    QSet<QString> written;
    for (const QString &line : lines) {
        const EnvFile::LineLayout parts = EnvFile::layout(line);
        if (parts.key.isEmpty()) {
            out << line;
            continue;
        }
        if (!values.contains(parts.key))
            continue; // removed from the profile
        out << line.left(parts.valueStart) + quoteEnvValue(values.value(parts.key)) + line.mid(parts.valueEnd);
        written.insert(parts.key);
    }

    QStringList newKeys;
    for (const QString &key : preferredOrder) {
        if (values.contains(key) && !written.contains(key) && !newKeys.contains(key))
            newKeys << key;
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!written.contains(it.key()) && !newKeys.contains(it.key()))
            newKeys << it.key();
    }
    for (const QString &key : std::as_const(newKeys))
        out << key + u'=' + quoteEnvValue(values.value(key));
    return (out.join(u'\n') + u'\n').toUtf8();
}

QByteArray renderTables(const QList<TableSpec> &tables)
{
    QByteArray out = "[\n";
    for (qsizetype i = 0; i < tables.size(); ++i) {
        const TableSpec &spec = tables[i];
        // Keys in the order of the old pipeline's files, which QJsonObject would sort away.
        QByteArrayList fields;
        auto field = [&](const char *key, const QJsonValue &value) {
            const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
            fields << QByteArray("\"") + key + "\": " + json.mid(1, json.size() - 2);
        };
        field("table", spec.table);
        if (spec.primaryKey.size() == 1)
            field("primary_key", spec.primaryKey.first());
        else if (!spec.primaryKey.isEmpty()) // none: a full refresh of a table without a key
            field("primary_key", QJsonArray::fromStringList(spec.primaryKey));
        if (!spec.modifier.isEmpty())
            field("modifier", spec.modifier);
        if (spec.initialValue)
            field("initial_value", *spec.initialValue); // text keeps DECIMAL and DATETIME values exact
        if (spec.batchSize > 0)
            field("batch_size", spec.batchSize);
        if (spec.lag)
            field("lag", double(*spec.lag));
        if (spec.deletes == TableSpec::Deletes::Propagate)
            field("deletes", u"propagate"_qs);
        else if (spec.deletes == TableSpec::Deletes::Soft)
            field("deletes", u"soft"_qs);
        out += "  {" + fields.join(", ") + '}' + (i + 1 < tables.size() ? ",\n" : "\n");
    }
    out += "]\n";
    return out;
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = path + u": cannot write: "_qs + file.errorString();
        return false;
    }
    // Before any byte is written: the temporary file must never be readable by others.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = path + u": cannot restrict the file to its owner: "_qs + file.errorString();
        file.cancelWriting();
        return false;
    }
    if (file.write(data) != data.size() || !file.commit()) {
        *error = path + u": cannot write: "_qs + file.errorString();
        file.cancelWriting();
        return false;
    }
    return true;
}

} // namespace tablesync::ProfileWriter
