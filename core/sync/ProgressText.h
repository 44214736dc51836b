#pragma once

#include <QString>

namespace tablesync {

// The log line for SyncEngine::batchCommitted, the same in the headless log and the window's Log
// page. A batch of no rows is the progress of a comparison (--verify, delete detection), whose
// count is of rows compared, not written.
inline QString batchProgressText(qint64 rowsInBatch, qint64 rowsSoFar, qint64 estimatedTotal)
{
    const QString of = estimatedTotal > 0 ? QStringLiteral(" of ~%1").arg(estimatedTotal) : QString();
    if (rowsInBatch == 0)
        return QStringLiteral("compared %1%2 row(s) so far").arg(rowsSoFar).arg(of);
    return QStringLiteral("batch committed: %1 row(s), %2%3 so far").arg(rowsInBatch).arg(rowsSoFar).arg(of);
}

} // namespace tablesync
