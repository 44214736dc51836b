#include "sync/LoadId.h"

#include <QMutex>

#include <algorithm>
#include <chrono>

namespace tablesync::LoadId {

QString next()
{
    static QMutex mutex;
    static qint64 lastMicros = 0;
    const qint64 now =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    QMutexLocker lock(&mutex);
    lastMicros = std::max(now, lastMicros + 1);
    return QStringLiteral("%1.%2").arg(lastMicros / 1000000).arg(lastMicros % 1000000, 6, 10, QLatin1Char('0'));
}

} // namespace tablesync::LoadId
