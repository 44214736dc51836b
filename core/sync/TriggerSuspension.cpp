#include "sync/TriggerSuspension.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SqlDialect.h"
#include "sync/TableJob.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace tablesync {

TriggerSuspension::TriggerSuspension(DbConnection &target, const SqlDialect &dialect, QString table,
                                     SyncProgress &progress)
    : m_target(target)
    , m_dialect(dialect)
    , m_table(std::move(table))
    , m_progress(progress)
{}

TriggerSuspension::~TriggerSuspension()
{
    if (m_suspended.isEmpty())
        return;
    try {
        // A write that failed may have left its transaction open: CREATE TRIGGER would commit it.
        m_target.rollback();
        resume();
    } catch (const DbError &e) {
        m_progress.onTableMessage(m_table, u"warning: could not create the suspended triggers again (the next run "
                                           "tries again; their definitions are in _tablesync_triggers): "_qs +
                                               e.message());
    }
}

TriggerSuspension::Found TriggerSuspension::read()
{
    // One round trip for the common case of a table without triggers and nothing left suspended;
    // the definitions (SHOW CREATE TRIGGER, one each) only once they are to be suspended.
    QSqlQuery q = m_target.select(
        u"SELECT 'stored', trigger_name, action_order, sql_mode, character_set_client, collation_connection, "
        "definition FROM `_tablesync_triggers` WHERE table_name COLLATE utf8mb4_general_ci = ? "
        "UNION ALL SELECT 'live', TRIGGER_NAME, ACTION_ORDER, SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, "
        "'' FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? "
        "ORDER BY 1 DESC, 3"_qs,
        {m_table, m_table}, u"reading the triggers of "_qs + m_table);
    Found found;
    while (q.next()) {
        const Trigger t{q.value(1).toString(), q.value(2).toInt(),    q.value(3).toString(),
                        q.value(4).toString(), q.value(5).toString(), q.value(6).toString()};
        (q.value(0).toString() == u"stored" ? found.stored : found.live) << t;
    }
    return found;
}

void TriggerSuspension::readStatements(QList<Trigger> &triggers)
{
    for (Trigger &t : triggers) {
        // Not prepared: the server sends SHOW CREATE TRIGGER's row only as a plain statement's.
        QSqlQuery show = m_target.newQuery();
        if (!show.exec(u"SHOW CREATE TRIGGER "_qs + m_dialect.quoteIdentifier(t.name)))
            throw DbError::from(u"reading the definition of trigger "_qs + t.name, show.lastError());
        if (!show.next())
            throw DbError(u"trigger "_qs + t.name + u" of "_qs + m_table + u" vanished while it was being read"_qs);
        t.statement = show.value(2).toString();
    }
}

bool TriggerSuspension::mayRecreate(const QList<Trigger> &triggers, QString &why)
{
    // SHOW CREATE TRIGGER names the definer as `user`@`host`; CURRENT_USER() as user@host.
    const QString me = m_target.scalar(u"SELECT CURRENT_USER()"_qs, {}, u"reading the target user"_qs).toString();
    QStringList others;
    for (const Trigger &t : triggers) {
        const QString definer = t.statement.section(u"DEFINER="_qs, 1).section(u' ', 0, 0).remove(u'`');
        if (definer != me && !others.contains(definer))
            others << definer;
    }
    if (others.isEmpty())
        return true;
    const bool privileged =
        m_target
            .scalar(u"SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = "
                    "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
                    "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AND PRIVILEGE_TYPE IN ('SUPER', 'SET USER')"_qs,
                    {}, u"reading the target user's privileges"_qs)
            .toInt() > 0;
    if (!privileged)
        why = QStringLiteral("recreating triggers of definer %1 needs the SET USER privilege (GRANT SET USER ON "
                             "*.* TO %2)")
                  .arg(others.join(u", "_qs), me);
    return privileged;
}

void TriggerSuspension::restoreLeftovers()
{
    Found found;
    m_readAt.start();
    try {
        found = read();
    } catch (const DbError &e) {
        if (e.nativeCode() != 1146) // no _tablesync_triggers yet (a first --verify): nothing was suspended
            throw;
        m_live = QList<Trigger>();
        return;
    }
    // Back in their original order, unless the run was killed between storing a definition and
    // dropping the trigger.
    for (const Trigger &t : std::as_const(found.stored)) {
        const bool exists = std::any_of(found.live.cbegin(), found.live.cend(),
                                        [&](const Trigger &live) { return live.name == t.name; });
        if (!exists) {
            create(t);
            m_progress.onTableMessage(m_table, u"repaired: trigger "_qs + t.name +
                                                   u", suspended by a run that was interrupted, exists again"_qs);
        }
        forget(t);
    }
    m_live = found.stored.isEmpty() ? found.live : read().live;
}

void TriggerSuspension::suspend()
{
    if (m_suspendAttempted)
        return;
    m_suspendAttempted = true;
    // Read again when the list read as the table's job began is older than a moment (the job
    // may have compared rows for minutes): a trigger created meantime must be suspended too, one
    // dropped meantime must not be. A moment old, it is as fresh as a new read would be by the
    // time the first row is written, and a round trip cheaper.
    constexpr qint64 kFreshForMs = 1000;
    if (!m_live || !m_readAt.isValid() || m_readAt.elapsed() > kFreshForMs)
        restoreLeftovers();
    QList<Trigger> live = *m_live;
    if (live.isEmpty())
        return;
    readStatements(live);
    QStringList names;
    for (const Trigger &t : live)
        names << t.name;
    QString why;
    if (!mayRecreate(live, why)) {
        m_progress.onTableMessage(m_table, QStringLiteral("warning: the target table's triggers (%1) stay active "
                                                          "and fire on tablesync's writes: %2")
                                               .arg(names.join(u", "_qs), why));
        return;
    }
    m_progress.onTableMessage(m_table, QStringLiteral("suspending %1 trigger(s) of the target table while writing it "
                                                      "(%2): the source's triggers already did their work")
                                           .arg(live.size())
                                           .arg(names.join(u", "_qs)));
    for (const Trigger &t : std::as_const(live)) {
        m_target.select(u"INSERT INTO `_tablesync_triggers` (table_name, trigger_name, action_order, sql_mode, "
                        "character_set_client, collation_connection, definition) VALUES (?, ?, ?, ?, ?, ?, ?)"_qs,
                        {m_table, t.name, t.order, t.sqlMode, t.characterSetClient, t.collationConnection, t.statement},
                        u"storing the definition of trigger "_qs + t.name);
        m_suspended << t;
        m_target.execSchemaChange(u"DROP TRIGGER "_qs + m_dialect.quoteIdentifier(t.name),
                                  u"suspending trigger "_qs + t.name);
    }
}

void TriggerSuspension::resume()
{
    while (!m_suspended.isEmpty()) {
        const Trigger t = m_suspended.first();
        create(t);
        forget(t);
        m_suspended.removeFirst();
    }
}

void TriggerSuspension::create(const Trigger &trigger)
{
    // As it was created: its sql_mode and collation; then the session's own again. The client
    // character set stays utf8mb4, because that is what QMYSQL sends the statement's text in.
    m_target.select(u"SET SESSION sql_mode = ?, collation_connection = ?"_qs,
                    {trigger.sqlMode, trigger.collationConnection}, u"preparing to create trigger "_qs + trigger.name);
    try {
        m_target.execSchemaChange(trigger.statement, u"creating trigger "_qs + trigger.name + u" again"_qs);
    } catch (const DbError &) {
        m_target.restoreSessionSettings();
        throw;
    }
    m_target.restoreSessionSettings();
}

void TriggerSuspension::forget(const Trigger &trigger)
{
    m_target.select(u"DELETE FROM `_tablesync_triggers` WHERE table_name COLLATE utf8mb4_general_ci = ? "
                    "AND trigger_name = ?"_qs,
                    {m_table, trigger.name}, u"forgetting the suspended trigger "_qs + trigger.name);
}

} // namespace tablesync
