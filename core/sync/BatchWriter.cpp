#include "sync/BatchWriter.h"

#include "db/NativeHandle.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/SchemaSync.h"

#include <QCryptographicHash>
#include <QSqlError>

#include <algorithm>

namespace tablesync {

namespace {
// FACTS-qt-mysql.md: ~1000 rows per statement is the measured sweet spot; more got slower.
constexpr int kPreferredRowsPerStatement = 1000;
constexpr int kMaxPlaceholders = 65535;
constexpr qint64 kMaxStatementBytesCap = 32LL * 1024 * 1024;
} // namespace

BatchWriter::BatchWriter(DbConnection &target, const SqlDialect &dialect, const QString &table,
                         QList<ColumnInfo> columns, QList<int> keyIndexes, QString loadId, bool upsert)
    : m_target(target)
    , m_dialect(dialect)
    , m_table(table)
    , m_columns(std::move(columns))
    , m_keyIndexes(std::move(keyIndexes))
    , m_loadId(std::move(loadId))
    , m_upsert(upsert)
{
    const int perRow = int(m_columns.size()) + 2;
    m_maxRowsPerStatement = std::max(1, std::min(kPreferredRowsPerStatement, kMaxPlaceholders / perRow));
    // Half the packet leaves room for the statement's own overhead and our estimate's slack.
    m_maxStatementBytes = std::clamp(target.maxAllowedPacket() / 2, qint64(64 * 1024), kMaxStatementBytesCap);
}

QString BatchWriter::rowId(const Page &page, int row, const QList<int> &keyIndexes)
{
    return QString::fromLatin1(rowIdBytes(page, row, keyIndexes));
}

namespace {
// What a typed page's NULL of this column adds to a row id. QtSql gives NULL as a null QVariant
// of the column's type: a null int, qlonglong, short or double reads as "0", a null TINYINT (a
// char) as the character 0, and a null text, bytes or text of a number as "".
QByteArrayView typedNullText(const ColumnInfo &column)
{
    if (column.kind() == ValueKind::Bit || column.kind() == ValueKind::Float)
        return "0";
    if (column.kind() != ValueKind::Integer)
        return "";
    return column.dataType == u"tinyint" ? QByteArrayView("", 1) : QByteArrayView("0");
}
} // namespace

QByteArray BatchWriter::rowIdBytes(const Page &page, int row, const QList<int> &keyIndexes)
{
    QCryptographicHash hash(QCryptographicHash::Md5);
    const auto add = [&hash](bool isNull, QByteArrayView bytes) {
        const quint32 size = isNull ? 0xffffffffu : quint32(bytes.size());
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(&size), sizeof size));
        hash.addData(bytes);
    };
    if (page.isText()) {
        // The same text as a typed page's value gives, so a key's id does not depend on the reader.
        for (int index : keyIndexes) {
            if (page.text.isNull(row, index))
                add(true, typedNullText(page.text.column(index)));
            else if (!page.text.textIsValueText(index))
                add(false, page.text.value(row, index).toString().toUtf8());
            else
                add(false, page.text.bytes(row, index));
        }
        return hash.result().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    for (int index : keyIndexes) {
        const QVariant &value = page.value(row, index);
        // The text of the value, as QString would give it, without the trip through UTF-16 for
        // the common integer keys: this runs for every row of a copy.
        QByteArray bytes;
        switch (value.typeId()) {
        case QMetaType::QByteArray:
            bytes = value.toByteArray();
            break;
        case QMetaType::Int:
        case QMetaType::LongLong:
            bytes = QByteArray::number(value.toLongLong());
            break;
        case QMetaType::UInt:
        case QMetaType::ULongLong:
            bytes = QByteArray::number(value.toULongLong());
            break;
        default:
            bytes = value.toString().toUtf8();
        }
        add(value.isNull(), bytes);
    }
    return hash.result().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

qint64 BatchWriter::approximateBytes(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        return value.toByteArray().size() + 9;
    case QMetaType::QString:
        return value.toString().size() * 3 + 9;
    default:
        return 9;
    }
}

int BatchWriter::cacheKey(int rowCount) const
{
    return rowCount * 2 + (m_updateOnlyChanged ? 1 : 0);
}

QString BatchWriter::insertStatement(int rowCount) const
{
    const QStringList extra{QString::fromLatin1(SchemaSync::kLoadIdColumn),
                            QString::fromLatin1(SchemaSync::kRowIdColumn)};
    return m_dialect.insertRows(m_table, m_columns, extra, rowCount,
                                !m_upsert             ? SqlDialect::OnDuplicate::Fail
                                : m_updateOnlyChanged ? SqlDialect::OnDuplicate::UpdateIfChanged
                                                      : SqlDialect::OnDuplicate::Update);
}

QSqlQuery &BatchWriter::statementFor(int rowCount)
{
    auto it = m_statements.find(cacheKey(rowCount));
    if (it != m_statements.end())
        return *it;
    if (m_statements.size() > 8) // odd tail sizes: keep the cache small
        m_statements.clear();
    QSqlQuery query = m_target.newQuery();
    if (!query.prepare(insertStatement(rowCount)))
        throw DbError::from(u"preparing to write "_qs + m_table + u" in the target"_qs, query.lastError());
    return *m_statements.insert(cacheKey(rowCount), std::move(query));
}

void BatchWriter::write(const Page &page)
{
    write(page, 0, page.rowCount());
}

void BatchWriter::write(const Page &page, int firstRow, int rowCount)
{
    const int rows = firstRow + rowCount;
    int first = firstRow;
    while (first < rows) {
        int count = 0;
        qint64 bytes = 0;
        while (first + count < rows && count < m_maxRowsPerStatement) {
            qint64 rowBytes = 0;
            for (int c = 0; c < int(m_columns.size()); ++c)
                rowBytes += approximateBytes(page.value(first + count, c));
            if (count > 0 && bytes + rowBytes > m_maxStatementBytes)
                break;
            bytes += rowBytes;
            ++count;
        }
        flush(page, first, count, bytes);
        first += count;
    }
}

void BatchWriter::flush(const Page &page, int firstRow, int rowCount, qint64 bytes)
{
    // A statement shorter than the usual one is usually written once (a small table, the tail of
    // a copy): as text with the values written in it is one round trip, where preparing it is
    // three. Bytes go in as hex, twice their size, so only a batch well inside the limit does.
    if (rowCount < m_maxRowsPerStatement && !m_statements.contains(cacheKey(rowCount)) &&
        2 * bytes + 64 * 1024 < m_maxStatementBytes) {
        QVariantList values;
        values.reserve(qsizetype(rowCount) * (m_columns.size() + 2));
        for (int r = firstRow; r < firstRow + rowCount; ++r) {
            for (int c = 0; c < int(m_columns.size()); ++c)
                values << page.value(r, c);
            values << m_loadId << rowId(page, r, m_keyIndexes);
        }
        const QSqlQuery query =
            m_target.select(insertStatement(rowCount), values,
                            QStringLiteral("writing %1 row(s) of %2 into the target").arg(rowCount).arg(m_table));
        countChanged(query, rowCount);
        return;
    }
    QSqlQuery &query = statementFor(rowCount);
    const int columns = int(m_columns.size());
    int position = 0;
    for (int r = firstRow; r < firstRow + rowCount; ++r) {
        for (int c = 0; c < columns; ++c)
            query.bindValue(position++, page.value(r, c));
        query.bindValue(position++, m_loadId);
        query.bindValue(position++, rowId(page, r, m_keyIndexes));
    }
    if (!query.exec()) {
        throw DbError::from(QStringLiteral("writing %1 row(s) of %2 into the target").arg(rowCount).arg(m_table),
                            query.lastError());
    }
    countChanged(query, rowCount);
}

void BatchWriter::countChanged(const QSqlQuery &query, int rowCount)
{
    // An upsert's affected rows count 1 per insert, 2 per changed row and 0 per row left as it
    // was; the server's info line ("Records: 3  Duplicates: 1") counts the changed ones of a
    // multi-row statement. A single row's count says it alone.
    const qint64 affected = query.numRowsAffected();
    if (!m_upsert || affected < 0) {
        m_rowsChanged += rowCount;
        return;
    }
    qint64 updated = affected == 2 && rowCount == 1 ? 1 : 0;
    const QByteArray info = lastStatementInfo(m_target);
    const qsizetype at = info.indexOf("Duplicates:");
    if (at >= 0)
        updated = info.mid(at + 11).trimmed().split(' ').value(0).toLongLong();
    const qint64 inserted = affected - 2 * updated;
    m_rowsChanged += std::clamp<qint64>(inserted + updated, 0, rowCount);
}

} // namespace tablesync
