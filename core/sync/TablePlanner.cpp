#include "sync/TablePlanner.h"

#include "db/DbConnection.h"
#include "sync/Bookkeeping.h"
#include "sync/FullRefresh.h"
#include "sync/SchemaSync.h"
#include "sync/SoftDeletes.h"
#include "sync/TableComparer.h"
#include "sync/TableJob.h"
#include "sync/TargetTies.h"

#include <QLocale>
#include <QSqlQuery>

namespace tablesync {

TablePlanner::TablePlanner(SyncContext &context, const TableSpec &spec, const TableSchema &source, TableResult &result)
    : m_context(context)
    , m_spec(spec)
    , m_source(source)
    , m_result(result)
{}

void TablePlanner::say(const QString &line)
{
    m_context.progress.onTableMessage(m_spec.table, u"plan: "_qs + line);
}

bool TablePlanner::targetHas(const QString &table)
{
    return m_context.target
               .scalar(
                   u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"_qs,
                   {table}, u"looking for "_qs + table + u" in the target"_qs)
               .toInt() > 0;
}

void TablePlanner::plan()
{
    const bool targetExists = targetHas(m_source.name);
    planSchema(targetExists);
    if (m_spec.isIncremental())
        planIncremental(targetExists);
    else
        planFullRefresh(targetExists);
    planTriggers(targetExists);
    planDeletes(targetExists);
}

void TablePlanner::planSchema(bool targetExists)
{
    SchemaSync schema(m_context.source, m_context.target, m_context.dialect);
    schema.setPlanOnly(true);
    const SchemaSync::Result planned = schema.apply(m_source, m_spec, {});
    if (!targetExists)
        say(u"the target has no table "_qs + m_source.name +
            u": it is created from the source's definition "
            "(foreign keys and the AUTO_INCREMENT counter left out)"_qs);
    for (const QString &statement : planned.statements)
        say(u"would run: "_qs + statement);
    if (targetExists && planned.statements.isEmpty())
        say(u"the target table's columns and keys need no change"_qs);
    for (const QString &drift : planned.drift)
        say(u"schema drift (left as it is): "_qs + drift);
}

void TablePlanner::planIncremental(bool targetExists)
{
    const QString rows = QLocale().toString(m_source.estimatedRows);
    std::optional<Bookkeeping::CursorState> state;
    if (targetExists && targetHas(QString::fromLatin1(Bookkeeping::kStateTable)))
        state = Bookkeeping(m_context.target).cursorState(m_spec.table, m_spec.modifier);
    m_result.strategy = u"incremental by "_qs + m_spec.modifier;
    if (!state) {
        say(QStringLiteral("incremental by %1: no cursor yet, so the first run reads all ~%2 row(s)%3")
                .arg(m_spec.modifier, rows,
                     m_spec.initialValue ? u" from initial_value "_qs + *m_spec.initialValue : QString()));
        return;
    }
    if (!state->start) {
        say(QStringLiteral("incremental by %1: the next run reads from the beginning (~%2 row(s))")
                .arg(m_spec.modifier, rows));
        return;
    }
    say(QStringLiteral("incremental by %1: the next run reads the rows from %1 = %2%3 on, and re-checks unchanged "
                       "ones without writing them")
            .arg(m_spec.modifier, state->start->modifier,
                 state->start->afterKey.isEmpty() ? QString() : u" (after the key stored with it)"_qs));
}

void TablePlanner::planFullRefresh(bool targetExists)
{
    const QString rows = QLocale().toString(m_source.estimatedRows);
    if (m_spec.primaryKey.isEmpty())
        say(u"no primary_key: the table is read whole in one statement and _dlt_id is derived from every column"_qs);
    if (!targetExists) {
        say(QStringLiteral("full refresh: copies all ~%1 row(s) into the new table").arg(rows));
        m_result.strategy = u"full refresh (new table)"_qs;
        return;
    }
    TargetTies ties = TargetTies::read(m_context.target, m_source.name);
    // The run suspends the triggers before the refresh and creates them again on the table that
    // then has the name (TriggerSuspension.h), so they do not keep it from being swapped.
    ties.triggers.clear();
    for (const auto &[table, constraint] : ties.foreignKeysOnRetiredCopy)
        say(u"would repair: foreign key "_qs + constraint + u" of "_qs + table + u" points at "_qs +
            retiredTableName(m_source.name) + u" and is pointed back at "_qs + m_source.name);
    for (const QString &copy : ties.leftoverCopies)
        say(u"would drop "_qs + copy + u", left by an interrupted full refresh"_qs);
    const bool swap = FullRefresh::methodFor(ties) == FullRefresh::Method::Swap;
    m_result.strategy = swap ? u"full refresh (swap)"_qs : u"full refresh (in place)"_qs;
    if (swap) {
        say(QStringLiteral("full refresh: copies all ~%1 row(s) into a staging table and swaps it in with one "
                           "RENAME TABLE (nothing else in the target refers to the table)")
                .arg(rows));
    } else if (m_spec.primaryKey.isEmpty()) {
        say(QStringLiteral("full refresh in place: copies all ~%1 row(s) into a staging table, then in one "
                           "transaction deletes the table's rows and writes the new content (no primary_key, so rows "
                           "cannot be matched one by one), because the target table %2")
                .arg(rows, ties.describe()));
    } else {
        say(QStringLiteral("full refresh in place: compares the ~%1 row(s) with the source chunk by chunk and in "
                           "one transaction deletes the rows the source no longer has and writes the changed and new "
                           "ones (through a staging copy when more than a tenth differ), because the target table %2")
                .arg(rows, ties.describe()));
    }
}

void TablePlanner::planTriggers(bool targetExists)
{
    if (!targetExists)
        return;
    QSqlQuery q =
        m_context.target.select(u"SELECT CONCAT(TRIGGER_NAME, ' (', ACTION_TIMING, ' ', EVENT_MANIPULATION, "
                                "')') FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
                                "AND EVENT_OBJECT_TABLE = ?"_qs,
                                {m_source.name}, u"reading the triggers of "_qs + m_source.name);
    QStringList triggers;
    while (q.next())
        triggers << q.value(0).toString();
    if (!triggers.isEmpty())
        say(QStringLiteral("the target table's %1 trigger(s) (%2) are suspended while it is written and created "
                           "again afterwards")
                .arg(triggers.size())
                .arg(triggers.join(u", "_qs)));
}

void TablePlanner::planDeletes(bool targetExists)
{
    if (!m_spec.isIncremental() || m_spec.deletes == TableSpec::Deletes::Keep || !targetExists)
        return;
    QList<ColumnInfo> keys;
    for (const QString &key : m_spec.primaryKey)
        keys << *m_source.column(key);
    TableComparer comparer(m_context.source, m_context.target, m_context.dialect, m_source.name, keys,
                           m_spec.primaryKey, TableComparer::Scope::Keys);
    const bool soft = m_spec.deletes == TableSpec::Deletes::Soft;
    if (soft)
        comparer.setTargetCondition(SoftDeletes::liveCondition(m_context.dialect));
    qint64 gone = 0;
    comparer.setStopFlag(&m_context.stopRequested); // a preview closed in the window stops here
    comparer.run([&](const TableComparer::Difference &d) { gone += d.extra.size(); });
    say(QStringLiteral("deletes: %1: %2 row(s) of the target are no longer in the source and would be %3")
            .arg(soft ? u"soft"_qs : u"propagate"_qs)
            .arg(gone)
            .arg(soft ? u"marked in _dlt_deleted_at"_qs : u"deleted"_qs));
}

} // namespace tablesync
