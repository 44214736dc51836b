#include "health/HealthAccess.h"

#include <QCryptographicHash>
#include <QHostAddress>

namespace tablesync {

namespace {
QByteArray digest(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

// Looks at every byte whatever the first difference.
bool equalDigests(const QByteArray &a, const QByteArray &b)
{
    Q_ASSERT(a.size() == b.size());
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}
} // namespace

HealthAccess::HealthAccess(const QByteArray &token)
    : m_tokenDigest(token.isEmpty() ? QByteArray() : digest(token))
{}

bool HealthAccess::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    return equalDigests(digest(a), digest(b));
}

bool HealthAccess::matches(QByteArrayView candidate) const
{
    return equalDigests(digest(candidate), m_tokenDigest);
}

HealthAccess::Verdict HealthAccess::check(QByteArrayView authorization, QByteArrayView queryToken) const
{
    if (!requiresToken())
        return Verdict::Allowed;
    // RFC 6750 2.1: `Bearer` (any case), one or more spaces, the token.
    const QByteArrayView header = authorization.trimmed();
    constexpr QByteArrayView scheme = "bearer";
    if (header.size() > scheme.size() && header.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0 &&
        header.at(scheme.size()) == ' ')
        return matches(header.sliced(scheme.size()).trimmed()) ? Verdict::Allowed : Verdict::Wrong;
    if (!queryToken.isEmpty())
        return matches(queryToken) ? Verdict::Allowed : Verdict::Wrong;
    // No header, or another scheme (Basic...): no bearer credentials at all.
    return Verdict::Missing;
}

bool isLoopbackAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also unwraps ::ffff:a.b.c.d
    if (isV4)
        return (v4 >> 24) == 127;
    return address.isLoopback();
}

} // namespace tablesync
