#include "sync/RetryPolicy.h"

#include "db/DbError.h"

#include <QRandomGenerator>
#include <QString>

#include <algorithm>

namespace tablesync::RetryPolicy {

bool isTransient(int code, const QString &message)
{
    switch (code) {
    case DbError::kPoolTimeout: // it already waited POOL_TIMEOUT; waiting again hides a sizing problem
        return false;
    case 1040: // too many connections
    case 1053: // server shutdown in progress
    case 1205: // lock wait timeout
    case 1213: // deadlock
    case 1927: // connection killed (MariaDB)
    case 2002: // can't connect through socket
    case 2003: // can't connect (refused, unreachable)
    case 2006: // server has gone away
    case 2013: // lost connection during query
    case 2055: // lost connection at '...'
    case 4031: // disconnected by the server because of inactivity
        return true;
    default:
        break;
    }
    // Some client-side failures arrive without a number; their words are stable.
    static const char *const phrases[] = {"gone away", "Lost connection",    "Can't connect",
                                          "timed out", "Connection refused", "Broken pipe"};
    return std::any_of(std::begin(phrases), std::end(phrases), [&](const char *phrase) {
        return message.contains(QLatin1StringView(phrase), Qt::CaseInsensitive);
    });
}

std::chrono::milliseconds backoff(int attempt)
{
    const qint64 base = std::min<qint64>(30000, 1000LL << std::clamp(attempt - 1, 0, 15));
    const double jitter = 0.75 + 0.5 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(qint64(double(base) * jitter));
}

} // namespace tablesync::RetryPolicy
