#include "db/SchemaReader.h"

#include "db/DbConnection.h"
#include "db/MySqlDialect.h"

#include <QHash>
#include <QMap>

namespace tablesync {
namespace SchemaReader {

namespace {
QString text(const QSqlQuery &query, int index)
{
    const QVariant value = query.value(index);
    return value.typeId() == QMetaType::QByteArray ? QString::fromUtf8(value.toByteArray()) : value.toString();
}
} // namespace

TableSchema readTable(DbConnection &connection, const QString &table)
{
    const QHash<QString, TableSchema> found = readTables(connection, {table});
    if (found.contains(table))
        return found.value(table);
    // The server may match names without regard to case (lower_case_table_names): its spelling.
    for (const TableSchema &schema : found) {
        if (schema.name.compare(table, Qt::CaseInsensitive) == 0)
            return schema;
    }
    TableSchema missing;
    missing.name = table;
    return missing;
}

QHash<QString, TableSchema> readTables(DbConnection &connection, const QStringList &tables)
{
    QHash<QString, TableSchema> schemas;
    if (tables.isEmpty())
        return schemas;
    const QString what =
        (tables.size() == 1 ? u"reading the definition of "_qs + tables.first()
                            : QStringLiteral("reading the definitions of %1 tables").arg(tables.size())) +
        u" on the "_qs + connection.settings().role;
    // Two statements for any number of tables: across a network, a round trip costs more than
    // the server's work for a few hundred tables.
    QStringList placeholders;
    QVariantList names;
    for (const QString &table : tables) {
        placeholders << u"?"_qs;
        names << table;
    }
    const QString inList = u" IN ("_qs + placeholders.join(u',') + u')';

    // The table's size estimates ride along with its columns: one statement fewer per read.
    QSqlQuery columns = connection.select(
        u"SELECT c.TABLE_NAME, t.TABLE_ROWS, t.AVG_ROW_LENGTH, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, "
        "c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.CHARACTER_SET_NAME, c.COLLATION_NAME, "
        "c.GENERATION_EXPRESSION, c.IS_GENERATED, c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION "
        "FROM information_schema.COLUMNS AS c JOIN information_schema.TABLES AS t "
        "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
        "WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME"_qs +
            inList + u" ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION"_qs,
        names, what);
    while (columns.next()) {
        const QString name = text(columns, 0); // the server's spelling
        auto schema = schemas.find(name);
        if (schema == schemas.end()) {
            TableSchema found;
            found.exists = true;
            found.name = name;
            found.estimatedRows = columns.value(1).toLongLong();
            found.averageRowLength = columns.value(2).toLongLong();
            schema = schemas.insert(name, found);
        }
        ColumnInfo c;
        c.name = text(columns, 3);
        c.dataType = text(columns, 4).toLower();
        c.columnType = text(columns, 5).toLower();
        c.nullable = text(columns, 6) == u"YES";
        if (!columns.value(7).isNull())
            c.defaultExpression = text(columns, 7);
        c.extra = text(columns, 8);
        c.charset = text(columns, 9);
        c.collation = text(columns, 10);
        c.generationExpression = text(columns, 11);
        c.generated = text(columns, 12) == u"ALWAYS";
        c.stored = c.generated && (c.extra.contains(u"STORED"_qs, Qt::CaseInsensitive) ||
                                   c.extra.contains(u"PERSISTENT"_qs, Qt::CaseInsensitive));
        c.numericPrecision = columns.value(13).toInt();
        c.numericScale = columns.value(14).toInt();
        c.datetimePrecision = columns.value(15).toInt();
        schema->columns << c;
    }
    if (schemas.isEmpty())
        return schemas;

    QSqlQuery indexes = connection.select(u"SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, SEQ_IN_INDEX "
                                          "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                                          "AND TABLE_NAME"_qs +
                                              inList + u" ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"_qs,
                                          names, what);
    QHash<QString, QMap<QString, QStringList>> unique;
    while (indexes.next()) {
        auto schema = schemas.find(text(indexes, 0));
        if (schema == schemas.end())
            continue;
        if (indexes.value(4).toInt() == 1 && !schema->indexLeaders.contains(text(indexes, 2)))
            schema->indexLeaders << text(indexes, 2);
        if (indexes.value(3).toInt() == 0)
            unique[schema->name][text(indexes, 1)] << text(indexes, 2);
    }
    for (TableSchema &schema : schemas) {
        const QMap<QString, QStringList> keys = unique.value(schema.name);
        for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
            if (it.key() == u"PRIMARY")
                schema.primaryKey = it.value();
            schema.uniqueKeys << it.value();
            schema.uniqueKeyNames << it.key();
        }
    }
    return schemas;
}

QString showCreateTable(DbConnection &connection, const QString &table)
{
    MySqlDialect dialect;
    QSqlQuery query = connection.select(u"SHOW CREATE TABLE "_qs + dialect.quoteIdentifier(table), {},
                                        u"reading SHOW CREATE TABLE "_qs + table);
    return query.next() ? text(query, 1) : QString();
}

QStringList tableNames(DbConnection &connection)
{
    QSqlQuery query = connection.select(u"SELECT TABLE_NAME FROM information_schema.TABLES "
                                        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' "
                                        "ORDER BY TABLE_NAME"_qs,
                                        {}, u"listing tables"_qs);
    QStringList names;
    while (query.next())
        names << text(query, 0);
    return names;
}

} // namespace SchemaReader
} // namespace tablesync
