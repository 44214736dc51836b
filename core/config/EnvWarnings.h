#pragma once

#include "config/EnvFile.h"

#include <QString>
#include <QStringList>

namespace tablesync::EnvWarnings {

// Keys of `env` that look like a misspelt tablesync key (SYNC_WORKER, sync_workers, TARGET_DB_HOTS),
// each as a warning naming the file, the line and the key it probably meant. Other unknown keys
// stay silent: a .env often holds settings of other programs (the old pipeline's, say).
QStringList nearMisses(const EnvFile &env, const QStringList &knownKeys);

// A warning when the file `env` was read from holds a password or token and every user of the
// machine may read it; empty otherwise. Group-readable is left alone: the systemd layout keeps the
// service's .env 0640 root:tablesync on purpose.
QString readableSecrets(const EnvFile &env);

} // namespace tablesync::EnvWarnings
