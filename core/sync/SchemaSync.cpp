#include "sync/SchemaSync.h"

#include "db/DbConnection.h"
#include "db/SchemaReader.h"
#include "db/SqlDialect.h"

#include <QRegularExpression>

namespace tablesync {

SchemaSync::SchemaSync(DbConnection &source, DbConnection &target, const SqlDialect &dialect)
    : m_source(source)
    , m_target(target)
    , m_dialect(dialect)
{}

QString SchemaSync::targetCreateStatement(const QString &sourceCreate)
{
    QStringList lines = sourceCreate.split(u'\n');
    QStringList kept;
    for (const QString &line : std::as_const(lines)) {
        if (line.trimmed().startsWith(u"CONSTRAINT"_qs) && line.contains(u"FOREIGN KEY"_qs))
            continue;
        kept << line;
    }
    // A removed last definition leaves a dangling comma before the closing parenthesis.
    for (int i = 1; i < kept.size(); ++i) {
        if (kept[i].startsWith(u')') && kept[i - 1].endsWith(u','))
            kept[i - 1].chop(1);
    }
    QString statement = kept.join(u'\n');
    static const QRegularExpression autoIncrement(u" AUTO_INCREMENT=\\d+"_qs);
    statement.remove(autoIncrement);
    return statement;
}

QString SchemaSync::withBookkeepingColumns(const QString &create)
{
    // After the source's definitions, before the closing parenthesis: the columns come last, as
    // the ALTER of an existing table adds them (column and key definitions may be interleaved).
    const qsizetype close = create.lastIndexOf(u"\n)"_qs);
    if (close < 0)
        return create; // not SHOW CREATE TABLE's layout: the ALTER below adds them
    return create.left(close) + u",\n  `_dlt_load_id` text NOT NULL,\n  `_dlt_id` varchar(128) NOT NULL"_qs +
           create.mid(close);
}

QString SchemaSync::columnDefinition(const ColumnInfo &c) const
{
    QString def = m_dialect.quoteIdentifier(c.name) + u' ' + c.columnType;
    if (!c.charset.isEmpty() && c.kind() == ValueKind::Text)
        def += u" CHARACTER SET "_qs + c.charset + u" COLLATE "_qs + c.collation;
    if (c.generated) {
        def += u" GENERATED ALWAYS AS ("_qs + c.generationExpression + (c.stored ? u") STORED"_qs : u") VIRTUAL"_qs);
        return def;
    }
    def += c.nullable ? u" NULL"_qs : u" NOT NULL"_qs;
    // MariaDB reports COLUMN_DEFAULT as an SQL expression ('text', 0, NULL, current_timestamp()).
    if (!c.defaultExpression.isEmpty())
        def += u" DEFAULT "_qs + c.defaultExpression;
    static const QRegularExpression onUpdate(u"on update ([^ ]+\\(\\d*\\))"_qs,
                                             QRegularExpression::CaseInsensitiveOption);
    const auto match = onUpdate.match(c.extra);
    if (match.hasMatch())
        def += u" ON UPDATE "_qs + match.captured(1);
    return def;
}

void SchemaSync::change(Result &result, const QString &sql, const QString &what, Concurrency concurrency)
{
    result.statements << sql;
    if (m_planOnly)
        return;
    if (concurrency == Concurrency::Alone)
        m_target.execSchemaChange(sql, what);
    else
        m_target.exec(sql, what);
}

SchemaSync::Result SchemaSync::apply(const TableSchema &sourceSchema, const TableSpec &spec,
                                     const std::function<void()> &beforeNeedingEveryRow, const TableSchema *knownTarget)
{
    Result result;
    const QString table = m_dialect.quoteIdentifier(sourceSchema.name);
    TableSchema target = knownTarget ? *knownTarget : SchemaReader::readTable(m_target, sourceSchema.name);

    if (!target.exists) {
        // The _dlt_ columns go into the CREATE itself: one statement, one round trip, not two.
        const QString create =
            withBookkeepingColumns(targetCreateStatement(SchemaReader::showCreateTable(m_source, sourceSchema.name)));
        // A table that is missing now may have been dropped after rows were synced into it: a
        // cursor left from then would skip every row before it in the new, empty table.
        if (beforeNeedingEveryRow && !m_planOnly)
            beforeNeedingEveryRow();
        // Without foreign keys, nothing ties the new table to another: it needs none of the
        // one-at-a-time care of an ALTER (DbConnection::execSchemaChange), and a first load of
        // many tables across a network would otherwise wait a round trip per table in line.
        change(result, create, u"creating "_qs + sourceSchema.name + u" in the target"_qs, Concurrency::Together);
        result.created = true;
        result.notes << u"created the table from the source definition"_qs;
        // The table is now the source's, with its columns and keys (and the _dlt_ columns):
        // no need to ask the target what it just took.
        target = sourceSchema;
        target.exists = true;
        if (create.contains(u"`_dlt_id`"_qs)) {
            const auto bookkeepingColumn = [](const char *name, const QString &dataType, const QString &columnType) {
                ColumnInfo column;
                column.name = QString::fromLatin1(name);
                column.dataType = dataType;
                column.columnType = columnType;
                return column;
            };
            target.columns << bookkeepingColumn(kLoadIdColumn, u"text"_qs, u"text"_qs);
            target.columns << bookkeepingColumn(kRowIdColumn, u"varchar"_qs, u"varchar(128)"_qs);
        }
    }

    QStringList additions;
    QString previous;
    for (const ColumnInfo &column : sourceSchema.columns) {
        const ColumnInfo *existing = target.column(column.name);
        if (!existing) {
            QString add = u"ADD COLUMN "_qs + columnDefinition(column);
            if (!previous.isEmpty() && target.column(previous))
                add += u" AFTER "_qs + m_dialect.quoteIdentifier(previous);
            additions << add;
            result.addedColumns << column.name;
        } else if (existing->columnType != column.columnType ||
                   (column.kind() == ValueKind::Text && existing->charset != column.charset)) {
            result.drift << QStringLiteral("column %1 is %2%3 in the source but %4%5 in the target; "
                                           "left as it is")
                                .arg(column.name, column.columnType,
                                     column.charset.isEmpty() ? QString() : u' ' + column.charset, existing->columnType,
                                     existing->charset.isEmpty() ? QString() : u' ' + existing->charset);
        }
        previous = column.name;
    }
    // Columns only the target has (dropped from the source, or added by a person) are kept; new
    // rows get their default, and a NOT NULL column without one makes the writes fail loudly.
    for (const ColumnInfo &column : std::as_const(target.columns)) {
        if (column.name.startsWith(u"_dlt_"_qs) || sourceSchema.column(column.name))
            continue;
        const bool fillable = column.nullable || !column.defaultExpression.isEmpty() || column.generated ||
                              column.extra.contains(u"auto_increment"_qs, Qt::CaseInsensitive);
        result.drift << QStringLiteral("column %1 exists only in the target; kept, %2")
                            .arg(column.name, fillable ? u"new rows get its default"_qs
                                                       : u"but it is NOT NULL without a default, so new rows "
                                                         "cannot be written: give it a default or drop it"_qs);
    }
    if (!additions.isEmpty()) {
        if (beforeNeedingEveryRow)
            beforeNeedingEveryRow();
        change(result, u"ALTER TABLE "_qs + table + u' ' + additions.join(u", "_qs),
               u"adding columns to "_qs + sourceSchema.name + u" in the target"_qs);
        result.notes << u"added column(s) "_qs + result.addedColumns.join(u", "_qs);
    }

    QStringList dltColumns;
    if (!target.column(QString::fromLatin1(kLoadIdColumn)))
        dltColumns << u"ADD COLUMN `_dlt_load_id` text NOT NULL"_qs;
    if (!target.column(QString::fromLatin1(kRowIdColumn)))
        dltColumns << u"ADD COLUMN `_dlt_id` varchar(128) NOT NULL"_qs;
    if (!dltColumns.isEmpty()) {
        change(result, u"ALTER TABLE "_qs + table + u' ' + dltColumns.join(u", "_qs),
               u"adding the _dlt_ columns to "_qs + sourceSchema.name);
        if (!result.created)
            result.notes << u"added the _dlt_ columns"_qs;
    }

    if ((!additions.isEmpty() || !dltColumns.isEmpty()) && !m_planOnly)
        target = SchemaReader::readTable(m_target, sourceSchema.name);

    // Upserts match rows by the configured key, so the target needs a unique index on exactly it.
    // A table without a key is only ever replaced whole, never upserted: it needs none.
    if (!spec.primaryKey.isEmpty() && !target.hasUniqueKeyOn(spec.primaryKey)) {
        QStringList quoted;
        for (const QString &column : spec.primaryKey)
            quoted << m_dialect.quoteIdentifier(column);
        change(result, u"ALTER TABLE "_qs + table + u" ADD UNIQUE KEY `_tablesync_pk` ("_qs + quoted.join(u',') + u')',
               u"adding a unique key on ("_qs + spec.primaryKey.join(u", "_qs) + u") to "_qs + sourceSchema.name +
                   u" in the target (the key the upserts match on)"_qs);
        result.notes << u"added a unique key on ("_qs + spec.primaryKey.join(u", "_qs) + u')';
        if (!m_planOnly)
            target = SchemaReader::readTable(m_target, sourceSchema.name);
    }
    result.target = target;
    return result;
}

} // namespace tablesync
