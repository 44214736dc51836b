#pragma once

#include <QSqlError>
#include <QString>

#include <stdexcept>

namespace tablesync {

// A database call that failed, with the server's message and native error number.
// Thrown inside a table job and caught at its edge (TableJob::run); it never crosses a thread.
class DbError : public std::runtime_error
{
public:
    // Not a server error number: the pool had no connection within POOL_TIMEOUT.
    static constexpr int kPoolTimeout = -2;

    // `serverText`: the server's own words, when `message` wraps them in what tablesync was doing.
    explicit DbError(const QString &message, int nativeCode = 0, const QString &serverText = {})
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_serverText(serverText.isEmpty() ? message : serverText)
        , m_nativeCode(nativeCode)
    {}

    // `what` says what tablesync was doing ("reading orders"), `error` is what the server said.
    static DbError from(const QString &what, const QSqlError &error)
    {
        const int code = error.nativeErrorCode().toInt();
        QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
        if (!error.driverText().isEmpty() && error.databaseText().isEmpty())
            text = error.driverText();
        if (code != 0)
            text = QStringLiteral("%1 (MySQL error %2)").arg(text).arg(code);
        return DbError(what + QStringLiteral(": ") + text, code);
    }

    QString message() const { return m_message; }
    QString serverText() const { return m_serverText; }
    int nativeCode() const { return m_nativeCode; }

    // The server refused the login itself: a wrong password, an unknown user or database, a host
    // the account may not connect from, a locked or expired account. Every further attempt fails
    // the same way and counts against the account (lockout, max_connect_errors, intrusion
    // detection), so nobody should try again before the configuration changes.
    static bool isRefusedLogin(int code)
    {
        switch (code) {
        case 1044: // access denied to the database
        case 1045: // access denied (wrong user or password)
        case 1049: // unknown database
        case 1129: // host blocked after too many connection errors
        case 1130: // host not allowed to connect
        case 1251: // the client does not support the account's authentication
        case 1698: // access denied (unix_socket or similar authentication)
        case 1862: // password expired
        case 2059: // authentication plugin cannot be loaded
        case 3118: // account locked (MySQL)
        case 4151: // account locked (MariaDB)
            return true;
        default:
            return false;
        }
    }
    // Logged in, but the account lacks a privilege a statement needs.
    static bool isMissingPrivilege(int code)
    {
        return code == 1142 /* command denied on a table */ || code == 1143 /* on a column */
               || code == 1227 /* needs a global privilege */ || code == 1370 /* on a routine */;
    }
    // A problem of configuration or grants, not of the moment: retrying changes nothing.
    static bool isAccessProblem(int code) { return isRefusedLogin(code) || isMissingPrivilege(code); }

private:
    QString m_message;
    QString m_serverText;
    int m_nativeCode = 0;
};

} // namespace tablesync
