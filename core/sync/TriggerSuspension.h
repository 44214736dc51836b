#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tablesync {

class DbConnection;
class SqlDialect;
class SyncProgress;

// A restored target carries the application's triggers. Fired by tablesync's writes they would do
// their work a second time (the source already did it, and its results arrive with the tables they
// wrote), or fail on a duplicate key and with it the run. So while tablesync writes a table, the
// table's triggers are suspended: their definitions are stored in `_tablesync_triggers` (committed
// first), the triggers dropped, and after the writes created again exactly as they were (definer,
// sql_mode, character set, order). A run killed in between leaves the definitions stored; the next
// run of that table creates them again before anything else, and says so.
//
// Recreating a trigger of another definer needs SUPER or SET USER; without it the triggers are
// left active and the log says so (they fire, as any write's would).
class TriggerSuspension
{
public:
    // `table` as tables.json names it (the server matches trigger tables without regard to case).
    TriggerSuspension(DbConnection &target, const SqlDialect &dialect, QString table, SyncProgress &progress);
    ~TriggerSuspension(); // resumes, if still suspended; errors are logged, not thrown

    // Reads the table's triggers and creates again what a killed run left suspended: the first
    // thing every table does, whatever it does next (a table that fails its checks keeps its
    // triggers too). One round trip when there is nothing to do.
    void restoreLeftovers();
    // Suspends the table's triggers as they are now (read again). Once per object: later calls
    // do nothing.
    void suspend();
    // Creates the suspended triggers again; throws DbError when one cannot be created (its
    // definition stays stored, and the next run tries again).
    void resume();

    struct Trigger
    {
        QString name;
        int order = 0;
        QString sqlMode;
        QString characterSetClient;
        QString collationConnection;
        QString statement; // the CREATE DEFINER=... TRIGGER statement as written
    };

private:
    struct Found
    {
        QList<Trigger> stored; // left suspended by a run that was interrupted
        QList<Trigger> live;   // without their statements until suspend() needs them
    };
    Found read();
    void readStatements(QList<Trigger> &triggers);
    bool mayRecreate(const QList<Trigger> &triggers, QString &why);
    void create(const Trigger &trigger);
    void forget(const Trigger &trigger);

    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    SyncProgress &m_progress;
    std::optional<QList<Trigger>> m_live; // what restoreLeftovers() found
    QElapsedTimer m_readAt;               // when it read them
    QList<Trigger> m_suspended;
    bool m_suspendAttempted = false;
};

} // namespace tablesync
