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

    explicit DbError(const QString &message, int nativeCode = 0)
        : std::runtime_error(message.toStdString())
        , m_message(message)
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
    int nativeCode() const { return m_nativeCode; }

private:
    QString m_message;
    int m_nativeCode = 0;
};

} // namespace tablesync
