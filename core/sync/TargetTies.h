#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace tablesync {

class DbConnection;
class SqlDialect;
class SyncProgress;

// What ties a target table to the rest of the target schema: foreign keys in both directions and
// triggers. A full refresh may swap in a new copy of the table only when nothing does (RENAME
// moves the foreign keys that point at the table onto the retired copy; CREATE TABLE ... LIKE
// copies neither the table's own foreign keys nor its triggers).
//
// Also what an interrupted or earlier full refresh may have left: the staging and retired copies
// (`_tsnew_<t>`, `_tsold_<t>`) and foreign keys of other tables that a swap moved onto the retired
// copy. repairLeftovers() points those back at the table and drops the copies.
struct TargetTies
{
    QStringList referencedBy; // "child_table.constraint" of foreign keys pointing at the table
    QStringList references;   // "constraint -> parent_table" of the table's own foreign keys
    QStringList triggers;     // "name (AFTER INSERT)"
    QList<std::pair<QString, QString>> foreignKeysOnRetiredCopy; // (table, constraint) pointing at `_tsold_<t>`
    QStringList leftoverCopies;                                  // `_tsnew_<t>` / `_tsold_<t>` that exist

    // A retired copy still here after repairLeftovers() is referenced by a foreign key tablesync
    // cannot repair: a swap would collide with it, so it ties the table too.
    bool tiesTheTable() const
    {
        return !referencedBy.isEmpty() || !references.isEmpty() || !triggers.isEmpty() || !leftoverCopies.isEmpty();
    }
    // Triggers and nothing else: suspended (TriggerSuspension.h), they no longer tie the table.
    bool tiedOnlyByTriggers() const
    {
        return !triggers.isEmpty() && referencedBy.isEmpty() && references.isEmpty() && leftoverCopies.isEmpty();
    }
    // "referenced by 3 foreign keys (film_actor.fk_film_actor_actor, …), has 1 trigger (…)"
    QString describe() const;

    // One round trip to the target's information_schema.
    static TargetTies read(DbConnection &target, const QString &table);

    // Foreign keys on the retired copy go back to `table`, then the copies are dropped. Returns what
    // was repaired, for the log, one line each ("repaired: ..." or "warning: ..."); empty when there
    // was nothing to do.
    QStringList repairLeftovers(DbConnection &target, const SqlDialect &dialect, const QString &table) const;

    // DROP TABLE with foreign keys checked for this one statement (tablesync's sessions do not
    // check them): refused, with a DbError, while any foreign key still points at the table,
    // including ones tablesync cannot see (another database's, or hidden by privileges).
    static void dropUnreferenced(DbConnection &target, const QString &quotedTable, const QString &what);
};

// The names of a full refresh's helper tables, within MySQL's 64-character limit.
QString stagingTableName(const QString &table);
QString retiredTableName(const QString &table);

} // namespace tablesync
