#include "db/SchemaReader.h"

#include "db/DbConnection.h"
#include "db/MySqlDialect.h"

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
    TableSchema schema;
    schema.name = table;
    const QString what = u"reading the definition of "_qs + table + u" on the "_qs + connection.settings().role;

    QSqlQuery tables =
        connection.select(u"SELECT TABLE_NAME, TABLE_ROWS, AVG_ROW_LENGTH FROM information_schema.TABLES "
                          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"_qs,
                          {table}, what);
    if (!tables.next())
        return schema;
    schema.exists = true;
    schema.name = text(tables, 0); // the server's spelling
    schema.estimatedRows = tables.value(1).toLongLong();
    schema.averageRowLength = tables.value(2).toLongLong();

    QSqlQuery columns =
        connection.select(u"SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                          "CHARACTER_SET_NAME, COLLATION_NAME, GENERATION_EXPRESSION, IS_GENERATED, "
                          "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION "
                          "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
                          "ORDER BY ORDINAL_POSITION"_qs,
                          {schema.name}, what);
    while (columns.next()) {
        ColumnInfo c;
        c.name = text(columns, 0);
        c.dataType = text(columns, 1).toLower();
        c.columnType = text(columns, 2).toLower();
        c.nullable = text(columns, 3) == u"YES";
        if (!columns.value(4).isNull())
            c.defaultExpression = text(columns, 4);
        c.extra = text(columns, 5);
        c.charset = text(columns, 6);
        c.collation = text(columns, 7);
        c.generationExpression = text(columns, 8);
        c.generated = text(columns, 9) == u"ALWAYS";
        c.stored = c.generated && (c.extra.contains(u"STORED"_qs, Qt::CaseInsensitive) ||
                                   c.extra.contains(u"PERSISTENT"_qs, Qt::CaseInsensitive));
        c.numericPrecision = columns.value(10).toInt();
        c.numericScale = columns.value(11).toInt();
        c.datetimePrecision = columns.value(12).toInt();
        schema.columns << c;
    }

    QSqlQuery keys = connection.select(u"SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
                                       "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
                                       "ORDER BY INDEX_NAME, SEQ_IN_INDEX"_qs,
                                       {schema.name}, what);
    QMap<QString, QStringList> unique;
    while (keys.next())
        unique[text(keys, 0)] << text(keys, 1);
    for (auto it = unique.cbegin(); it != unique.cend(); ++it) {
        if (it.key() == u"PRIMARY")
            schema.primaryKey = it.value();
        schema.uniqueKeys << it.value();
        schema.uniqueKeyNames << it.key();
    }
    return schema;
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
