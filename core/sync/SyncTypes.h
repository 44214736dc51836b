#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace tablesync {

// What an incremental run learnt of the source's open transactions before its snapshot (SafeCursor.h).
struct HorizonView
{
    bool checked = false;          // an incremental pass asked the source
    bool known = false;            // false: only `lag` protected this run's late commits, because of
    bool privilegeMissing = false; // the PROCESS privilege, or else a list that stayed stale
    double heldBackSeconds = 0;    // how far the oldest open writer holds the cursor back
    QString holder;                // that transaction, in words; empty when none is open
};

enum class TableOutcome { Succeeded, Failed, Stopped };

// What one table's sync did in one run.
struct TableResult
{
    QString table;
    TableOutcome outcome = TableOutcome::Succeeded;
    qint64 rowsWritten = 0;   // inserted or changed in the target
    qint64 rowsRechecked = 0; // read again (the re-read window after the cursor) and found unchanged
    qint64 elapsedMs = 0;
    QString strategy;       // "incremental" or "full refresh"
    QString error;          // why it failed, in words a DBA can act on
    int errorCode = 0;      // the server's error number, when there was one
    int attempts = 1;       // 1 + retries after transient errors
    qint64 deletedRows = 0; // deletes: propagate

    // --verify / --repair: what differed, and what still differs after a repair.
    bool verified = false;
    qint64 missingRows = 0;   // in the source, not in the target
    qint64 extraRows = 0;     // in the target, not in the source
    qint64 differentRows = 0; // in both, with different content
    qint64 repairedRows = 0;
    qint64 remainingDifferences = 0;
    QStringList sampleKeys; // a few keys of differing rows, for the report
    QString cursor;         // incremental: the stored cursor after the run
    bool quiet = false;     // nothing after the cursor, seen by the run's outlook: no statement of its own

    HorizonView horizon;           // incremental: what the source said of its open transactions (SafeCursor.h)
    double sourceSnapshotTime = 0; // epoch seconds of the snapshot the target now reflects
};

// Transactions open longer than this on the source are named in the log and /status: they hold
// every incremental cursor back, so later runs re-read what they wrote since.
constexpr double kHorizonHoldNoticeSeconds = 10;

// What one pass over the configured tables did.
struct RunSummary
{
    QString loadId;
    QList<TableResult> tables;
    qint64 elapsedMs = 0;
    // Each server's round trip at the end of the run (PoolStats::roundTripMs); negative: unknown.
    double sourceRoundTripMs = -1;
    double targetRoundTripMs = -1;
    // Problems of configuration or grants, which the next run meets again unless someone acts:
    // a server that refused the login (nothing was synced), a table the account may not read or
    // write. Sentences saying what to check (AccessAdvice.h); empty when there were none.
    QString refusedLogin;
    QString missingPrivilege;
    bool hasConfigurationProblem() const { return !refusedLogin.isEmpty() || !missingPrivilege.isEmpty(); }

    qint64 rowsWritten() const
    {
        qint64 n = 0;
        for (const TableResult &t : tables)
            n += t.rowsWritten;
        return n;
    }
    qint64 rowsRechecked() const
    {
        qint64 n = 0;
        for (const TableResult &t : tables)
            n += t.rowsRechecked;
        return n;
    }

    bool allSucceeded() const
    {
        for (const TableResult &t : tables) {
            if (t.outcome != TableOutcome::Succeeded)
                return false;
        }
        return true;
    }
    int differingCount() const
    {
        int n = 0;
        for (const TableResult &t : tables)
            n += t.verified && t.remainingDifferences > 0 ? 1 : 0;
        return n;
    }
    int failedCount() const
    {
        int n = 0;
        for (const TableResult &t : tables)
            n += t.outcome == TableOutcome::Failed ? 1 : 0;
        return n;
    }
};

} // namespace tablesync

Q_DECLARE_METATYPE(tablesync::TableResult)
Q_DECLARE_METATYPE(tablesync::RunSummary)
