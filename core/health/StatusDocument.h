#pragma once

#include <QDateTime>
#include <QJsonObject>

namespace tablesync {

class StatusBoard;

// The /status answer: engine state, schedule, per-table progress and history, pool statistics and
// recent errors, as of `now`. Every field is described in docs/health-and-metrics.md ("GET /status").
QJsonObject statusDocument(const StatusBoard &board, const QDateTime &now);

} // namespace tablesync
