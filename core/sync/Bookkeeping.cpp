#include "sync/Bookkeeping.h"

#include "db/DbConnection.h"

#include <QSqlQuery>

namespace tablesync {

namespace {
const QString kSchemaName = u"tablesync"_qs;
}

Bookkeeping::Bookkeeping(DbConnection &target)
    : m_target(target)
{}

void Bookkeeping::ensureTables()
{
    // Column types follow dlt's own _dlt_loads so an existing one from the old pipeline fits.
    m_target.exec(u"CREATE TABLE IF NOT EXISTS `_dlt_loads` ("
                  "`load_id` text NOT NULL, `schema_name` text NULL, `status` bigint NOT NULL, "
                  "`inserted_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6), "
                  "`schema_version_hash` text NULL"
                  ") DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"_qs,
                  u"creating _dlt_loads in the target"_qs);
    m_target.exec(u"CREATE TABLE IF NOT EXISTS `_tablesync_state` ("
                  "`table_name` varchar(64) NOT NULL PRIMARY KEY, "
                  "`modifier` varchar(64) NOT NULL, "
                  "`cursor_value` text NULL, "
                  "`load_id` varchar(32) NOT NULL, "
                  "`first_load_cursor` text NULL, "
                  "`first_load_after` text NULL, "
                  "`updated_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6) "
                  "ON UPDATE current_timestamp(6)"
                  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"_qs,
                  u"creating _tablesync_state in the target"_qs);
    // A state table made by an earlier version lacks the first-load columns.
    if (!m_target
             .scalar(u"SHOW COLUMNS FROM `_tablesync_state` LIKE 'first_load_after'"_qs, {},
                     u"reading the columns of _tablesync_state"_qs)
             .isValid()) {
        m_target.exec(u"ALTER TABLE `_tablesync_state` ADD COLUMN IF NOT EXISTS `first_load_cursor` text NULL, "
                      "ADD COLUMN IF NOT EXISTS `first_load_after` text NULL"_qs,
                      u"adding the first-load columns to _tablesync_state"_qs);
    }
}

std::optional<QString> Bookkeeping::cursor(const QString &table, const QString &modifier)
{
    QSqlQuery query =
        m_target.select(u"SELECT `modifier`, `cursor_value` FROM `_tablesync_state` WHERE `table_name` = ?"_qs, {table},
                        u"reading the cursor of "_qs + table);
    if (!query.next() || query.value(1).isNull())
        return std::nullopt;
    // A cursor over another column means nothing for this one: start again.
    if (query.value(0).toString().compare(modifier, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return query.value(1).toString();
}

void Bookkeeping::saveCursor(const QString &table, const QString &modifier, const QString &cursor,
                             const QString &loadId)
{
    m_target.select(u"INSERT INTO `_tablesync_state` (`table_name`, `modifier`, `cursor_value`, `load_id`) "
                    "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE `modifier` = VALUES(`modifier`), "
                    "`cursor_value` = VALUES(`cursor_value`), `load_id` = VALUES(`load_id`), "
                    "`first_load_cursor` = NULL, `first_load_after` = NULL"_qs,
                    {table, modifier, cursor, loadId}, u"saving the cursor of "_qs + table);
}

std::optional<Bookkeeping::FirstLoad> Bookkeeping::firstLoad(const QString &table, const QString &modifier)
{
    QSqlQuery query = m_target.select(u"SELECT `modifier`, `first_load_cursor`, `first_load_after` "
                                      "FROM `_tablesync_state` WHERE `table_name` = ? AND `cursor_value` IS NULL"_qs,
                                      {table}, u"reading the first-load state of "_qs + table);
    if (!query.next() || query.value(1).isNull() ||
        query.value(0).toString().compare(modifier, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return FirstLoad{query.value(1).toString(), query.value(2).toString()};
}

void Bookkeeping::beginFirstLoad(const QString &table, const QString &modifier, const QString &cursorWhenDone,
                                 const QString &loadId)
{
    m_target.select(u"INSERT INTO `_tablesync_state` (`table_name`, `modifier`, `cursor_value`, `load_id`, "
                    "`first_load_cursor`, `first_load_after`) VALUES (?, ?, NULL, ?, ?, NULL) "
                    "ON DUPLICATE KEY UPDATE `modifier` = VALUES(`modifier`), `cursor_value` = NULL, "
                    "`load_id` = VALUES(`load_id`), `first_load_cursor` = VALUES(`first_load_cursor`), "
                    "`first_load_after` = NULL"_qs,
                    {table, modifier, loadId, cursorWhenDone}, u"starting the first load of "_qs + table);
}

void Bookkeeping::saveFirstLoadProgress(const QString &table, const QString &afterKey)
{
    m_target.select(u"UPDATE `_tablesync_state` SET `first_load_after` = ? WHERE `table_name` = ?"_qs,
                    {afterKey, table}, u"saving the first-load progress of "_qs + table);
}

void Bookkeeping::resetCursor(const QString &table)
{
    m_target.select(u"DELETE FROM `_tablesync_state` WHERE `table_name` = ?"_qs, {table},
                    u"resetting the cursor of "_qs + table);
}

void Bookkeeping::recordLoad(const QString &loadId, int status)
{
    m_target.select(u"INSERT INTO `_dlt_loads` (`load_id`, `schema_name`, `status`, `inserted_at`) "
                    "VALUES (?, ?, ?, UTC_TIMESTAMP(6))"_qs,
                    {loadId, kSchemaName, status}, u"recording the load in _dlt_loads"_qs);
}

} // namespace tablesync
