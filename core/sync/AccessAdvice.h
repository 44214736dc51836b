#pragma once

#include "config/Settings.h"
#include "sync/SyncTypes.h"

#include <QString>

namespace tablesync::AccessAdvice {

// What a DBA checks when `role`'s server ("source" or "target") refused tablesync's login with
// server error `code` (DbError::isRefusedLogin): the .env keys and the server-side cause, in one
// sentence that starts with the server.
QString forRefusedLogin(const ConnectionSettings &server, int code, const QString &serverText);

// The first table of `summary` that failed for want of a grant, as a sentence naming the table,
// the server's words and what to grant; empty when none did.
QString forMissingPrivilege(const RunSummary &summary);

} // namespace tablesync::AccessAdvice
