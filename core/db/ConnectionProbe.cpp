#include "db/ConnectionProbe.h"

#include "db/DbConnection.h"
#include "db/DbError.h"

#include <QElapsedTimer>

#include <algorithm>
#include <limits>

namespace tablesync::ConnectionProbe {

namespace {
constexpr int kRoundTrips = 3; // the best of a few, so one scheduling hiccup does not show
}

QString hintFor(const QString &error, const ConnectionSettings &settings)
{
    const auto has = [&](const char16_t *text) {
        return error.contains(QString::fromUtf16(text), Qt::CaseInsensitive);
    };
    const QString where = settings.host + u':' + QString::number(settings.port);
    if (has(u"Access denied for user") && has(u"to database"))
        return u"The user may log in but has no rights on the database \"%1\": GRANT them, or pick another database."_qs
            .arg(settings.database);
    if (has(u"Access denied"))
        return u"Check the user name and password. The server also checks the host you connect from (user@host)."_qs;
    if (has(u"Unknown database"))
        return u"The server has no database \"%1\". Check the spelling (names are case-sensitive on Linux) "
               "or create it."_qs.arg(settings.database);
    if (has(u"Unknown server host") || has(u"Name or service not known"))
        return u"The host name \"%1\" cannot be resolved. Check its spelling or use an IP address."_qs.arg(
            settings.host);
    if (has(u"(110)") || has(u"timed out") || has(u"timeout"))
        return u"No answer from %1 within %2 s: a firewall may drop the packets, or the host is down."_qs.arg(
            where, QString::number(settings.connectTimeoutSeconds));
    if (has(u"(111)") || has(u"(115)") || has(u"Connection refused"))
        return u"Nothing listens on %1. Is the server running, on this port, and bound to an address you can "
               "reach (bind-address)?"_qs.arg(where);
    if (has(u"Can't connect"))
        return u"The server at %1 cannot be reached. Check host, port and the network in between."_qs.arg(where);
    if (has(u"is not allowed to connect"))
        return u"The server does not accept this user from your address. Create the user for your host "
               "(e.g. 'user'@'%') or connect from an allowed host."_qs;
    if (has(u"SSL") || has(u"TLS"))
        return u"The TLS handshake failed. Check the CA, certificate and key files and whether the server "
               "has TLS enabled."_qs;
    if (has(u"Too many connections"))
        return u"The server's max_connections is exhausted. Lower POOL_SIZE and MAX_OVERFLOW or raise the limit."_qs;
    if (has(u"Lost connection") || has(u"handshake"))
        return u"The server closed the connection during the handshake: a TLS requirement, a proxy, or a "
               "server that is not MySQL/MariaDB on that port."_qs;
    if (has(u"Driver not loaded"))
        return u"The Qt MySQL driver is missing: install libqt6sql6-mysql."_qs;
    return {};
}

ConnectionProbeResult run(const ConnectionSettings &settings)
{
    ConnectionProbeResult result;
    result.role = settings.role;
    result.server = settings.displayName();
    try {
        DbConnection connection(settings);
        QElapsedTimer timer;
        timer.start();
        connection.open();
        result.connectMs = timer.elapsed();
        result.serverVersion = connection.serverVersion();

        double best = std::numeric_limits<double>::max();
        for (int i = 0; i < kRoundTrips; ++i) {
            timer.start();
            connection.scalar(u"SELECT 1"_qs, {}, u"measuring the round trip"_qs);
            best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
        }
        result.roundTripMs = best;
        result.versionComment =
            connection.scalar(u"SELECT @@version_comment"_qs, {}, u"reading the server's description"_qs).toString();
        QSqlQuery cipher = connection.select(u"SHOW SESSION STATUS LIKE 'Ssl_cipher'"_qs, {}, u"reading TLS status"_qs);
        if (cipher.next())
            result.sslCipher = cipher.value(1).toString();
        if (!settings.database.isEmpty()) {
            result.tableCount = connection
                                    .scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                            "DATABASE() AND TABLE_TYPE = 'BASE TABLE'"_qs,
                                            {}, u"counting tables"_qs)
                                    .toInt();
        }
        if (!settings.database.isEmpty()) {
            try {
                result.privileges = PrivilegeCheck::run(connection, settings.role);
                result.privilegesKnown = true;
            } catch (const DbError &) {
                // The login works; a server that hides information_schema's privilege tables
                // only costs the check.
            }
        }
        result.ok = true;
    } catch (const DbError &e) {
        result.error = e.message();
        result.hint = hintFor(e.message(), settings);
    }
    return result;
}

} // namespace tablesync::ConnectionProbe
