#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace tablesync {

// Where an incremental pass starts reading: rows whose modifier is >= `modifier` (no key), or
// rows after the row (`modifier`, key) in (modifier, primary key) order (`afterKey`, a KeyToken).
struct CursorPosition
{
    QString modifier;
    QString afterKey; // empty: every row with this modifier value is read again

    bool operator==(const CursorPosition &other) const = default;
};

// A row a past read saw: its snapshot's server time (epoch seconds, taken after the snapshot
// began, so the snapshot holds nothing committed after it) and the last position in
// (modifier, key) order that snapshot held.
struct CursorMark
{
    double snapshotTime = 0;
    CursorPosition reached;

    bool operator==(const CursorMark &other) const = default;
};

// What the source said just before a snapshot was taken: its clock, and when its oldest open
// transaction that may still write rows started (InnoDB's trx_started, in whole seconds).
struct SourceHorizon
{
    double serverTime = 0;
    std::optional<double> oldestWriterStart;
    // Whether the source's transactions are known; when not, only `lag` protects, because the
    // source user lacks the PROCESS privilege, or because InnoDB's list stayed stale (it is
    // refilled only after 0.1 s without readers, and something read it more often than that).
    enum class Knowledge { Transactions, NoPrivilege, StaleList };
    Knowledge knowledge = Knowledge::NoPrivilege;
    // The oldest writer, for the log and /status; empty when none is open.
    QString holderTransactionId;
    QString holderUser;
    QString holderHost;
    qint64 holderThreadId = 0;

    // No transaction that commits after the snapshot started before this (epoch seconds).
    double horizon() const
    {
        return oldestWriterStart && *oldestWriterStart < serverTime ? *oldestWriterStart : serverTime;
    }
    double heldBackSeconds() const { return serverTime - horizon(); }
};

// Decides where the next incremental pass of a table may start without missing a row that a
// transaction still open on the source commits later. The argument, for any modifier the
// database assigns as rows are written (NOW() stamps, ON UPDATE CURRENT_TIMESTAMP,
// AUTO_INCREMENT ids, counters):
//
//  1. A snapshot taken at σ misses only rows committed after σ. The horizon H, asked before the
//     snapshot, is the start of the oldest transaction then open that may write (or the clock,
//     when none is): every transaction that commits after σ was open then or began later, so it
//     began at or after H.
//  2. Such a transaction assigns its modifier values after H. Every row visible in an earlier
//     snapshot taken at S < H had its value assigned before S. So the values it writes are above
//     every value that snapshot held, and a later pass may start just after the last position
//     (modifier, key) that snapshot held: its mark. The newest such mark is the start.
//  3. For temporal modifiers the same holds by value without a history: the newest value in the
//     current snapshot, minus the time since H, is at most H on the modifier's clock; a row
//     stamped by a later transaction is not below H.
//  4. Stamps the application assigns from its own clock, `lag` seconds fast or slow at most,
//     move 2 and 3 by `lag` (a mark must be `lag` + one unit of the column's precision older than
//     H); counters the application assigns move the start back by `lag`.
//  5. The start never moves back: each candidate is a lower bound for every row not yet read,
//     so the largest one is too. Rows at or after the start are read again and written only
//     when they differ, so a re-read costs reading, never a rewrite.
// Without the PROCESS privilege the source's transactions are unknown (H is the clock) and
// only `lag` protects a late commit.
class SafeCursor
{
public:
    enum class Clock {
        Time,    // DATETIME / TIMESTAMP: `lag` in seconds
        Date,    // DATE: `lag` in seconds, precision one day
        Counter, // integer or DECIMAL: `lag` a count
    };
    // The default lag: five seconds covers the clock skew of hosts without working time sync
    // (NTP keeps them within milliseconds), plus the moment between a statement's NOW() and its
    // transaction's start in InnoDB. Counters the database assigns need none.
    static constexpr qint64 kDefaultTimeLag = 5;
    static constexpr qint64 kDefaultCounterLag = 0;
    static constexpr int kHistorySize = 64;

    SafeCursor(Clock clock, qint64 lag);

    struct Decision
    {
        std::optional<CursorPosition> start;
        QList<CursorMark> history; // newest last, without the marks older than the one promoted
    };
    // `start`: where this pass began (none: from the beginning); `history`: marks of earlier
    // reads; `horizon`: asked before this pass's snapshot; `thisRead`: this pass's own mark (its
    // position empty when the snapshot holds no row with a modifier value).
    Decision decide(const std::optional<CursorPosition> &start, QList<CursorMark> history, const SourceHorizon &horizon,
                    const std::optional<CursorMark> &thisRead) const;

    // The later of two positions (both must be safe: either would do, the later reads less).
    std::optional<CursorPosition> later(const std::optional<CursorPosition> &a,
                                        const std::optional<CursorPosition> &b) const;
    // The start a pass may record after committing rows up to `progress` while its final
    // decision is `safe`: the earlier of the two.
    CursorPosition progressStart(const CursorPosition &progress, const std::optional<CursorPosition> &safe) const;

    // -1, 0 or 1 as modifier values compare (temporal text in one format compares as text).
    int compareValues(const QString &a, const QString &b) const;
    // A temporal value moved `seconds` back, floored to the column's precision; empty when the
    // text is not a date or time it knows (a zero date).
    QString timeMinus(const QString &value, double seconds) const;
    static QString counterMinus(const QString &value, qint64 count);

    qint64 lag() const { return m_lag; }
    Clock clock() const { return m_clock; }

private:
    Clock m_clock;
    qint64 m_lag;
};

} // namespace tablesync
