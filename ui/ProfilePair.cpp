#include "ProfilePair.h"

#include "config/ProfileFiles.h"

#include <QDir>
#include <QFileInfo>

namespace tablesync::ProfilePair {

QString tablesPathToOpen(const QString &envPath)
{
    const QString own = ProfileFiles::tablesPathFor(envPath);
    if (QFileInfo::exists(own))
        return own;
    const QString beside = QFileInfo(envPath).dir().filePath(u"tables.json"_qs);
    return QFileInfo::exists(beside) ? beside : own;
}

QString proposedEnvPath(const QString &sourceDatabase, const QString &targetDatabase)
{
    const QString folder = QDir::home().filePath(u"tablesync"_qs);
    QString name = sourceDatabase.isEmpty() && targetDatabase.isEmpty()
                       ? u"profile"_qs
                       : (sourceDatabase.isEmpty() ? u"source"_qs : sourceDatabase) + u"-to-"_qs +
                             (targetDatabase.isEmpty() ? u"target"_qs : targetDatabase);
    // Database names may hold characters a file name should not.
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != u'-' && c != u'_' && c != u'.')
            c = u'_';
    }
    return QDir(folder).filePath(name + u".env"_qs);
}

} // namespace tablesync::ProfilePair
