#pragma once

#include "db/ColumnInfo.h"
#include "sync/SafeCursor.h"

#include <optional>

namespace tablesync {

class DbConnection;
class SqlDialect;

// What an incremental pass asks the source about time and transactions around its snapshot
// (SafeCursor.h says why each is needed, and in which order).
namespace SourceClock {

// Before the snapshot: the source's clock and its oldest open transaction that may write rows
// (one that has modified rows or is running a statement; read-only ones and idle ones that
// wrote nothing cannot commit a row stamped before now). Without the PROCESS privilege
// (information_schema.INNODB_TRX answers error 1227) only the clock.
// One list serves every table of the process whose snapshot comes after it, for a second: a
// horizon asked earlier is valid for any later snapshot, only more cautious. A list asked before
// `notBefore` (epoch seconds) is not reused. `quotedTable`: an InnoDB table of the source, read
// to prove the list is fresh (SourceClock.cpp).
SourceHorizon readHorizon(DbConnection &source, const QString &quotedTable, double notBefore = 0);

// Inside the snapshot: the server's clock, which is past the snapshot's start.
double snapshotTime(DbConnection &source);

// The last row in (modifier, key) order, as a position after it; none when no row has a
// modifier value. `keys` are the primary-key columns. With `withClock`, `time` gets the
// server's clock read after the row was (SYSDATE, so after the statement's own read view).
std::optional<CursorPosition> lastPosition(DbConnection &source, const SqlDialect &dialect, const QString &table,
                                           const ColumnInfo &modifier, const QList<ColumnInfo> &keys,
                                           double *time = nullptr);

// Inside the snapshot, in one statement: the server's clock (as snapshotTime(), into `time`) and
// the last position (as lastPosition()).
std::optional<CursorPosition> clockAndLastPosition(DbConnection &source, const SqlDialect &dialect,
                                                   const QString &table, const ColumnInfo &modifier,
                                                   const QList<ColumnInfo> &keys, double &time);

// The message a DBA reads when a long transaction holds the horizon back.
QString holderText(const SourceHorizon &horizon);

} // namespace SourceClock
} // namespace tablesync
