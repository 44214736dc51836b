#include "config/ProfileFiles.h"

#include <QDir>
#include <QFileInfo>

namespace tablesync::ProfileFiles {

QString tablesPathFor(const QString &envPath)
{
    const QFileInfo env(envPath);
    QString name = env.fileName();
    if (name == u".env")
        return env.dir().filePath(u"tables.json"_qs);
    if (name.endsWith(u".env"))
        name.chop(4);
    while (name.startsWith(u'.'))
        name.remove(0, 1);
    return env.dir().filePath((name.isEmpty() ? u"profile"_qs : name) + u".tables.json"_qs);
}

} // namespace tablesync::ProfileFiles
