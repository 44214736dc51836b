#pragma once

#include <QDateTime>

// Helpers for integration tests against the two sandbox servers of tests/support/sandbox.sh.
// Each test class gets its own pair of databases (so tests may run in parallel) and fails
// loudly when a server cannot be reached: an unreachable server is never a pass.

#include "config/EnvFile.h"
#include "config/Settings.h"
#include "db/DbConnection.h"
#include "db/DbError.h"
#include "sync/KeyToken.h"
#include "sync/SyncEngine.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QString>
#include <QStringList>
#include <QTcpServer>

#include <memory>

namespace tablesync::test {

inline QString sandboxEnvPath()
{
    const QString fromEnv = qEnvironmentVariable("TABLESYNC_SANDBOX_ENV");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString dir = qEnvironmentVariable("TABLESYNC_SANDBOX_DIR", u"/tmp/tablesync-sandbox"_qs);
    return dir + u"/sandbox.env"_qs;
}

// Settings pointing at the sandbox, with databases `<prefix>_src` and `<prefix>_tgt`.
inline Settings sandboxSettings(const QString &prefix)
{
    ConfigErrors errors;
    EnvFile env = EnvFile::load(sandboxEnvPath(), errors);
    if (!errors.isEmpty())
        qFatal("sandbox not started? %s (run tests/support/sandbox.sh start)", qPrintable(errors.first().toString()));
    env.set(u"SOURCE_DB_NAME"_qs, prefix + u"_src"_qs);
    env.set(u"TARGET_DB_NAME"_qs, prefix + u"_tgt"_qs);
    env.set(u"INTERVAL"_qs, u"0"_qs);
    Settings settings = Settings::fromEnv(env, QProcessEnvironment(), errors);
    if (!errors.isEmpty())
        qFatal("bad sandbox env: %s", qPrintable(errors.first().toString()));
    return settings;
}

// An administrative connection for setting up and checking data.
class TestDb
{
public:
    explicit TestDb(ConnectionSettings settings)
        : m_connection(std::move(settings))
    {
        m_connection.open();
    }

    DbConnection &connection() { return m_connection; }

    void exec(const QString &sql) { m_connection.exec(sql, u"test SQL: "_qs + sql.left(200)); }
    QVariant scalar(const QString &sql, const QVariantList &values = {})
    {
        return m_connection.scalar(sql, values, u"test SQL: "_qs + sql.left(200));
    }
    qint64 count(const QString &table) { return scalar(u"SELECT COUNT(*) FROM `"_qs + table + u'`').toLongLong(); }

    // Every row of `table` as text (exact for every type we copy), ordered by `orderBy`,
    // without the _dlt_ columns. NULL is the string "\\N" so it differs from "" and "NULL".
    QList<QStringList> dump(const QString &table, const QString &orderBy)
    {
        QSqlQuery columns = m_connection.select(
            u"SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME = ? AND COLUMN_NAME NOT LIKE '\\_dlt\\_%' ORDER BY ORDINAL_POSITION"_qs,
            {table}, u"reading columns"_qs);
        QStringList expressions;
        while (columns.next()) {
            const QString name = u'`' + columns.value(0).toString() + u'`';
            const QString type = columns.value(1).toString().toLower();
            QString expr;
            if (type == u"bit")
                expr = name + u"+0"_qs;
            else if (type == u"float") // FLOAT's own text has 6 digits: widen it to see every bit
                expr = u"CAST(CAST("_qs + name + u" AS DOUBLE) AS CHAR)"_qs;
            else if (QStringList{u"tinyint"_qs, u"smallint"_qs, u"mediumint"_qs, u"int"_qs, u"bigint"_qs, u"decimal"_qs,
                                 u"year"_qs, u"double"_qs}
                         .contains(type))
                expr = u"CAST("_qs + name + u" AS CHAR)"_qs;
            else
                expr = u"HEX("_qs + name + u")"_qs; // the stored bytes, for text, binary and temporal
            expressions << u"IFNULL("_qs + expr + u", '\\\\N')"_qs;
        }
        QList<QStringList> rows;
        QSqlQuery query(m_connection.database());
        if (!query.exec(u"SELECT "_qs + expressions.join(u", "_qs) + u" FROM `"_qs + table + u"` ORDER BY "_qs +
                        orderBy))
            throw DbError::from(u"dumping "_qs + table, query.lastError());
        const int columnCount = query.record().count();
        while (query.next()) {
            QStringList row;
            row.reserve(columnCount);
            for (int i = 0; i < columnCount; ++i)
                row << query.value(i).toString();
            rows << row;
        }
        return rows;
    }

private:
    DbConnection m_connection;
};

// Source and target databases for one test class, dropped and created afresh.
class SandboxPair
{
public:
    explicit SandboxPair(const QString &prefix)
        : settings(sandboxSettings(prefix))
    {
        for (ConnectionSettings *s : {&settings.source, &settings.target}) {
            ConnectionSettings server = *s;
            server.database.clear();
            TestDb admin(server);
            admin.exec(u"DROP DATABASE IF EXISTS `"_qs + s->database + u'`');
            admin.exec(u"CREATE DATABASE `"_qs + s->database +
                       u"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"_qs);
        }
        source = std::make_unique<TestDb>(settings.source);
        target = std::make_unique<TestDb>(settings.target);
    }

    Settings settings;
    std::unique_ptr<TestDb> source;
    std::unique_ptr<TestDb> target;
};

// `settings` with its source user replaced by a new one (password = name) that may only SELECT
// from the source database: no PROCESS, so the source's open transactions are hidden from it.
inline Settings withSelectOnlySourceUser(const SandboxPair &pair, const QString &user)
{
    const QString account = u"'"_qs + user + u"'@'127.0.0.1'"_qs;
    pair.source->exec(u"DROP USER IF EXISTS "_qs + account);
    pair.source->exec(u"CREATE USER "_qs + account + u" IDENTIFIED BY '"_qs + user + u'\'');
    pair.source->exec(u"GRANT SELECT ON `"_qs + pair.settings.source.database + u"`.* TO "_qs + account);
    Settings settings = pair.settings;
    settings.source.user = user;
    settings.source.password = user;
    return settings;
}

// The first few rows where two dumps (ordered by a key in their first column) differ, for a
// failure message that shows what went wrong instead of only that something did.
inline QString firstDifferences(const QList<QStringList> &source, const QList<QStringList> &target, int limit = 5)
{
    QMap<QString, QStringList> sourceRows, targetRows;
    for (const QStringList &row : source)
        sourceRows.insert(row.value(0), row);
    for (const QStringList &row : target)
        targetRows.insert(row.value(0), row);
    QStringList lines{QStringLiteral("source %1 rows, target %2 rows").arg(source.size()).arg(target.size())};
    QStringList keys = sourceRows.keys() + targetRows.keys();
    keys.removeDuplicates();
    for (const QString &key : std::as_const(keys)) {
        if (lines.size() > limit)
            break;
        const QStringList s = sourceRows.value(key), t = targetRows.value(key);
        if (s != t)
            lines << u"  source ["_qs + s.join(u", "_qs) + u"] target ["_qs + t.join(u", "_qs) + u']';
    }
    return lines.join(u'\n');
}

// A DATETIME(6) text `seconds` earlier, in the same format.
inline QString secondsBefore(const QString &value, int seconds)
{
    const QDateTime at = QDateTime::fromString(value.left(19), u"yyyy-MM-dd HH:mm:ss"_qs).addSecs(-seconds);
    return at.toString(u"yyyy-MM-dd HH:mm:ss"_qs) + value.mid(19);
}

// An incremental start stored after a pass that read up to `newest`: never past it, and not far
// before it: the default lag (5 s), whole seconds since the horizon, a transaction list shared for
// up to a second (SafeCursor.h), and up to 4 s of a transaction held open by tst_horizon's soak
// when it runs alongside.
inline bool isSafeStartBefore(const QString &start, const QString &newest)
{
    return start <= newest && start >= secondsBefore(newest, 12);
}

// The connection keys of a .env for these settings, as users write them (password quoted, a
// comment after a value): for tests that run the tablesync binary.
// What a stopped or killed incremental load has committed for certain, as a WHERE condition
// with its binds: rows up to the stored cursor (read by modifier), or up to the last committed
// key of a first load read in key order (one key column). "FALSE" when neither is stored yet.
inline QPair<QString, QVariantList> committedPrefix(TestDb &target, const QString &modifier, const QString &key)
{
    const QVariant cursor = target.scalar(u"SELECT cursor_value FROM _tablesync_state"_qs);
    if (cursor.isValid() && !cursor.isNull() && !cursor.toString().isEmpty())
        return {modifier + u" <= ?"_qs, {cursor}};
    const std::optional<QVariantList> after =
        KeyToken::decode(target.scalar(u"SELECT first_load_after FROM _tablesync_state"_qs).toString());
    if (after && after->size() == 1)
        return {key + u" <= ?"_qs, {after->first()}};
    return {u"FALSE"_qs, {}};
}

inline QByteArray connectionEnv(const Settings &settings)
{
    QByteArray env;
    for (const ConnectionSettings *c : {&settings.source, &settings.target}) {
        const QByteArray p = c->role == u"source" ? "SOURCE_DB_" : "TARGET_DB_";
        env += p + "HOST=" + c->host.toUtf8() + "\n" + p + "PORT=" + QByteArray::number(c->port) + "\n" + p +
               "USER=" + c->user.toUtf8() + "\n" + p + "PASS='" + c->password.toUtf8() + "'\n" + p +
               "NAME=" + c->database.toUtf8() + "  # a comment after the value\n";
    }
    return env;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// A loopback port nobody listens on right now, so tests never compete for the default 8089.
inline int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

inline TableSpec tableSpec(const QString &table, const QStringList &key, const QString &modifier = {},
                           int batchSize = 0)
{
    TableSpec spec;
    spec.table = table;
    spec.primaryKey = key;
    spec.modifier = modifier;
    spec.batchSize = batchSize;
    spec.entryIndex = 1;
    return spec;
}

// Runs one pass of the engine in this thread and returns what it reported.
struct RunOutcome
{
    RunSummary summary;
    QStringList messages;                // "[table] message" lines, as the headless log would show them
    QHash<QString, qint64> comparedRows; // the last progress of a comparison (a batch of no rows)
    // Per table, each committed batch's rows so far and estimated total (-1: none), in order.
    QHash<QString, QList<QPair<qint64, qint64>>> batches;

    const TableResult *table(const QString &name) const
    {
        for (const TableResult &t : summary.tables) {
            if (t.table == name)
                return &t;
        }
        return nullptr;
    }
    QString log() const { return messages.join(u'\n'); }
};

inline RunOutcome runSync(Settings settings, const QList<TableSpec> &tables)
{
    settings.tables = tables;
    SyncEngine engine(settings);
    RunOutcome outcome;
    QObject::connect(&engine, &SyncEngine::tableMessage, [&](const QString &table, const QString &message) {
        outcome.messages << u'[' + table + u"] "_qs + message;
    });
    QObject::connect(&engine, &SyncEngine::tableSyncFinished, [&](const TableResult &r) {
        if (r.outcome == TableOutcome::Failed)
            outcome.messages << u'[' + r.table + u"] FAILED: "_qs + r.error;
    });
    QObject::connect(&engine, &SyncEngine::batchCommitted,
                     [&](const QString &table, qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal) {
                         if (rowsInBatch == 0)
                             outcome.comparedRows[table] = rowsSoFar;
                         else
                             outcome.batches[table].append({rowsSoFar, estimatedTotal});
                     });
    QObject::connect(&engine, &SyncEngine::runFinished, [&](const RunSummary &s) { outcome.summary = s; });
    QSignalSpy finished(&engine, &SyncEngine::runFinished);
    engine.runOnce();
    if (finished.isEmpty() && !finished.wait(300000))
        qFatal("the sync run did not finish within 5 minutes");
    return outcome;
}

} // namespace tablesync::test
