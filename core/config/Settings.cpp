#include "config/Settings.h"

#include "config/EnvFile.h"
#include "config/EnvWarnings.h"

#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

namespace tablesync {

namespace {

constexpr int kUnbounded = std::numeric_limits<int>::max();
constexpr int kNoSpecialValue = std::numeric_limits<int>::min();

// Where a key's value lands.
enum class Scope {
    Global,          // one key, a member of Settings
    EachConnection,  // SOURCE_<name> and TARGET_<name>, a member of each ConnectionSettings
    BothConnections, // one key, the same member of both ConnectionSettings
};

// One configuration key: every key, its default and its limits live in kKeys below, so adding a
// key is one line and the parsing and messages cannot drift apart.
struct KeySpec
{
    QStringView name;
    Scope scope = Scope::Global;
    bool required = false;  // text: must be set and not empty
    bool allowEmpty = true; // text: an explicit empty value is accepted
    QStringView defaultText = {};
    int defaultNumber = 0;
    int min = 0;
    int max = kUnbounded;
    int specialValue = kNoSpecialValue; // a value allowed outside min..max, e.g. -1 = never
    QString Settings::*text = nullptr;
    int Settings::*number = nullptr;
    QString ConnectionSettings::*connectionText = nullptr;
    int ConnectionSettings::*connectionNumber = nullptr;
    bool ConnectionSettings::*connectionFlag = nullptr; // true/false, yes/no, on/off, 1/0

    bool isNumber() const { return number || connectionNumber; }
    bool isFlag() const { return connectionFlag; }
};

using CS = ConnectionSettings;
using S = Settings;

// clang-format off
constexpr KeySpec kKeys[] = {
    {.name = u"DB_USER", .scope = Scope::EachConnection, .required = true, .connectionText = &CS::user},
    {.name = u"DB_PASS", .scope = Scope::EachConnection, .connectionText = &CS::password},
    {.name = u"DB_HOST", .scope = Scope::EachConnection, .required = true, .connectionText = &CS::host},
    {.name = u"DB_PORT", .scope = Scope::EachConnection, .defaultNumber = 3306, .min = 1, .max = 65535,
     .connectionNumber = &CS::port},
    {.name = u"DB_NAME", .scope = Scope::EachConnection, .required = true, .connectionText = &CS::database},
    {.name = u"DB_SSL_CA", .scope = Scope::EachConnection, .connectionText = &CS::sslCa},
    {.name = u"DB_SSL_CERT", .scope = Scope::EachConnection, .connectionText = &CS::sslCert},
    {.name = u"DB_SSL_KEY", .scope = Scope::EachConnection, .connectionText = &CS::sslKey},
    {.name = u"DB_SSL_REQUIRE", .scope = Scope::EachConnection, .connectionFlag = &CS::sslRequired},
    {.name = u"DB_CONNECT_TIMEOUT", .scope = Scope::BothConnections, .defaultNumber = 10, .min = 1,
     .connectionNumber = &CS::connectTimeoutSeconds},
    {.name = u"DB_READ_TIMEOUT", .scope = Scope::BothConnections, .defaultNumber = 600, .min = 1,
     .connectionNumber = &CS::readTimeoutSeconds},
    {.name = u"DB_WRITE_TIMEOUT", .scope = Scope::BothConnections, .defaultNumber = 600, .min = 1,
     .connectionNumber = &CS::writeTimeoutSeconds},
    // Values below kMinFetchLimit are accepted here and raised afterwards (with a warning).
    {.name = u"FETCH_LIMIT", .defaultNumber = S::kDefaultFetchLimit, .min = 1, .max = 1'000'000,
     .number = &S::requestedFetchLimit},
    // The same week-long limit as --interval.
    {.name = u"INTERVAL", .defaultNumber = 60, .min = 0, .max = 7 * 24 * 3600, .number = &S::intervalSeconds},
    {.name = u"POOL_SIZE", .defaultNumber = 20, .min = 1, .number = &S::poolSize},
    {.name = u"MAX_OVERFLOW", .defaultNumber = 30, .min = 0, .number = &S::maxOverflow},
    {.name = u"POOL_TIMEOUT", .defaultNumber = 60, .min = 1, .number = &S::poolTimeoutSeconds},
    {.name = u"POOL_RECYCLE", .defaultNumber = 3600, .min = 1, .specialValue = -1,
     .number = &S::poolRecycleSeconds},
    // Tables synced at once; each worker holds one connection per server while it works.
    {.name = u"SYNC_WORKERS", .defaultNumber = 4, .min = 1, .max = 64, .number = &S::workers},
    // Attempts after a transient error (lost connection, deadlock, lock wait timeout) before a table fails.
    {.name = u"SYNC_RETRIES", .defaultNumber = 5, .min = 0, .max = 100, .number = &S::retries},
    // The default `lag` of every table (tables.json's own `lag` wins); -1: each modifier kind's default.
    {.name = u"SYNC_LAG", .defaultNumber = -1, .min = 0, .max = 1'000'000, .specialValue = -1, .number = &S::lag},
    // Writer threads (each with its own target connection) for a large copy; 0 = copy on one thread.
    {.name = u"COPY_WRITERS", .defaultNumber = 2, .min = 0, .max = 16, .number = &S::copyWriters},
    // Seconds between pool status log lines; 0 = only at the end of each run.
    {.name = u"POOL_STATUS_INTERVAL", .defaultNumber = 60, .min = 0, .number = &S::poolStatusIntervalSeconds},
    {.name = u"HEALTH_HOST", .allowEmpty = false, .defaultText = u"127.0.0.1", .text = &S::healthHost},
    {.name = u"HEALTH_PORT", .defaultNumber = 8089, .min = 1, .max = 65535, .number = &S::healthPort},
    // Checked and read in readHealthToken(): at most one of the two, and a usable token.
    {.name = u"HEALTH_TOKEN", .text = &S::healthToken},
    {.name = u"HEALTH_TOKEN_FILE", .text = &S::healthTokenFile},
    // Written by the desktop app: where this profile's passwords are, when not in the file.
    {.name = u"TABLESYNC_PASSWORD_STORE", .text = &S::passwordStore},
};
// clang-format on

// A value as found, and where, for messages.
struct Found
{
    bool present = false;
    QString value;
    QString file;
    QString location;
};

Found lookup(const QString &key, const EnvFile &env, const QProcessEnvironment &processEnv)
{
    if (processEnv.contains(key))
        return {true, processEnv.value(key), u"environment"_qs, QString()};
    if (env.contains(key)) {
        const int line = env.line(key);
        return {true, env.value(key), env.fileName(), line > 0 ? u"line "_qs + QString::number(line) : QString()};
    }
    return {};
}

QString rangeText(const KeySpec &spec)
{
    QString text = spec.max == kUnbounded
                       ? u"at least "_qs + QString::number(spec.min)
                       : QStringLiteral("from %1 to %2").arg(QString::number(spec.min), QString::number(spec.max));
    if (spec.specialValue != kNoSpecialValue)
        text = QString::number(spec.specialValue) + u" or "_qs + text;
    return text;
}

// Whole numbers only, as Python's int() reads them (sign and surrounding blanks allowed);
// "5.0", "5s" and "0x10" are errors rather than a silently different number.
std::optional<int> readNumber(const KeySpec &spec, const QString &key, const Found &found, ConfigErrors &errors)
{
    const QString text = found.value.trimmed();
    const QString shown = key + u": \""_qs + found.value + u'"';
    const qsizetype digitsFrom = (text.startsWith(u'-') || text.startsWith(u'+')) ? 1 : 0;
    const bool wellFormed = text.size() > digitsFrom && std::all_of(text.cbegin() + digitsFrom, text.cend(),
                                                                    [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (!wellFormed) {
        errors << ConfigError{found.file, found.location, shown + u" is not a whole number"_qs};
        return std::nullopt;
    }
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    const bool inRange = ok && ((value >= spec.min && value <= spec.max) || value == spec.specialValue);
    if (!inRange) {
        errors << ConfigError{found.file, found.location, shown + u" is out of range; expected "_qs + rangeText(spec)};
        return std::nullopt;
    }
    return int(value);
}

// The words python-dotenv users write for a switch. Anything else is an error rather than "false",
// so that a typo never silently turns a safety switch off.
std::optional<bool> readFlag(const QString &key, const Found &found, ConfigErrors &errors)
{
    const QString text = found.value.trimmed().toLower();
    if (text.isEmpty())
        return false;
    for (const QStringView yes : {u"true", u"yes", u"on", u"1"}) {
        if (text == yes)
            return true;
    }
    for (const QStringView no : {u"false", u"no", u"off", u"0"}) {
        if (text == no)
            return false;
    }
    errors << ConfigError{found.file, found.location,
                          key + u": \""_qs + found.value + u"\" is not a switch; expected true or false"_qs};
    return std::nullopt;
}

void readKey(const KeySpec &spec, const QString &key, const EnvFile &env, const QProcessEnvironment &processEnv,
             ConfigErrors &errors, QString *text, int *number, bool *flag = nullptr)
{
    const Found found = lookup(key, env, processEnv);
    if (spec.isFlag()) {
        *flag = false;
        if (found.present) {
            if (const auto value = readFlag(key, found, errors))
                *flag = *value;
        }
        return;
    }
    if (spec.isNumber()) {
        *number = spec.defaultNumber;
        if (found.present) {
            if (const auto value = readNumber(spec, key, found, errors))
                *number = *value;
        }
        return;
    }
    *text = spec.defaultText.toString();
    if (!found.present) {
        if (spec.required)
            errors << ConfigError{env.fileName(), QString(), u"missing "_qs + key};
        return;
    }
    if (found.value.isEmpty() && (spec.required || !spec.allowEmpty)) {
        errors << ConfigError{found.file, found.location, key + u" is empty"_qs};
        return;
    }
    *text = found.value;
}

// Qt 6.4's QMYSQL asks libmariadb for TLS only when a TLS file is given, so requiring TLS
// without one could never succeed: say so now rather than at every connection attempt.
void checkSslRequire(const ConnectionSettings &connection, const QString &prefix, const EnvFile &env,
                     const QProcessEnvironment &processEnv, ConfigErrors &errors)
{
    if (!connection.sslRequired || !connection.sslCa.isEmpty() || !connection.sslCert.isEmpty() ||
        !connection.sslKey.isEmpty())
        return;
    const QString key = prefix + u"DB_SSL_REQUIRE"_qs;
    const Found found = lookup(key, env, processEnv);
    errors << ConfigError{found.file, found.location,
                          key + u" is true, but none of "_qs + prefix +
                              u"DB_SSL_CA, _SSL_CERT, _SSL_KEY is set; "
                              "TLS is only attempted with one of them (set "_qs +
                              prefix + u"DB_SSL_CA to the CA that signed the server's certificate)"_qs};
}

// RFC 6750's b64token: what can travel in `Authorization: Bearer` without quoting. At least 16
// characters, since nothing slows down guessing (e.g. `openssl rand -hex 32`).
constexpr qsizetype kMinTokenLength = 16;

// Never puts the token itself into a message: errors are printed and logged.
void readHealthToken(Settings &settings, const EnvFile &env, const QProcessEnvironment &processEnv,
                     ConfigErrors &errors)
{
    const QString tokenKey = u"HEALTH_TOKEN"_qs;
    const QString fileKey = u"HEALTH_TOKEN_FILE"_qs;
    Found where = lookup(tokenKey, env, processEnv);
    QString shownKey = tokenKey;
    if (!settings.healthTokenFile.isEmpty()) {
        where = lookup(fileKey, env, processEnv);
        if (!settings.healthToken.isEmpty()) {
            errors << ConfigError{where.file, where.location,
                                  u"HEALTH_TOKEN and HEALTH_TOKEN_FILE are both set; keep one"_qs};
            return;
        }
        QFile file(settings.healthTokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            errors << ConfigError{where.file, where.location,
                                  QStringLiteral("HEALTH_TOKEN_FILE: cannot read \"%1\": %2")
                                      .arg(settings.healthTokenFile, file.errorString())};
            return;
        }
        // A trailing newline (echo, an editor) is not part of the token.
        settings.healthToken = QString::fromUtf8(file.read(64 * 1024)).trimmed();
        shownKey = QStringLiteral("HEALTH_TOKEN_FILE (\"%1\")").arg(settings.healthTokenFile);
        if (settings.healthToken.isEmpty()) {
            errors << ConfigError{where.file, where.location, shownKey + u" is empty"_qs};
            return;
        }
    }
    if (settings.healthToken.isEmpty())
        return;
    static const QRegularExpression b64token(u"\\A[A-Za-z0-9._~+/-]+=*\\z"_qs);
    if (!b64token.match(settings.healthToken).hasMatch()) {
        errors << ConfigError{where.file, where.location,
                              shownKey + u": the token may hold only letters, digits and - . _ ~ + / "
                                         "(then = signs), so that it travels unchanged in an HTTP header"_qs};
    } else if (settings.healthToken.size() < kMinTokenLength) {
        errors << ConfigError{
            where.file, where.location,
            QStringLiteral("%1: the token has %2 characters; use at least %3 "
                           "(e.g. the output of `openssl rand -hex 32`)")
                .arg(shownKey, QString::number(settings.healthToken.size()), QString::number(kMinTokenLength))};
    }
}

// A profile saved by the desktop app with its passwords in the OS keychain has none in the .env.
// A headless run cannot ask the keychain (a service has no desktop session), so it says exactly
// that instead of trying a login without a password.
void checkPasswordStore(const Settings &settings, const EnvFile &env, const QProcessEnvironment &processEnv,
                        ConfigErrors &errors)
{
    const QString key = u"TABLESYNC_PASSWORD_STORE"_qs;
    const Found where = lookup(key, env, processEnv);
    if (settings.passwordStore.isEmpty() || settings.passwordStore == u"env"_qs)
        return;
    if (settings.passwordStore != Settings::kKeychainStore) {
        errors << ConfigError{where.file, where.location,
                              key + u": \""_qs + settings.passwordStore +
                                  u"\" is not a password store; expected keychain or env"_qs};
        return;
    }
    for (const ConnectionSettings *connection : {&settings.source, &settings.target}) {
        if (!connection->password.isEmpty())
            continue;
        const QString passKey = connection->role.toUpper() + u"_DB_PASS"_qs;
        errors << ConfigError{
            where.file, where.location,
            QStringLiteral("%1 is not in this file: %2=keychain says the tablesync desktop app keeps it in the OS "
                           "keychain, which a headless run does not read. Give the run %1 in its environment "
                           "(for the service: an EnvironmentFile readable only by its user), or keep passwords in "
                           "the .env (in the desktop app: Options, Passwords, \"In the .env file\")")
                .arg(passKey, key)};
    }
}

} // namespace

QString ConnectionSettings::displayName() const
{
    // An IPv6 address gets brackets so its colons do not read as the port.
    const QString shownHost = host.contains(u':') ? QString(u'[' + host + u']') : host;
    return user + u'@' + shownHost + u':' + QString::number(port) + u'/' + database;
}

Settings Settings::fromEnv(const EnvFile &env, const QProcessEnvironment &processEnv, ConfigErrors &errors)
{
    Settings settings;
    settings.source.role = u"source"_qs;
    settings.target.role = u"target"_qs;
    const std::pair<QString, ConnectionSettings *> connections[] = {{u"SOURCE_"_qs, &settings.source},
                                                                    {u"TARGET_"_qs, &settings.target}};

    for (const KeySpec &spec : kKeys) {
        switch (spec.scope) {
        case Scope::Global:
            readKey(spec, spec.name.toString(), env, processEnv, errors, spec.text ? &(settings.*spec.text) : nullptr,
                    spec.number ? &(settings.*spec.number) : nullptr);
            break;
        case Scope::EachConnection:
            for (const auto &[prefix, connection] : connections) {
                readKey(spec, prefix + spec.name, env, processEnv, errors,
                        spec.connectionText ? &(connection->*spec.connectionText) : nullptr,
                        spec.connectionNumber ? &(connection->*spec.connectionNumber) : nullptr,
                        spec.connectionFlag ? &(connection->*spec.connectionFlag) : nullptr);
            }
            break;
        case Scope::BothConnections: {
            int value = 0;
            QString text;
            readKey(spec, spec.name.toString(), env, processEnv, errors, &text, &value);
            for (const auto &[prefix, connection] : connections) {
                if (spec.connectionNumber)
                    connection->*spec.connectionNumber = value;
                else
                    connection->*spec.connectionText = text;
            }
            break;
        }
        }
    }

    for (const auto &[prefix, connection] : connections)
        checkSslRequire(*connection, prefix, env, processEnv, errors);
    readHealthToken(settings, env, processEnv, errors);
    checkPasswordStore(settings, env, processEnv, errors);
    settings.envWarnings = EnvWarnings::nearMisses(env, knownKeys());
    if (const QString readable = EnvWarnings::readableSecrets(env); !readable.isEmpty())
        settings.envWarnings << readable;
    settings.fetchLimit = std::max(settings.requestedFetchLimit, kMinFetchLimit);
    return settings;
}

QStringList Settings::knownKeys()
{
    QStringList keys;
    for (const KeySpec &spec : kKeys) {
        if (spec.scope == Scope::EachConnection)
            keys << u"SOURCE_"_qs + spec.name << u"TARGET_"_qs + spec.name;
        else
            keys << spec.name.toString();
    }
    return keys;
}

QStringList Settings::warnings() const
{
    QStringList result = envWarnings;
    if (requestedFetchLimit < kMinFetchLimit && fetchLimit != requestedFetchLimit) {
        result << QStringLiteral("FETCH_LIMIT=%1 is too small to be efficient (every batch costs a round trip "
                                 "and a commit); using %2 rows per batch instead")
                      .arg(QString::number(requestedFetchLimit), QString::number(fetchLimit));
    }
    for (const ConnectionSettings *c : {&source, &target}) {
        if (c->sslCa.isEmpty() && (!c->sslCert.isEmpty() || !c->sslKey.isEmpty())) {
            const QString prefix = c->role.toUpper() + u"_DB_"_qs;
            result << QStringLiteral("%1SSL_CERT/_SSL_KEY without %1SSL_CA: the %2 connection is encrypted when the "
                                     "server offers TLS, but the server's certificate is not checked")
                          .arg(prefix, c->role);
        }
    }
    return result;
}

} // namespace tablesync
