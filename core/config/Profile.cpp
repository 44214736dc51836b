#include "config/Profile.h"

#include "config/EnvFile.h"
#include "config/TablesFile.h"

#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace tablesync {

Profile Profile::load(const QString &envPath, const QString &tablesPath, ConfigErrors &errors)
{
    Profile profile;
    profile.envPath = envPath;
    profile.tablesPath = tablesPath;

    QFile envFile(envPath);
    if (!QFileInfo::exists(envPath)) {
        errors << ConfigError{envPath, QString(), u"file not found"_qs};
    } else if (!envFile.open(QIODevice::ReadOnly)) {
        errors << ConfigError{envPath, QString(), u"cannot read the file: "_qs + envFile.errorString()};
    } else {
        profile.envText = envFile.readAll();
        const EnvFile env = EnvFile::parse(profile.envText, envPath, errors);
        for (const QString &key : env.keys())
            profile.env.insert(key, env.value(key));
    }
    profile.tables = TablesFile::load(tablesPath, errors);
    return profile;
}

Settings Profile::settings(ConfigErrors &errors) const
{
    // An EnvFile carrying the profile's values under its file name, so messages name the file.
    EnvFile file = EnvFile::parse(QByteArray(), envPath.isEmpty() ? u".env"_qs : envPath, errors);
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        file.set(it.key(), it.value());
    Settings result = Settings::fromEnv(file, QProcessEnvironment(), errors);
    result.tables = tables;
    if (tables.isEmpty())
        errors << ConfigError{tablesPath.isEmpty() ? u"tables.json"_qs : tablesPath, QString(),
                              u"no tables configured"_qs};
    return result;
}

} // namespace tablesync
