#pragma once

#include "config/ConfigError.h"
#include "config/TableSpec.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>

namespace tablesync {

class EnvFile;

// How to reach one server. The password is kept here only; nothing prints it.
struct ConnectionSettings
{
    QString role; // "source" or "target", for messages
    QString host;
    int port = 3306;
    QString user;
    QString password;
    QString database;
    int connectTimeoutSeconds = 10;
    int readTimeoutSeconds = 600;
    int writeTimeoutSeconds = 600;
    QString sslCa;
    QString sslCert;
    QString sslKey;
    // <ROLE>_DB_SSL_REQUIRE: refuse a session that is not encrypted. libmariadb otherwise falls
    // back to plain text, silently, when the server offers no TLS.
    bool sslRequired = false;

    // "user@host:port/database", never with the password.
    QString displayName() const;
};

// Everything the engine runs on, built from .env + process environment + tables.json.
struct Settings
{
    static constexpr int kDefaultFetchLimit = 10000;
    // A batch smaller than this costs a round trip and a commit for a handful of rows;
    // the old pipeline documented FETCH_LIMIT=1, which is raised to this with a warning.
    static constexpr int kMinFetchLimit = 1000;

    ConnectionSettings source;
    ConnectionSettings target;
    int fetchLimit = kDefaultFetchLimit;
    int requestedFetchLimit = kDefaultFetchLimit; // as configured, before raising to the minimum
    int intervalSeconds = 60;
    int poolSize = 20;
    int maxOverflow = 30;
    int poolTimeoutSeconds = 60;
    int poolRecycleSeconds = 3600;
    int poolStatusIntervalSeconds = 60;
    int workers = 4;
    int retries = 5;
    int copyWriters = 2;
    int lag = -1; // SYNC_LAG; -1: the default of each modifier's kind (SafeCursor.h)
    QString healthHost = QStringLiteral("127.0.0.1");
    int healthPort = 8089;
    // HEALTH_TOKEN or the contents of HEALTH_TOKEN_FILE: when set, /status, /metrics and
    // /dashboard need it as a bearer token. A secret: never logged, never served.
    QString healthToken;
    QString healthTokenFile; // HEALTH_TOKEN_FILE as given, when the token came from a file
    // TABLESYNC_PASSWORD_STORE=keychain: the desktop app keeps this profile's passwords in the OS
    // keychain (never in the .env); headless runs do not read the keychain, so a password then
    // has to come from the process environment.
    QString passwordStore;
    static constexpr QStringView kKeychainStore = u"keychain";
    QList<TableSpec> tables;
    // What a run does: sync (the default), or compare source and target (--verify), fixing what
    // differs (--repair).
    enum class RunMode { Sync, Verify, Repair, Plan }; // Plan: --plan, writes nothing
    RunMode runMode = RunMode::Sync;
    // Whether a run writes the target (rows, bookkeeping); --verify and --plan only read.
    bool writesTarget() const { return runMode == RunMode::Sync || runMode == RunMode::Repair; }

    // Reads the keys of the table in docs/configuration.md from `env`, each overridden by the same key in
    // `processEnv`. Missing required keys, bad numbers and out-of-range ports are appended to
    // `errors`, naming the file and line (or "environment" for a process variable).
    static Settings fromEnv(const EnvFile &env, const QProcessEnvironment &processEnv, ConfigErrors &errors);

    // Warnings worth logging (e.g. FETCH_LIMIT raised). Not errors.
    QStringList warnings() const;
    // What fromEnv() noticed in the file: a misspelt key, passwords every user can read.
    QStringList envWarnings;

    // Every key fromEnv() reads, as written in a .env.
    static QStringList knownKeys();
};

} // namespace tablesync
