#include "sync/HorizonNotice.h"

namespace tablesync::HorizonNotice {

QString warning(const HorizonView &view, const QString &sourceUser)
{
    if (!view.checked || view.known)
        return {};
    if (view.privilegeMissing) {
        const QString account =
            sourceUser.isEmpty() ? u"the source user"_qs : u"'"_qs + sourceUser + u"'@'<its host>'"_qs;
        return QStringLiteral("the source user lacks the PROCESS privilege, so tablesync cannot see the source's "
                              "open transactions: a row committed more than `lag` after it was stamped can be "
                              "missed. Fix: GRANT PROCESS ON *.* TO %1")
            .arg(account);
    }
    return u"the source's transaction list (information_schema.INNODB_TRX) did not refresh within 2 s (InnoDB "
           "refills it only after 0.1 s without readers, and something reads it more often), so only `lag` "
           "protected the last run's cursors"_qs;
}

bool holderWorthNaming(const HorizonView &view)
{
    return view.checked && !view.holder.isEmpty() && view.heldBackSeconds >= kHorizonHoldNoticeSeconds;
}

QString holderSentence(const HorizonView &view)
{
    return u"source "_qs + view.holder +
           u": incremental cursors wait behind it, and later runs re-check the rows changed since it began"_qs;
}

} // namespace tablesync::HorizonNotice
