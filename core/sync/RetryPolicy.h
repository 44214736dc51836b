#pragma once

#include <chrono>

class QString;

namespace tablesync::RetryPolicy {

// Errors that a later attempt can get past: lost or refused connections, a server restart,
// deadlocks and lock wait timeouts, read timeouts. Everything else (syntax, missing table or
// column, access denied, data that does not fit) fails the table at once.
bool isTransient(int nativeErrorCode, const QString &message);

// Exponential backoff with jitter before attempt `attempt` (1 = the first retry):
// about 1 s, 2 s, 4 s, ... capped at 30 s, each within -25%..+25%.
std::chrono::milliseconds backoff(int attempt);

} // namespace tablesync::RetryPolicy
