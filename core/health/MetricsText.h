#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QMap>

namespace tablesync {

class StatusBoard;

// The /metrics answer in the Prometheus text exposition format (version 0.0.4): every family has
// its # HELP and # TYPE lines. `httpResponses` counts the health server's answers by status code.
// Every metric is described in docs/health-and-metrics.md ("GET /metrics").
QByteArray metricsText(const StatusBoard &board, const QDateTime &now, const QMap<int, qint64> &httpResponses);

} // namespace tablesync
