#include "sync/KeyedRows.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"
#include "sync/BatchWriter.h"
#include "sync/Page.h"
#include "sync/SoftDeletes.h"

namespace tablesync::KeyedRows {

namespace {
// Keys per statement: small enough for any packet, large enough to make few round trips.
constexpr int kKeysPerStatement = 200;

QString keyMatch(const SqlDialect &dialect, const QList<ColumnInfo> &keyColumns, int keyCount)
{
    QStringList terms;
    for (const ColumnInfo &k : keyColumns)
        terms << dialect.quoteIdentifier(k.name) + u" = "_qs + dialect.comparePlaceholder(k);
    const QString one = u'(' + terms.join(u" AND "_qs) + u')';
    QStringList all;
    for (int i = 0; i < keyCount; ++i)
        all << one;
    return all.join(u" OR "_qs);
}

template<typename Action> qint64 inSlices(const QList<QVariantList> &keys, Action action)
{
    qint64 total = 0;
    for (qsizetype first = 0; first < keys.size(); first += kKeysPerStatement)
        total += action(keys.mid(first, kKeysPerStatement));
    return total;
}

QVariantList flatten(const QList<QVariantList> &keys)
{
    QVariantList values;
    for (const QVariantList &key : keys)
        values += key;
    return values;
}
} // namespace

qint64 deleteFromTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                        const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys)
{
    return inSlices(keys, [&](const QList<QVariantList> &slice) {
        QSqlQuery query = target.select(u"DELETE FROM "_qs + dialect.quoteIdentifier(table) + u" WHERE "_qs +
                                            keyMatch(dialect, keyColumns, int(slice.size())),
                                        flatten(slice), u"deleting rows of "_qs + table + u" in the target"_qs);
        return qint64(query.numRowsAffected());
    });
}

qint64 markDeletedInTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                           const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys, const QString &loadId)
{
    const QString column = dialect.quoteIdentifier(SoftDeletes::column());
    return inSlices(keys, [&](const QList<QVariantList> &slice) {
        QSqlQuery query = target.select(
            u"UPDATE "_qs + dialect.quoteIdentifier(table) + u" SET "_qs + column + u" = "_qs +
                SoftDeletes::runTimeExpression() + u" WHERE "_qs + column + u" IS NULL AND ("_qs +
                keyMatch(dialect, keyColumns, int(slice.size())) + u')',
            QVariantList{loadId} + flatten(slice), u"marking rows of "_qs + table + u" as deleted in the target"_qs);
        return qint64(query.numRowsAffected());
    });
}

qint64 markLiveInTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                        const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys)
{
    const QString column = dialect.quoteIdentifier(SoftDeletes::column());
    return inSlices(keys, [&](const QList<QVariantList> &slice) {
        QSqlQuery query = target.select(
            u"UPDATE "_qs + dialect.quoteIdentifier(table) + u" SET "_qs + column + u" = NULL WHERE "_qs + column +
                u" IS NOT NULL AND ("_qs + keyMatch(dialect, keyColumns, int(slice.size())) + u')',
            flatten(slice), u"marking rows of "_qs + table + u" as live again in the target"_qs);
        return qint64(query.numRowsAffected());
    });
}

qint64 copyFromSource(DbConnection &source, DbConnection &target, const SqlDialect &dialect, const QString &table,
                      const QList<ColumnInfo> &columns, const QList<ColumnInfo> &keyColumns,
                      const QList<QVariantList> &keys, const QString &loadId)
{
    QStringList select;
    QList<int> keyIndexes;
    for (int i = 0; i < columns.size(); ++i) {
        select << dialect.readExpression(columns[i]);
        for (const ColumnInfo &k : keyColumns) {
            if (k.name == columns[i].name)
                keyIndexes << i;
        }
    }
    BatchWriter writer(target, dialect, table, columns, keyIndexes, loadId, /*upsert=*/true);
    return inSlices(keys, [&](const QList<QVariantList> &slice) {
        QSqlQuery query =
            source.select(u"SELECT "_qs + select.join(u", "_qs) + u" FROM "_qs + dialect.quoteIdentifier(table) +
                              u" WHERE "_qs + keyMatch(dialect, keyColumns, int(slice.size())),
                          flatten(slice), u"reading rows of "_qs + table + u" to repair"_qs);
        Page page;
        page.columnCount = int(columns.size());
        while (query.next()) {
            for (int c = 0; c < page.columnCount; ++c)
                page.values.append(query.value(c));
        }
        writer.write(page);
        return qint64(page.rowCount());
    });
}

QString describe(const QVariantList &key)
{
    QStringList parts;
    for (const QVariant &part : key) {
        if (part.typeId() == QMetaType::QByteArray) {
            const QByteArray bytes = part.toByteArray();
            const QString text = QString::fromUtf8(bytes);
            parts << (text.toUtf8() == bytes ? QString(u'\'' + text + u'\'')
                                             : u"0x"_qs + QString::fromLatin1(bytes.toHex()));
        } else {
            parts << part.toString();
        }
    }
    return parts.size() == 1 ? parts.first() : u'(' + parts.join(u", "_qs) + u')';
}

} // namespace tablesync::KeyedRows
