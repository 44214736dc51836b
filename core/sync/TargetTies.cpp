#include "sync/TargetTies.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"

#include <QCryptographicHash>
#include <QSqlQuery>

namespace tablesync {

namespace {
QString helperTableName(const QString &prefix, const QString &table)
{
    if (prefix.size() + table.size() <= 64)
        return prefix + table;
    const QByteArray digest = QCryptographicHash::hash(table.toUtf8(), QCryptographicHash::Md5).toHex();
    return prefix + QString::fromLatin1(digest);
}

QString listOf(const QStringList &items, const QString &one, const QString &many)
{
    if (items.isEmpty())
        return {};
    return (items.size() == 1 ? one : many.arg(items.size())) + u" ("_qs + items.join(u", "_qs) + u')';
}

// A foreign key as it stands, to be created again pointing at another table.
struct ForeignKey
{
    QString table;
    QString name;
    QStringList columns;
    QStringList referencedColumns;
    QString referencedTable;
    QString updateRule;
    QString deleteRule;
};

QString definition(const SqlDialect &dialect, const ForeignKey &key)
{
    QStringList columns, referenced;
    for (const QString &c : key.columns)
        columns << dialect.quoteIdentifier(c);
    for (const QString &c : key.referencedColumns)
        referenced << dialect.quoteIdentifier(c);
    // RESTRICT is the default; spelt out, MariaDB would show it as NO ACTION.
    QString rules;
    if (key.deleteRule != u"RESTRICT")
        rules += u" ON DELETE "_qs + key.deleteRule;
    if (key.updateRule != u"RESTRICT")
        rules += u" ON UPDATE "_qs + key.updateRule;
    return u"CONSTRAINT "_qs + dialect.quoteIdentifier(key.name) + u" FOREIGN KEY ("_qs + columns.join(u", "_qs) +
           u") REFERENCES "_qs + dialect.quoteIdentifier(key.referencedTable) + u" ("_qs + referenced.join(u", "_qs) +
           u')' + rules;
}

ForeignKey readForeignKey(DbConnection &target, const QString &table, const QString &name)
{
    ForeignKey key{table, name, {}, {}, {}, {}, {}};
    QSqlQuery columns = target.select(
        u"SELECT k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE, r.REFERENCED_TABLE_NAME "
        "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
        "AND r.TABLE_NAME = k.TABLE_NAME WHERE k.CONSTRAINT_SCHEMA = DATABASE() AND k.TABLE_NAME = ? "
        "AND k.CONSTRAINT_NAME = ? ORDER BY k.ORDINAL_POSITION"_qs,
        {table, name}, u"reading foreign key "_qs + name + u" of "_qs + table);
    while (columns.next()) {
        key.columns << columns.value(0).toString();
        key.referencedColumns << columns.value(1).toString();
        key.updateRule = columns.value(2).toString();
        key.deleteRule = columns.value(3).toString();
        key.referencedTable = columns.value(4).toString();
    }
    return key;
}
} // namespace

QString stagingTableName(const QString &table)
{
    return helperTableName(u"_tsnew_"_qs, table);
}

QString retiredTableName(const QString &table)
{
    return helperTableName(u"_tsold_"_qs, table);
}

void TargetTies::dropUnreferenced(DbConnection &target, const QString &quotedTable, const QString &what)
{
    target.exec(u"SET SESSION foreign_key_checks = 1"_qs, what);
    try {
        target.execSchemaChange(u"DROP TABLE "_qs + quotedTable, what);
    } catch (const DbError &) {
        target.exec(u"SET SESSION foreign_key_checks = 0"_qs, what);
        throw;
    }
    target.exec(u"SET SESSION foreign_key_checks = 0"_qs, what);
}

QString TargetTies::describe() const
{
    QStringList parts;
    parts << listOf(referencedBy, u"referenced by 1 foreign key"_qs, u"referenced by %1 foreign keys"_qs)
          << listOf(references, u"has 1 foreign key"_qs, u"has %1 foreign keys"_qs)
          << listOf(triggers, u"has 1 trigger"_qs, u"has %1 triggers"_qs)
          << listOf(leftoverCopies, u"has a retired copy still referenced"_qs, u"has %1 copies still referenced"_qs);
    parts.removeAll(QString());
    return parts.join(u", "_qs);
}

TargetTies TargetTies::read(DbConnection &target, const QString &table)
{
    const QString staging = stagingTableName(table);
    const QString retired = retiredTableName(table);
    QSqlQuery query = target.select(
        // Foreign keys of other databases count too: a RENAME would move them as well.
        u"SELECT 'referenced_by', IF(CONSTRAINT_SCHEMA = DATABASE(), TABLE_NAME, CONCAT(CONSTRAINT_SCHEMA, '.', "
        "TABLE_NAME)), CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS "
        "WHERE UNIQUE_CONSTRAINT_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ? "
        "UNION ALL SELECT 'references', REFERENCED_TABLE_NAME, CONSTRAINT_NAME "
        "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? "
        "UNION ALL SELECT 'trigger', TRIGGER_NAME, CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION) "
        "FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? "
        "UNION ALL SELECT 'on_retired', TABLE_NAME, CONSTRAINT_NAME "
        "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() "
        "AND REFERENCED_TABLE_NAME = ? "
        "UNION ALL SELECT 'leftover', TABLE_NAME, '' FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?)"_qs,
        {table, table, table, retired, staging, retired}, u"reading the foreign keys and triggers of "_qs + table);
    TargetTies ties;
    while (query.next()) {
        const QString kind = query.value(0).toString();
        const QString name = query.value(1).toString();
        const QString detail = query.value(2).toString();
        if (kind == u"referenced_by")
            ties.referencedBy << name + u'.' + detail;
        else if (kind == u"references")
            ties.references << detail + u" -> "_qs + name;
        else if (kind == u"trigger")
            ties.triggers << name + u" ("_qs + detail + u')';
        else if (kind == u"on_retired")
            ties.foreignKeysOnRetiredCopy.append({name, detail});
        else
            ties.leftoverCopies << name;
    }
    return ties;
}

QStringList TargetTies::repairLeftovers(DbConnection &target, const SqlDialect &dialect, const QString &table) const
{
    QStringList repaired;
    const QString retired = retiredTableName(table);
    for (const auto &[owner, name] : foreignKeysOnRetiredCopy) {
        if (owner == retired)
            continue; // the copy's own key on itself (a tree): dropped with the copy below
        ForeignKey key = readForeignKey(target, owner, name);
        if (key.columns.isEmpty() || key.columns.size() != key.referencedColumns.size())
            throw DbError(QStringLiteral("cannot read the columns of foreign key %1 of %2, which points at %3; "
                                         "left as it is")
                              .arg(name, owner, retired));
        key.referencedTable = table;
        const QString quotedOwner = dialect.quoteIdentifier(owner);
        const QString quotedName = dialect.quoteIdentifier(name);
        // MariaDB refuses to drop and add a constraint of one name in one ALTER. The session does
        // not check foreign keys, so the new one is added without a scan of the rows.
        target.execSchemaChange(u"ALTER TABLE "_qs + quotedOwner + u" DROP FOREIGN KEY "_qs + quotedName,
                                u"repairing foreign key "_qs + name + u" of "_qs + owner);
        target.execSchemaChange(u"ALTER TABLE "_qs + quotedOwner + u" ADD "_qs + definition(dialect, key),
                                u"repairing foreign key "_qs + name + u" of "_qs + owner);
        repaired << QStringLiteral(
                        "repaired: foreign key %1 of %2 pointed at %3, the copy an interrupted or earlier full "
                        "refresh retired; it points at %4 again")
                        .arg(name, owner, retired, table);
    }
    // A swap left the table's own foreign keys on the retired copy (CREATE TABLE ... LIKE copies
    // none): they move back once the copy is gone (constraint names are unique per database).
    QList<ForeignKey> ownKeys;
    if (leftoverCopies.contains(retired)) {
        QSqlQuery own = target.select(u"SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS "
                                      "WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?"_qs,
                                      {retired}, u"reading the foreign keys of "_qs + retired);
        QStringList names;
        while (own.next())
            names << own.value(0).toString();
        for (const QString &name : names) {
            ForeignKey key = readForeignKey(target, retired, name);
            if (key.referencedTable == retired) // a tree: the table points at itself
                key.referencedTable = table;
            ownKeys << key;
        }
    }
    // Staging tables first: nothing refers to them, and the next copy needs the name.
    for (const QString &copy : leftoverCopies) {
        if (copy == retired)
            continue;
        target.execSchemaChange(u"DROP TABLE IF EXISTS "_qs + dialect.quoteIdentifier(copy),
                                u"dropping the leftover copy "_qs + copy);
        repaired << QStringLiteral("repaired: dropped %1, left by an interrupted full refresh").arg(copy);
    }
    if (leftoverCopies.contains(retired)) {
        try {
            dropUnreferenced(target, dialect.quoteIdentifier(retired), u"dropping the leftover copy "_qs + retired);
        } catch (const DbError &refused) {
            // Kept, and with it the table's own foreign keys on it: the table is refreshed in place.
            repaired << QStringLiteral("warning: kept %1, left by an interrupted full refresh: a foreign key "
                                       "tablesync cannot repair still points at it (%2)")
                            .arg(retired, refused.message());
            return repaired;
        }
        repaired << QStringLiteral("repaired: dropped %1, left by an interrupted full refresh").arg(retired);
    }
    for (const ForeignKey &key : ownKeys) {
        target.execSchemaChange(u"ALTER TABLE "_qs + dialect.quoteIdentifier(table) + u" ADD "_qs +
                                    definition(dialect, key),
                                u"restoring foreign key "_qs + key.name + u" of "_qs + table);
        repaired << QStringLiteral("repaired: foreign key %1 of %2 had stayed on %3; it is on %2 again")
                        .arg(key.name, table, retired);
    }
    return repaired;
}

} // namespace tablesync
