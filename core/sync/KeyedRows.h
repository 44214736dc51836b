#pragma once

#include "db/ColumnInfo.h"

#include <QList>
#include <QVariantList>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Acting on individual rows by primary key: what delete propagation and --repair need.
namespace KeyedRows {

// Deletes the target rows with these keys. Runs in the caller's transaction.
qint64 deleteFromTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                        const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys);

// deletes: "soft": marks these rows as deleted at the time of the run `loadId` names; rows
// already marked keep their time. Runs in the caller's transaction. Returns rows marked.
qint64 markDeletedInTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                           const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys, const QString &loadId);

// deletes: "soft": makes marked rows with these keys (back in the source) live again. Runs in the
// caller's transaction. Returns rows made live.
qint64 markLiveInTarget(DbConnection &target, const SqlDialect &dialect, const QString &table,
                        const QList<ColumnInfo> &keyColumns, const QList<QVariantList> &keys);

// Reads the rows with these keys from the source and upserts them into the target (exact values,
// the same path as a sync). Runs in the caller's transaction on the target. Returns rows copied.
qint64 copyFromSource(DbConnection &source, DbConnection &target, const SqlDialect &dialect, const QString &table,
                      const QList<ColumnInfo> &columns, const QList<ColumnInfo> &keyColumns,
                      const QList<QVariantList> &keys, const QString &loadId);

// "(1, 'a')" style text of a key, for reports.
QString describe(const QVariantList &key);

} // namespace KeyedRows
} // namespace tablesync
