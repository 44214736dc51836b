#include "sync/Bookkeeping.h"

#include "db/DbConnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
                  "`cursor_key` text NULL, "
                  "`cursor_history` mediumtext NULL, "
                  "`updated_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6) "
                  "ON UPDATE current_timestamp(6)"
                  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"_qs,
                  u"creating _tablesync_state in the target"_qs);
    // Definitions of target triggers while a table is written (TriggerSuspension.h).
    m_target.exec(u"CREATE TABLE IF NOT EXISTS `_tablesync_triggers` ("
                  "`table_name` varchar(64) NOT NULL, `trigger_name` varchar(64) NOT NULL, "
                  "`action_order` int NOT NULL, `sql_mode` text NOT NULL, "
                  "`character_set_client` varchar(64) NOT NULL, `collation_connection` varchar(64) NOT NULL, "
                  "`definition` longtext NOT NULL, "
                  "`suspended_at` timestamp(6) NOT NULL DEFAULT current_timestamp(6), "
                  "PRIMARY KEY (`table_name`, `trigger_name`)"
                  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"_qs,
                  u"creating _tablesync_triggers in the target"_qs);
    // A state table made by an earlier version lacks the newer columns.
    if (!m_target
             .scalar(u"SHOW COLUMNS FROM `_tablesync_state` LIKE 'cursor_history'"_qs, {},
                     u"reading the columns of _tablesync_state"_qs)
             .isValid()) {
        m_target.exec(u"ALTER TABLE `_tablesync_state` ADD COLUMN IF NOT EXISTS `first_load_cursor` text NULL, "
                      "ADD COLUMN IF NOT EXISTS `first_load_after` text NULL, "
                      "ADD COLUMN IF NOT EXISTS `cursor_key` text NULL, "
                      "ADD COLUMN IF NOT EXISTS `cursor_history` mediumtext NULL"_qs,
                      u"adding the newer columns to _tablesync_state"_qs);
    }
}

namespace {
QJsonArray historyToJson(const QList<CursorMark> &history)
{
    QJsonArray marks;
    for (const CursorMark &mark : history)
        marks.append(QJsonArray{mark.snapshotTime, mark.reached.modifier, mark.reached.afterKey});
    return marks;
}

QList<CursorMark> historyFromJson(const QJsonArray &marks)
{
    QList<CursorMark> history;
    for (const QJsonValue &value : marks) {
        const QJsonArray mark = value.toArray();
        if (mark.size() == 3 && mark.at(0).isDouble() && mark.at(1).isString())
            history.append({mark.at(0).toDouble(), {mark.at(1).toString(), mark.at(2).toString()}});
    }
    return history;
}

QString stateToJson(const Bookkeeping::CursorState &state)
{
    QJsonObject object{{u"history"_qs, historyToJson(state.history)}};
    if (state.start)
        object.insert(u"start"_qs, QJsonArray{state.start->modifier, state.start->afterKey});
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Bookkeeping::CursorState stateFromJson(const QString &text)
{
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    Bookkeeping::CursorState state;
    const QJsonArray start = object.value(u"start"_qs).toArray();
    if (start.size() == 2)
        state.start = CursorPosition{start.at(0).toString(), start.at(1).toString()};
    state.history = historyFromJson(object.value(u"history"_qs).toArray());
    return state;
}
} // namespace

std::optional<Bookkeeping::CursorState> Bookkeeping::cursorState(const QString &table, const QString &modifier)
{
    QSqlQuery query = m_target.select(u"SELECT `modifier`, `cursor_value`, `cursor_key`, `cursor_history` "
                                      "FROM `_tablesync_state` WHERE `table_name` = ?"_qs,
                                      {table}, u"reading the cursor of "_qs + table);
    if (!query.next())
        return std::nullopt;
    // A cursor over another column means nothing for this one: start again.
    if (query.value(0).toString().compare(modifier, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return stateOfRow(query, 1);
}

QHash<QString, Bookkeeping::StoredCursor> Bookkeeping::allCursorStates()
{
    QSqlQuery query = m_target.select(u"SELECT `table_name`, `modifier`, `cursor_value`, `cursor_key`, "
                                      "`cursor_history` FROM `_tablesync_state`"_qs,
                                      {}, u"reading the cursors"_qs);
    QHash<QString, StoredCursor> cursors;
    while (query.next())
        cursors.insert(query.value(0).toString(), StoredCursor{query.value(1).toString(), stateOfRow(query, 2)});
    return cursors;
}

std::optional<Bookkeeping::CursorState> Bookkeeping::stateOfRow(const QSqlQuery &query, int valueColumn)
{
    // No value: a large first load is under way (FirstLoad), or nothing was ever stored.
    if (query.value(valueColumn).isNull())
        return std::nullopt;
    CursorState state;
    // A cursor stored by an earlier version has no key and no history: it starts at its value.
    if (!query.value(valueColumn).toString().isEmpty())
        state.start = CursorPosition{query.value(valueColumn).toString(), query.value(valueColumn + 1).toString()};
    state.history = historyFromJson(QJsonDocument::fromJson(query.value(valueColumn + 2).toString().toUtf8()).array());
    return state;
}

void Bookkeeping::saveCursorState(const QString &table, const QString &modifier, const CursorState &state,
                                  const QString &loadId)
{
    // No start yet (the marks cannot promote one): the empty text, which no modifier the
    // cursor accepts can hold, says "from the beginning" while keeping the marks.
    const QString value = state.start ? state.start->modifier : QString(u""_qs);
    const QString key = state.start ? state.start->afterKey : QString(u""_qs);
    const QString history =
        QString::fromUtf8(QJsonDocument(historyToJson(state.history)).toJson(QJsonDocument::Compact));
    m_target.select(u"INSERT INTO `_tablesync_state` (`table_name`, `modifier`, `cursor_value`, `cursor_key`, "
                    "`cursor_history`, `load_id`) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                    "`modifier` = VALUES(`modifier`), `cursor_value` = VALUES(`cursor_value`), "
                    "`cursor_key` = VALUES(`cursor_key`), `cursor_history` = VALUES(`cursor_history`), "
                    "`load_id` = VALUES(`load_id`), `first_load_cursor` = NULL, `first_load_after` = NULL"_qs,
                    {table, modifier, value, key, history, loadId}, u"saving the cursor of "_qs + table);
}

std::optional<Bookkeeping::FirstLoad> Bookkeeping::firstLoad(const QString &table, const QString &modifier)
{
    QSqlQuery query = m_target.select(u"SELECT `modifier`, `first_load_cursor`, `first_load_after` "
                                      "FROM `_tablesync_state` WHERE `table_name` = ? AND `cursor_value` IS NULL"_qs,
                                      {table}, u"reading the first-load state of "_qs + table);
    if (!query.next() || query.value(1).isNull() ||
        query.value(0).toString().compare(modifier, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    // An earlier version kept a bare modifier value here: that value is a safe start.
    const QString stored = query.value(1).toString();
    CursorState whenDone =
        stored.startsWith(u'{') ? stateFromJson(stored) : CursorState{CursorPosition{stored, {}}, {}};
    return FirstLoad{whenDone, query.value(2).toString()};
}

void Bookkeeping::beginFirstLoad(const QString &table, const QString &modifier, const CursorState &whenDone,
                                 const QString &loadId)
{
    m_target.select(u"INSERT INTO `_tablesync_state` (`table_name`, `modifier`, `cursor_value`, `load_id`, "
                    "`first_load_cursor`, `first_load_after`) VALUES (?, ?, NULL, ?, ?, NULL) "
                    "ON DUPLICATE KEY UPDATE `modifier` = VALUES(`modifier`), `cursor_value` = NULL, "
                    "`load_id` = VALUES(`load_id`), `first_load_cursor` = VALUES(`first_load_cursor`), "
                    "`first_load_after` = NULL"_qs,
                    {table, modifier, loadId, stateToJson(whenDone)}, u"starting the first load of "_qs + table);
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
