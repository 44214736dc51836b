#pragma once

#include <QString>

namespace tablesync {

// English singular or plural, chosen in code: without a translation loaded, Qt's "%n item(s)"
// would show the "(s)" to the user. Both forms go through tr() at the call site, so a translation
// can still replace them. `%1` in the chosen form becomes `n`.
inline QString plural(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

} // namespace tablesync
