#pragma once

#include "config/TableSpec.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace tablesync {

// Writes a profile's two files. Both are written atomically (a temporary file in the same
// directory, then a rename), so a crash or a full disk never leaves a half-written file for the
// headless service to choke on, and with owner-only permissions (0600): the .env may hold passwords.
namespace ProfileWriter {

// The .env text for `values`: `existing` keeps its comments, blank lines, order and `export `
// prefixes; a key found there gets its new value in place (a trailing comment survives), a key
// no longer in `values` is dropped, and new keys are appended in the order of `preferredOrder`
// (then alphabetically). Values are quoted only when they need it, so EnvFile reads them back
// exactly, and python-dotenv does too.
QByteArray renderEnv(const QByteArray &existing, const QMap<QString, QString> &values,
                     const QStringList &preferredOrder = {});

// One value as it must appear after `KEY=`.
QString quoteEnvValue(const QString &value);

// tables.json as the old pipeline wrote it: an array of objects, one entry per line,
// `primary_key` a string for one column and an array for several.
QByteArray renderTables(const QList<TableSpec> &tables);

// Replaces `path` with `data` atomically, mode 0600. On failure returns false and sets `error`
// to a message naming the file; the old file is then untouched.
bool writeFile(const QString &path, const QByteArray &data, QString *error);

} // namespace ProfileWriter
} // namespace tablesync
