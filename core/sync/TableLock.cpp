#include "sync/TableLock.h"

#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QCryptographicHash>
#include <QSqlQuery>

namespace tablesync {

TableLock::TableLock(DbConnection &target, const QString &database, const QString &table)
    : m_target(target)
    , m_name(nameFor(database, table))
{
    // One round trip: the holder's connection id comes with the refusal.
    QSqlQuery answer = m_target.select(u"SELECT GET_LOCK(?, 0), IS_USED_LOCK(?)"_qs, {m_name, m_name},
                                       u"taking the lock of target table "_qs + table);
    answer.next();
    m_acquired = answer.value(0).toInt() == 1;
    if (m_acquired)
        return;
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

QString TableLock::nameFor(const QString &database, const QString &table)
{
    const QString name = u"tablesync:"_qs + database + u'.' + table;
    if (name.size() <= 64)
        return name;
    return u"tablesync:"_qs +
           QString::fromLatin1(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1).toHex());
}

} // namespace tablesync
