#pragma once

#include "sync/SyncTypes.h"

#include <QString>

namespace tablesync {

// The words for what an incremental run learnt of the source's open transactions, shared by the
// log, /status, the dashboard and the window, so a DBA reads one story everywhere.
namespace HorizonNotice {

// Empty when the run saw the source's open transactions; otherwise why it could not and what fixes
// it. `sourceUser` names the account in the GRANT (empty: "the source user").
QString warning(const HorizonView &view, const QString &sourceUser = {});

// True when a transaction has been open long enough to be worth a DBA's attention.
bool holderWorthNaming(const HorizonView &view);

// "source transaction 42 (…) has been open for 73 s: incremental cursors wait behind it, …"
QString holderSentence(const HorizonView &view);

} // namespace HorizonNotice
} // namespace tablesync
