#include "sync/LoadDataWriter.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/InMemoryInfile.h"
#include "db/MySqlDialect.h"
#include "db/NativeHandle.h"
#include "sync/BatchWriter.h"
#include "sync/SchemaSync.h"

#include <QSqlError>
#include <QSqlQuery>

#include <cstring>

namespace tablesync {

namespace {
// Does any byte of the eight hold a byte LOAD DATA must see escaped (\\, \t, \n, \0)? The
// classic test for a zero byte, applied to the word XORed with each of them.
inline bool hasEscapeByte(quint64 word)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    const auto zeroByte = [](quint64 x) { return (x - ones) & ~x & highs; };
    return (zeroByte(word) | zeroByte(word ^ (ones * '\\')) | zeroByte(word ^ (ones * '\t')) |
            zeroByte(word ^ (ones * '\n'))) != 0;
}

// Writes `size` bytes with LOAD DATA's default escapes to `to` (room for 2 * size) and returns
// the end. Eight bytes are checked at a time: nearly all text has nothing to escape, and a
// byte-by-byte test was the biggest part of a writer's CPU.
char *writeEscaped(char *to, const char *from, qsizetype size)
{
    qsizetype i = 0;
    while (i < size) {
        if (i + 8 <= size) {
            quint64 word;
            std::memcpy(&word, from + i, 8);
            if (!hasEscapeByte(word)) {
                std::memcpy(to, &word, 8);
                to += 8;
                i += 8;
                continue;
            }
        }
        const qsizetype end = std::min(size, i + 8);
        for (; i < end; ++i) {
            const char c = from[i];
            char escaped = 0;
            switch (c) {
            case '\\':
                escaped = '\\';
                break;
            case '\t':
                escaped = 't';
                break;
            case '\n':
                escaped = 'n';
                break;
            case '\0':
                escaped = '0';
                break;
            default:
                *to++ = c;
                continue;
            }
            *to++ = '\\';
            *to++ = escaped;
        }
    }
    return to;
}

void appendEscaped(QByteArray &out, QByteArrayView bytes)
{
    const qsizetype start = out.size();
    out.resize(start + 2 * bytes.size()); // the most the escapes can need; cut back below
    char *end = writeEscaped(out.data() + start, bytes.data(), bytes.size());
    out.resize(end - out.constData());
}

// Text QtSql produced from CAST(... AS CHAR) (decimals, temporals) is ASCII: appended as it is,
// without a UTF-8 copy per value. Anything else goes through UTF-8 and the escapes.
void appendText(QByteArray &out, const QString &text)
{
    const QChar *chars = text.constData();
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = chars[i].unicode();
        if (c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == 0) {
            appendEscaped(out, text.toUtf8());
            return;
        }
    }
    const qsizetype start = out.size();
    out.resize(start + size);
    char *to = out.data() + start;
    for (qsizetype i = 0; i < size; ++i)
        to[i] = char(chars[i].unicode());
}

// The name the statement asks for; InMemoryInfile answers the server's request for it.
constexpr char kPageName[] = "tablesync-page.tsv";
} // namespace

LoadDataWriter::LoadDataWriter(DbConnection &target, const SqlDialect &dialect, const QString &table,
                               QList<ColumnInfo> columns, QList<int> keyIndexes, QString loadId)
    : m_target(target)
    , m_dialect(dialect)
    , m_table(table)
    , m_columns(std::move(columns))
    , m_keyIndexes(std::move(keyIndexes))
    , m_loadId(std::move(loadId))
{
    m_statement = statement();
    // Per column, not per value: comparing the type name for every value cost ~5% of a writer.
    for (const ColumnInfo &c : std::as_const(m_columns))
        m_yearColumns << (c.dataType == u"year");
}

bool LoadDataWriter::isAvailable(DbConnection &target)
{
    if (!nativeHandle(target))
        return false; // the rows could only come from a file
    try {
        return target.scalar(u"SELECT @@local_infile"_qs, {}, u"checking local_infile"_qs).toInt() == 1;
    } catch (const DbError &) {
        return false;
    }
}

QString LoadDataWriter::statement() const
{
    QStringList fields;
    QStringList assignments;
    for (int i = 0; i < m_columns.size(); ++i) {
        const ColumnInfo &c = m_columns[i];
        const QString name = m_dialect.quoteIdentifier(c.name);
        const QString variable = QStringLiteral("@v%1").arg(i);
        switch (c.kind()) {
        case ValueKind::Text:
            // The file is read as binary; the bytes are the source column's encoding.
            fields << variable;
            assignments << name + u" = CONVERT("_qs + variable + u" USING "_qs + c.charset + u')';
            break;
        case ValueKind::Bit:
            fields << variable;
            assignments << name + u" = CAST("_qs + variable + u" AS UNSIGNED)"_qs;
            break;
        default:
            fields << name;
        }
    }
    // The load id is the same for every row: a constant of the statement, not 18 bytes a row
    // that the server would parse one by one.
    assignments << m_dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kLoadIdColumn)) + u" = "_qs +
                       MySqlDialect::quoteString(m_loadId);
    // MariaDB 10.11 (measured): with a SET clause (there always is one) a 0 read straight into an
    // AUTO_INCREMENT column takes the next auto value despite NO_AUTO_VALUE_ON_ZERO; assigned from
    // a variable it stays 0. Any integer or float column may be the target's AUTO_INCREMENT one.
    for (int i = 0; i < m_columns.size(); ++i) {
        const ValueKind kind = m_columns[i].kind();
        if (kind != ValueKind::Integer && kind != ValueKind::Float)
            continue;
        const QString variable = QStringLiteral("@v%1").arg(i);
        assignments << m_dialect.quoteIdentifier(m_columns[i].name) + u" = "_qs + variable;
        fields[i] = variable;
    }
    fields << m_dialect.quoteIdentifier(QString::fromLatin1(SchemaSync::kRowIdColumn));
    QString sql = u"LOAD DATA LOCAL INFILE '"_qs + QString::fromLatin1(kPageName) + u"' IGNORE INTO TABLE "_qs +
                  m_dialect.quoteIdentifier(m_table) +
                  u" CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("_qs +
                  fields.join(u", "_qs) + u')';
    return sql + u" SET "_qs + assignments.join(u", "_qs);
}

QByteArray LoadDataWriter::textTsv(const Page &page)
{
    // The server's text as it came, with only the file format's escapes added, written through
    // a pointer into a buffer sized for the worst case and cut to size at the end.
    const TextRows &rows = page.text;
    constexpr qsizetype kRowIdRoom = 32; // 22 characters of base64 MD5, and the newline
    QByteArray out;
    out.resize(2 * rows.byteSize() + qsizetype(rows.rowCount()) * (3 * m_columns.size() + kRowIdRoom));
    char *to = out.data();
    for (int row = 0; row < rows.rowCount(); ++row) {
        for (int c = 0; c < m_columns.size(); ++c) {
            if (rows.isNull(row, c)) {
                *to++ = '\\';
                *to++ = 'N';
            } else {
                const QByteArrayView bytes = rows.bytes(row, c);
                to = writeEscaped(to, bytes.data(), bytes.size());
            }
            *to++ = '\t';
        }
        const QByteArray id = BatchWriter::rowIdBytes(page, row, m_keyIndexes);
        Q_ASSERT(id.size() < kRowIdRoom);
        std::memcpy(to, id.constData(), size_t(id.size()));
        to += id.size();
        *to++ = '\n';
    }
    out.resize(to - out.constData());
    return out;
}

QByteArray LoadDataWriter::tsv(const Page &page)
{
    if (page.isText())
        return textTsv(page);
    QByteArray out;
    // Sized by the last page's bytes per value: growing a page of megabytes copies it each time.
    out.reserve(qsizetype(double(page.values.size()) * m_bytesPerValue * 1.1) + 4096);
    for (int row = 0; row < page.rowCount(); ++row) {
        for (int c = 0; c < m_columns.size(); ++c) {
            const QVariant &value = page.value(row, c);
            if (value.isNull()) {
                out += "\\N";
            } else if (m_yearColumns[c]) {
                // "0" would load as 2000; "0000" is the year zero the source holds.
                out += QByteArray::number(value.toInt()).rightJustified(4, '0');
            } else {
                switch (value.typeId()) {
                case QMetaType::QByteArray:
                    appendEscaped(out, *static_cast<const QByteArray *>(value.constData()));
                    break;
                case QMetaType::QString:
                    appendText(out, *static_cast<const QString *>(value.constData()));
                    break;
                case QMetaType::Double:
                    out += QByteArray::number(value.toDouble(), 'g', 17);
                    break;
                case QMetaType::Int:
                case QMetaType::LongLong:
                    out += QByteArray::number(value.toLongLong());
                    break;
                case QMetaType::UInt:
                case QMetaType::ULongLong:
                    out += QByteArray::number(value.toULongLong());
                    break;
                default:
                    appendEscaped(out, value.toString().toUtf8());
                }
            }
            out += '\t';
        }
        out += BatchWriter::rowIdBytes(page, row, m_keyIndexes);
        out += '\n';
    }
    if (!page.values.isEmpty())
        m_bytesPerValue = std::max(8.0, double(out.size()) / double(page.values.size()));
    return out;
}

bool LoadDataWriter::write(const Page &page)
{
    const QByteArray bytes = tsv(page);
    int loaded = 0;
    {
        st_mysql *handle = nativeHandle(m_target);
        if (!handle) // closed since isAvailable() said yes
            throw DbError(u"loading rows into "_qs + m_table + u": the target connection is closed"_qs);
        const InMemoryInfile file(handle, kPageName, bytes);
        QSqlQuery query = m_target.newQuery();
        if (!query.exec(m_statement))
            throw DbError::from(u"loading rows into "_qs + m_table, query.lastError());
        loaded = query.numRowsAffected();
    }
    // Not prepared: preparing a statement would clear the diagnostics we ask about.
    QSqlQuery warnings = m_target.newQuery();
    if (!warnings.exec(u"SELECT @@warning_count"_qs) || !warnings.next())
        throw DbError::from(u"checking LOAD DATA warnings"_qs, warnings.lastError());
    return warnings.value(0).toInt() == 0 && loaded == page.rowCount();
}

} // namespace tablesync
