#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QHostAddress;

namespace tablesync {

// Who may read the health server's detailed pages (/status, /metrics, /dashboard): anyone when no
// token is configured, otherwise only a request carrying `Authorization: Bearer <token>` (or,
// for the dashboard page that a browser opens as a link, `?token=<token>`). `/` and `/healthz`
// stay open for monitors and never come here.
class HealthAccess
{
public:
    enum class Verdict { Allowed, Missing, Wrong };

    explicit HealthAccess(const QByteArray &token = {});

    bool requiresToken() const { return !m_tokenDigest.isEmpty(); }
    // `authorization` is the Authorization header's value (empty when absent), `queryToken` the
    // token from the URL where the page accepts one (empty otherwise).
    Verdict check(QByteArrayView authorization, QByteArrayView queryToken = {}) const;

    // Compares the SHA-256 digests of both, so the time taken says nothing about how much of a
    // guess was right, nor about the token's length.
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

private:
    bool matches(QByteArrayView candidate) const;

    QByteArray m_tokenDigest; // SHA-256 of the token; the token itself is not kept
};

// True for 127.0.0.0/8, ::1 and an IPv4-mapped loopback address: only this machine can connect.
bool isLoopbackAddress(const QHostAddress &address);

} // namespace tablesync
