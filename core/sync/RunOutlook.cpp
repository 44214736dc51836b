#include "sync/RunOutlook.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SchemaReader.h"
#include "db/SqlDialect.h"
#include "sync/Bookkeeping.h"
#include "sync/KeyToken.h"

#include <QSet>
#include <QSqlQuery>

namespace tablesync {

namespace {
// Tables asked about in one statement: a few hundred index lookups are nothing for the server,
// and the statement stays far below max_allowed_packet.
constexpr int kTablesPerProbe = 200;

// Nothing pending: the start is the position read last, and every mark kept is that position.
bool settled(const Bookkeeping::CursorState &state)
{
    if (!state.start || state.start->afterKey.isEmpty())
        return false;
    for (const CursorMark &mark : state.history) {
        if (mark.reached != *state.start)
            return false;
    }
    return true;
}

QSet<QString> tablesWithSuspendedTriggers(DbConnection &target)
{
    // Names compared as TriggerSuspension compares them: without regard to case.
    QSqlQuery query = target.select(u"SELECT DISTINCT table_name FROM `_tablesync_triggers`"_qs, {},
                                    u"reading the triggers left suspended"_qs);
    QSet<QString> tables;
    while (query.next())
        tables.insert(query.value(0).toString().toLower());
    return tables;
}
} // namespace

void RunOutlook::reset(const QList<TableSpec> &tables)
{
    const std::lock_guard lock(m_mutex);
    m_read = false;
    m_tables = tables;
    m_quiet.clear();
    m_withCursor.clear();
    m_cursorsKnown = false;
}

std::optional<RunOutlook::QuietTable> RunOutlook::quiet(DbConnection &source, DbConnection &target,
                                                        const SqlDialect &dialect, const QString &table)
{
    const std::lock_guard lock(m_mutex);
    if (!m_read) {
        m_read = true; // once, even when it fails: the tables' own jobs then read what they need
        try {
            read(source, target, dialect);
        } catch (const DbError &) {
            m_quiet.clear();
            m_cursorsKnown = false;
        }
    }
    const auto found = m_quiet.constFind(table);
    if (found == m_quiet.cend())
        return std::nullopt;
    return *found;
}

void RunOutlook::read(DbConnection &source, DbConnection &target, const SqlDialect &dialect)
{
    QHash<QString, TableSpec> candidates;
    for (const TableSpec &spec : std::as_const(m_tables)) {
        // Deletes are found by comparing keys, which no look at the cursor can answer.
        if (spec.isIncremental() && spec.deletes == TableSpec::Deletes::Keep)
            candidates.insert(spec.table, spec);
    }
    if (candidates.isEmpty())
        return;

    const QHash<QString, Bookkeeping::StoredCursor> cursors = Bookkeeping(target).allCursorStates();
    for (auto it = cursors.cbegin(); it != cursors.cend(); ++it)
        m_withCursor.insert(it.key());
    m_cursorsKnown = true;
    const QSet<QString> suspended = tablesWithSuspendedTriggers(target);
    QHash<QString, CursorPosition> starts;
    for (const TableSpec &spec : std::as_const(candidates)) {
        const auto cursor = cursors.constFind(spec.table);
        if (cursor == cursors.cend() || cursor->modifier.compare(spec.modifier, Qt::CaseInsensitive) != 0 ||
            !cursor->state || !settled(*cursor->state) || suspended.contains(spec.table.toLower()))
            continue;
        starts.insert(spec.table, *cursor->state->start);
    }
    if (starts.isEmpty())
        return;

    const QStringList names = starts.keys();
    const QHash<QString, TableSchema> sourceSchemas = SchemaReader::readTables(source, names);
    const QHash<QString, TableSchema> targetSchemas = SchemaReader::readTables(target, names);
    QList<QString> probed;
    QStringList questions;
    for (const QString &name : names) {
        if (!sourceSchemas.contains(name) || !targetSchemas.contains(name))
            continue; // spelled otherwise on a server, or missing: the ordinary job says what it finds
        const std::optional<QString> after =
            afterStart(dialect, candidates.value(name), sourceSchemas.value(name), starts.value(name));
        if (!after)
            continue;
        questions << QStringLiteral("(SELECT %1, NULL FROM %2 WHERE %3 LIMIT 1)")
                         .arg(probed.size())
                         .arg(dialect.quoteIdentifier(name), *after);
        probed << name;
    }
    QSet<int> withNewRows;
    QList<double> askedAt; // per statement: the source's clock as it began
    for (qsizetype first = 0; first < questions.size(); first += kTablesPerProbe) {
        // The first row gives the clock: the statement's read view begins after it, so a quiet
        // table's target holds everything the source had committed by then (its freshness).
        // A table locked by a DBA (LOCK TABLES, a pending ALTER) fails the statement after a few
        // seconds instead of holding every worker of the run: the tables then go the usual way.
        QSqlQuery query = source.select(u"SET STATEMENT lock_wait_timeout = 5 FOR "
                                        "(SELECT -1, UNIX_TIMESTAMP(NOW(6))) UNION ALL "_qs +
                                            questions.mid(first, kTablesPerProbe).join(u" UNION ALL "_qs),
                                        {}, u"looking for rows after the cursors"_qs);
        while (query.next()) {
            const int index = query.value(0).toInt();
            if (index < 0)
                askedAt << query.value(1).toDouble();
            else
                withNewRows.insert(index);
        }
    }
    for (int i = 0; i < probed.size(); ++i) {
        if (withNewRows.contains(i))
            continue;
        const QString &name = probed.at(i);
        m_quiet.insert(name, QuietTable{sourceSchemas.value(name), targetSchemas.value(name), starts.value(name),
                                        askedAt.value(i / kTablesPerProbe)});
    }
}

bool RunOutlook::knowsNoCursor(const QString &table)
{
    const std::lock_guard lock(m_mutex);
    return m_read && m_cursorsKnown && !m_withCursor.contains(table);
}

std::optional<QString> RunOutlook::afterStart(const SqlDialect &dialect, const TableSpec &spec,
                                              const TableSchema &source, const CursorPosition &start)
{
    // The condition an incremental pass's first page reads with (IncrementalPass::resumeKey):
    // after (modifier, key) in that order, with the values written in.
    const ColumnInfo *modifier = source.column(spec.modifier);
    const std::optional<QVariantList> key = KeyToken::decode(start.afterKey);
    if (!modifier || !key || key->size() != spec.primaryKey.size())
        return std::nullopt;
    QList<ColumnInfo> order{*modifier};
    QVariantList values;
    if (modifier->kind() == ValueKind::Integer) {
        bool ok = false;
        values << (modifier->isUnsigned() ? QVariant(start.modifier.toULongLong(&ok))
                                          : QVariant(start.modifier.toLongLong(&ok)));
        if (!ok)
            return std::nullopt;
    } else {
        values << start.modifier;
    }
    for (const QString &column : spec.primaryKey) {
        const ColumnInfo *keyColumn = source.column(column);
        if (!keyColumn)
            return std::nullopt;
        order << *keyColumn;
    }
    values << *key;
    QStringList literals;
    for (int i = 0; i < order.size(); ++i) {
        const std::optional<QString> literal = dialect.compareLiteral(order.at(i), values.at(i));
        if (!literal)
            return std::nullopt;
        literals << *literal;
    }
    return dialect.keysetAfterLiterals(order, literals);
}

} // namespace tablesync
