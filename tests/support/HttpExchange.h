#pragma once

// Raw HTTP/1.1 over a QTcpSocket, for tests of the health server: what goes over the wire is
// exactly what the test wrote, malformed requests included.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QTcpSocket>
#include <QTest>

#include <chrono>

namespace tablesync::test {

struct HttpResult
{
    int status = 0;                       // 0: no answer
    QMap<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    bool closed = false; // the server closed the connection
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

inline HttpResult parseResponse(const QByteArray &raw, bool closed)
{
    HttpResult r;
    r.closed = closed;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return r;
    const QList<QByteArray> lines = raw.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
        return r;
    r.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    r.body = raw.mid(end + 4);
    return r;
}

// Sends `request` and reads until the server closes (it closes after every answer). Waits with
// the event loop running: the server lives in this thread.
inline HttpResult exchange(quint16 port, const QByteArray &request,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, int(timeout.count())))
        return {};
    socket.write(request);
    QByteArray raw;
    const bool closed = QTest::qWaitFor(
        [&] {
            raw += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        int(timeout.count()));
    raw += socket.readAll();
    return parseResponse(raw, closed);
}

// A well-formed request for `path`; `extraHeaders` are whole lines, each ending in "\r\n".
inline QByteArray get(const QByteArray &path, const QByteArray &method = "GET", const QByteArray &extraHeaders = {})
{
    return method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: tablesync-test\r\n" + extraHeaders +
           "\r\n";
}

} // namespace tablesync::test
