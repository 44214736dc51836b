#include "db/TableDiscovery.h"

#include "db/ConnectionProbe.h"
#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

namespace tablesync {

QString DiscoveredTable::suggestedModifier() const
{
    // Below this a column is merely orderable (an id, a created_at): not a sign of "changes".
    constexpr int kLikely = 40;
    return !modifierCandidates.isEmpty() && modifierCandidates.first().score >= kLikely
               ? modifierCandidates.first().column
               : QString();
}

QString DiscoveredTable::note() const
{
    if (primaryKey.isEmpty() && uniqueKey.isEmpty())
        return u"No primary key and no unique key of NOT NULL columns: synced by full refresh, the whole table "
               "every run (rows cannot be updated one by one without a key). A PRIMARY KEY in the source would "
               "allow incremental sync."_qs;
    if (primaryKey.isEmpty())
        return u"No primary key: the unique key (%1) of NOT NULL columns identifies rows instead."_qs.arg(
            uniqueKey.join(u", "_qs));
    return {};
}

const ColumnInfo *DiscoveredTable::column(const QString &columnName) const
{
    for (const ColumnInfo &c : columns) {
        if (c.name.compare(columnName, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

QStringList DiscoveredTable::orderableColumns() const
{
    QStringList names;
    for (const ColumnInfo &c : columns) {
        if (c.canOrderRows())
            names << c.name;
    }
    return names;
}

namespace TableDiscovery {

namespace {
QString text(const QSqlQuery &query, int index)
{
    const QVariant value = query.value(index);
    return value.typeId() == QMetaType::QByteArray ? QString::fromUtf8(value.toByteArray()) : value.toString();
}
} // namespace

QList<ModifierCandidate> rankModifiers(const DiscoveredTable &table)
{
    // Names people give "last changed" columns, and names of columns that never change after insert.
    static const QRegularExpression changed(
        u"(updated|modified|changed|last_?update|last_?modif|mtime|_?ts$|timestamp|sync|version|rowversion)"_qs,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression created(u"(created|inserted|added|birth|date_of|start|begin)"_qs,
                                            QRegularExpression::CaseInsensitiveOption);
    QList<ModifierCandidate> candidates;
    for (const ColumnInfo &c : table.columns) {
        if (!c.canOrderRows() || table.primaryKey.contains(c.name, Qt::CaseInsensitive))
            continue;
        ModifierCandidate candidate;
        candidate.column = c.name;
        candidate.columnType = c.columnType;
        candidate.indexed = table.hasIndexStartingWith(c.name);
        candidate.onUpdate = c.extra.contains(u"on update"_qs, Qt::CaseInsensitive);
        const bool temporal = c.dataType == u"datetime" || c.dataType == u"timestamp";
        const bool changedName = changed.match(c.name).hasMatch();
        const bool createdName = created.match(c.name).hasMatch();
        QStringList why;
        if (candidate.onUpdate) {
            candidate.score += 50;
            why << u"set by the server on every update"_qs;
        }
        if (temporal) {
            candidate.score += 20;
        } else if (!changedName) {
            continue; // an integer or DECIMAL column is a candidate only when its name says so
        }
        if (changedName) {
            candidate.score += 30;
            why << u"named like a change time"_qs;
        }
        if (createdName && !changedName && !candidate.onUpdate) {
            candidate.score -= 30;
            why << u"looks like a creation time (does not change on update)"_qs;
        }
        if (candidate.indexed) {
            candidate.score += 15;
            why << u"indexed"_qs;
        } else {
            why << u"not indexed: every batch would scan the table"_qs;
        }
        if (c.nullable)
            why << u"rows where it is NULL are not synced"_qs;
        candidate.reason = c.columnType.toUpper() + u": "_qs + why.join(u", "_qs);
        candidates << candidate;
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const ModifierCandidate &a, const ModifierCandidate &b) { return a.score > b.score; });
    return candidates;
}

QList<DiscoveredTable> read(DbConnection &connection)
{
    const QString what = u"discovering the tables of the "_qs + connection.settings().role;
    QMap<QString, DiscoveredTable> tables; // sorted by name
    QHash<QString, QString> lowerToName;

    QSqlQuery list =
        connection.select(u"SELECT TABLE_NAME, ENGINE, TABLE_ROWS, DATA_LENGTH FROM "
                          "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                          "TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT LIKE '\\_dlt\\_%' AND "
                          "TABLE_NAME NOT LIKE '\\_tablesync\\_%' AND TABLE_NAME NOT LIKE '\\_tsnew\\_%'"_qs,
                          {}, what);
    while (list.next()) {
        DiscoveredTable t;
        t.name = text(list, 0);
        t.engine = text(list, 1);
        t.estimatedRows = list.value(2).toLongLong();
        t.dataBytes = list.value(3).toLongLong();
        lowerToName.insert(t.name.toLower(), t.name);
        tables.insert(t.name.toLower(), t);
    }

    QSqlQuery columns = connection.select(u"SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, "
                                          "EXTRA, CHARACTER_SET_NAME, IS_GENERATED FROM information_schema.COLUMNS "
                                          "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION"_qs,
                                          {}, what);
    while (columns.next()) {
        auto it = tables.find(text(columns, 0).toLower());
        if (it == tables.end())
            continue; // a view or a bookkeeping table
        ColumnInfo c;
        c.name = text(columns, 1);
        c.dataType = text(columns, 2).toLower();
        c.columnType = text(columns, 3).toLower();
        c.nullable = text(columns, 4) == u"YES";
        c.extra = text(columns, 5);
        c.charset = text(columns, 6);
        c.generated = text(columns, 7) == u"ALWAYS";
        it->columns << c;
    }

    QSqlQuery indexes = connection.select(u"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME "
                                          "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                                          "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"_qs,
                                          {}, what);
    QMap<QString, QMap<QString, QStringList>> uniqueKeys; // table -> index -> columns
    while (indexes.next()) {
        const QString table = text(indexes, 0).toLower();
        auto it = tables.find(table);
        if (it == tables.end())
            continue;
        const QString index = text(indexes, 1);
        const QString column = text(indexes, 4);
        if (indexes.value(3).toInt() == 1 && !it->indexLeadingColumns.contains(column.toLower()))
            it->indexLeadingColumns << column.toLower();
        if (indexes.value(2).toInt() == 0)
            uniqueKeys[table][index] << column;
    }
    for (auto it = tables.begin(); it != tables.end(); ++it) {
        const QMap<QString, QStringList> keys = uniqueKeys.value(it.key());
        it->primaryKey = keys.value(u"PRIMARY"_qs);
        if (!it->primaryKey.isEmpty())
            it->uniqueNotNullKeys << it->primaryKey;
        // A unique key whose columns are all NOT NULL identifies rows as well as a primary key.
        for (auto key = keys.cbegin(); key != keys.cend(); ++key) {
            const bool allNotNull = std::all_of(key->cbegin(), key->cend(), [&](const QString &name) {
                const ColumnInfo *c = it->column(name);
                return c && !c->nullable;
            });
            if (!allNotNull || key.key() == u"PRIMARY")
                continue;
            it->uniqueNotNullKeys << *key;
            if (it->primaryKey.isEmpty() && (it->uniqueKey.isEmpty() || key->size() < it->uniqueKey.size()))
                it->uniqueKey = *key;
        }
        it->modifierCandidates = rankModifiers(*it);
    }
    return tables.values();
}

DiscoveryResult run(const ConnectionSettings &settings)
{
    DiscoveryResult result;
    result.database = settings.database;
    result.server = settings.displayName();
    QElapsedTimer timer;
    timer.start();
    try {
        DbConnection connection(settings);
        connection.open();
        result.tables = read(connection);
        result.ok = true;
    } catch (const DbError &e) {
        result.error = e.message();
        result.hint = ConnectionProbe::hintFor(e.message(), settings);
    }
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace TableDiscovery
} // namespace tablesync
