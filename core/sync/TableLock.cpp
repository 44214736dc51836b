#include "sync/TableLock.h"

#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QCryptographicHash>
#include <QSqlQuery>

namespace tablesync {

TableLock::TableLock(DbConnection &target, const QString &database, const QString &table)
    : m_target(target)
    , m_name(nameFor(database, table))
    , m_table(table)
{
    // One round trip: the holder's connection id comes with the refusal.
    QSqlQuery answer = m_target.select(u"SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)"_qs, {m_name, m_name},
                                       u"taking the lock of target table "_qs + table);
    answer.next();
    m_acquired = answer.value(0).toInt() == 1;
    if (m_acquired) {
        m_sinceConfirmed.start();
        return;
    }
    const QVariant connection = answer.value(1);
    m_holder = connection.isNull() ? u"a session that has just let it go"_qs
                                   : QStringLiteral("connection %1").arg(connection.toLongLong());
    if (connection.isNull())
        return;
    try {
        QSqlQuery who = m_target.select(u"SELECT USER, HOST FROM information_schema.PROCESSLIST WHERE ID = ?"_qs,
                                        {connection}, u"reading who holds the lock"_qs);
        if (who.next())
            m_holder += QStringLiteral(" of %1@%2").arg(who.value(0).toString(), who.value(1).toString());
    } catch (const DbError &) {
        // The connection id alone still says enough for SHOW PROCESSLIST.
    }
}

TableLock::~TableLock()
{
    if (!m_acquired)
        return;
    try {
        m_target.select(u"SELECT RELEASE_LOCK(?)"_qs, {m_name}, u"releasing a table lock"_qs);
    } catch (const DbError &) {
        // The connection is gone, and the lock with it.
    }
}

void TableLock::confirmHeld()
{
    constexpr qint64 kConfirmEveryMs = 5000;
    if (!m_acquired || m_sinceConfirmed.elapsed() < kConfirmEveryMs)
        return;
    const bool held = m_target
                          .scalar(u"SELECT IS_USED_LOCK(?) = CONNECTION_ID()"_qs, {m_name},
                                  u"confirming the lock of target table "_qs + m_table)
                          .toInt() == 1;
    if (!held) {
        m_acquired = false;
        throw DbError(QStringLiteral("lost the lock of target table %1 (its connection's session ended); stopped, "
                                     "so that no other tablesync's work on it is mixed with this one's")
                          .arg(m_table));
    }
    m_sinceConfirmed.restart();
}

QString TableLock::nameFor(const QString &database, const QString &table)
{
    // Lower case: MySQL compares lock names without case and MariaDB with it, and a server with
    // lower_case_table_names takes `Orders` and `orders` for one table. Two tables differing only
    // in case then share a lock: one waits a run, never both at once on one table.
    const auto quoted = [](const QString &name) -> QString {
        return u'`' + QString(name).replace(u'`', u"``"_qs) + u'`';
    };
    const QString name = (u"tablesync:"_qs + quoted(database) + u'.' + quoted(table)).toLower();
    if (name.size() <= 64)
        return name;
    return u"tablesync:"_qs +
           QString::fromLatin1(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1).toHex());
}

} // namespace tablesync
