#include "db/DbConnection.h"

#include "db/DbError.h"
#include "db/NativeHandle.h"

#include <QAtomicInteger>
#include <QMutex>
#include <QSqlError>
#include <QThread>

#include <mysql.h>

#include <cmath>

namespace tablesync {

namespace {
// Qt 6.4 can hang at shutdown when connections are opened in parallel (QTBUG-112961):
// adding and opening connections is serialised.
QMutex &openMutex()
{
    static QMutex mutex;
    return mutex;
}

QString uniqueConnectionName(const QString &role)
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("tablesync-%1-%2").arg(role).arg(counter.fetchAndAddRelaxed(1) + 1);
}
} // namespace

DbConnection::DbConnection(ConnectionSettings settings)
    : m_settings(std::move(settings))
    , m_connectionName(uniqueConnectionName(m_settings.role))
{}

DbConnection::~DbConnection()
{
    close();
}

QSqlDatabase DbConnection::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool DbConnection::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && database().isOpen();
}

namespace {
// libmariadb ends a failed connect with the socket's errno in brackets: "(115)" when a
// non-blocking connect did not complete (refused, or nothing answering), "(111)" refused, "(110)"
// timed out, "(113)" no route. A DBA should not have to look those up.
QString connectErrorInWords(const QString &error, const ConnectionSettings &settings)
{
    static const std::pair<const char16_t *, const char16_t *> kErrnos[] = {
        {u"(111)", u"connection refused"},
        {u"(115)", u"the connection was not accepted"},
        {u"(110)", u"no answer in time"},
        {u"(113)", u"no route to the host"},
    };
    for (const auto &[code, words] : kErrnos) {
        if (error.endsWith(QStringView(code))) {
            return QStringLiteral("%1, %2: nothing accepts connections on %3:%4 (a server not running, another "
                                  "port, or a firewall)")
                .arg(error, QStringView(words).toString(), settings.host)
                .arg(settings.port);
        }
    }
    return error;
}
} // namespace

void DbConnection::open()
{
    close();
    QString error;
    int errorCode = 0;
    {
        QMutexLocker lock(&openMutex());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QMYSQL"), m_connectionName);
        db.setHostName(m_settings.host);
        db.setPort(m_settings.port);
        db.setUserName(m_settings.user);
        db.setPassword(m_settings.password);
        db.setDatabaseName(m_settings.database);
        QStringList options{
            QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1").arg(m_settings.connectTimeoutSeconds),
            QStringLiteral("MYSQL_OPT_READ_TIMEOUT=%1").arg(m_settings.readTimeoutSeconds),
            QStringLiteral("MYSQL_OPT_WRITE_TIMEOUT=%1").arg(m_settings.writeTimeoutSeconds),
        };
        if (!m_settings.sslCa.isEmpty())
            options << u"SSL_CA="_qs + m_settings.sslCa;
        if (!m_settings.sslCert.isEmpty())
            options << u"SSL_CERT="_qs + m_settings.sslCert;
        if (!m_settings.sslKey.isEmpty())
            options << u"SSL_KEY="_qs + m_settings.sslKey;
        db.setConnectOptions(options.join(u';'));
        if (!db.open()) {
            error = db.lastError().databaseText().isEmpty() ? db.lastError().text() : db.lastError().databaseText();
            errorCode = db.lastError().nativeErrorCode().toInt();
        }
    }
    if (!error.isEmpty()) {
        close();
        error = connectErrorInWords(error, m_settings);
        throw DbError(QStringLiteral("cannot connect to the %1 server %2: %3")
                          .arg(m_settings.role, m_settings.displayName(), error),
                      errorCode, error);
    }
    checkEncryption();
    applySessionSettings();
}

// libmariadb 3.3 (Debian 12) uses TLS when a TLS file is given and the server offers it, and
// checks the server's certificate chain against SSL_CA when that is set; but a server that
// offers no TLS gets a plain-text session without a word. Only the session itself can tell.
void DbConnection::checkEncryption()
{
    // Without a TLS file QMYSQL asks for no TLS: spare every new connection the round trip.
    if (m_settings.sslCa.isEmpty() && m_settings.sslCert.isEmpty() && m_settings.sslKey.isEmpty() &&
        !m_settings.sslRequired)
        return;
    QSqlQuery status = newQuery();
    if (!status.exec(u"SHOW SESSION STATUS LIKE 'Ssl_cipher'"_qs))
        throw DbError::from(u"reading the TLS status of the "_qs + m_settings.role, status.lastError());
    m_sslCipher = status.next() ? status.value(1).toString() : QString();
    if (!m_sslCipher.isEmpty() || !m_settings.sslRequired)
        return;
    close();
    // The login has happened by now (as a challenge-response, not the password itself); nothing
    // else is sent on this session.
    throw DbError(QStringLiteral("refusing the %1 server %2: the connection is not encrypted, but %3_DB_SSL_REQUIRE "
                                 "is true (the server offers no TLS: give it ssl-cert and ssl-key in its "
                                 "configuration, or check that this is the server you meant)")
                      .arg(m_settings.role, m_settings.displayName(), m_settings.role.toUpper()));
}

void DbConnection::applySessionSettings()
{
    restoreSessionSettings();
    const QVariant version = scalar(u"SELECT VERSION()"_qs, {}, u"reading the server version"_qs);
    m_serverVersion = version.toString();
    const QVariant packet = scalar(u"SELECT @@max_allowed_packet"_qs, {}, u"reading max_allowed_packet"_qs);
    m_maxAllowedPacket = packet.toLongLong();
}

void DbConnection::restoreSessionSettings()
{
    // One statement, one round trip: character set, time zone and modes together.
    // STRICT: a value the target cannot hold is an error, never a silent truncation.
    // No NO_ZERO_DATE/NO_ZERO_IN_DATE: zero dates the source holds are copied as they are.
    // NO_AUTO_VALUE_ON_ZERO: an AUTO_INCREMENT key of 0 stays 0.
    // On the target, foreign keys are not checked: each table is made equal to its source table,
    // and the source's own foreign keys make the whole consistent once every table has synced
    // (docs/how-sync-works.md: "Foreign keys on the target"). Checked, a child's rows could not
    // arrive before their parents', nor a parent's deletes before its children's.
    const bool target = m_settings.role == u"target";
    exec(u"SET NAMES utf8mb4, time_zone = '+00:00', "
         "SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'"_qs +
             // A schema change waits at most a minute for a metadata lock (a long report on the
             // target), then fails as a transient error and is retried, instead of the default year.
             (target ? u", foreign_key_checks = 0, lock_wait_timeout = 60"_qs : QString()),
         u"setting the session's character set, time zone and sql_mode"_qs);
}

void DbConnection::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    QMutexLocker lock(&openMutex());
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlQuery DbConnection::newQuery() const
{
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.setNumericalPrecisionPolicy(QSql::HighPrecision);
    return query;
}

void DbConnection::exec(const QString &sql, const QString &what)
{
    execCounting(sql, what);
}

void DbConnection::execSchemaChange(const QString &sql, const QString &what)
{
    static QMutex oneAtATime;
    QMutexLocker lock(&oneAtATime);
    execCounting(sql, what);
}

qint64 DbConnection::execCounting(const QString &sql, const QString &what)
{
    QSqlQuery query = newQuery();
    if (!query.exec(sql))
        throw DbError::from(what, query.lastError());
    return query.numRowsAffected();
}

QSqlQuery DbConnection::select(const QString &sql, const QVariantList &values, const QString &what)
{
    // One round trip: the values written into the text as literals. A prepared statement costs
    // three (prepare, reset, execute), which across a network is most of a quiet run's time.
    // Statements run many times with new values (pages, batches) prepare their own QSqlQuery.
    const QString text = values.isEmpty() ? sql : withLiterals(sql, values);
    QSqlQuery query = newQuery();
    if (!query.exec(text))
        throw DbError::from(what, query.lastError());
    return query;
}

QString DbConnection::withLiterals(const QString &sql, const QVariantList &values)
{
    QString text;
    text.reserve(sql.size() + 24 * values.size());
    qsizetype next = 0;
    QChar quote; // inside a '...', "..." or `...`: a ? there is text, not a placeholder
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql.at(i);
        if (!quote.isNull()) {
            text += c;
            if (c == u'\\' && quote != u'`' && i + 1 < sql.size())
                text += sql.at(++i);
            else if (c == quote)
                quote = QChar(); // a doubled quote closes and opens again: the same text
            continue;
        }
        if (c == u'\'' || c == u'"' || c == u'`') {
            quote = c;
            text += c;
        } else if (c == u'?') {
            if (next == values.size())
                throw DbError(u"a statement has more placeholders than values: "_qs + sql);
            text += literal(values.at(next++));
        } else {
            text += c;
        }
    }
    if (next != values.size())
        throw DbError(u"a statement has fewer placeholders than values: "_qs + sql);
    return text;
}

QString DbConnection::literal(const QVariant &value)
{
    if (value.isNull())
        return u"NULL"_qs;
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? u"1"_qs : u"0"_qs;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return value.toString();
    case QMetaType::Char: // TINYINT as QtSql types it
    case QMetaType::SChar:
        return QString::number(value.toInt());
    case QMetaType::UChar:
        return QString::number(value.toUInt());
    case QMetaType::Double:
    case QMetaType::Float: {
        const double number = value.toDouble();
        if (!std::isfinite(number))
            throw DbError(u"cannot write a value that is not a finite number into a statement"_qs);
        return QString::number(number, 'g', 17); // 17 digits: the same double back
    }
    case QMetaType::QByteArray: // bytes as bytes: a hex literal is a binary string
        return u"X'"_qs + QString::fromLatin1(value.toByteArray().toHex()) + u'\'';
    case QMetaType::QString:
        return quotedText(value.toString());
    case QMetaType::QDate:
        return quotedText(value.toDate().toString(Qt::ISODate));
    case QMetaType::QDateTime:
        return quotedText(value.toDateTime().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_qs));
    default:
        throw DbError(QStringLiteral("cannot write a value of type %1 into a statement")
                          .arg(QLatin1StringView(value.typeName())));
    }
}

QString DbConnection::quotedText(const QString &text)
{
    // UTF-8 (the session's character set, utf8mb4) escaped by the client library, which follows
    // the session's sql_mode (NO_BACKSLASH_ESCAPES changes what needs escaping).
    const QByteArray bytes = text.toUtf8();
    st_mysql *handle = nativeHandle(*this);
    if (!handle)
        throw DbError(u"the "_qs + m_settings.role + u" connection is closed"_qs);
    QByteArray escaped(bytes.size() * 2 + 1, Qt::Uninitialized);
    const unsigned long length = mysql_real_escape_string(handle, escaped.data(), bytes.constData(), bytes.size());
    escaped.truncate(qsizetype(length));
    return u'\'' + QString::fromUtf8(escaped) + u'\'';
}

QVariant DbConnection::scalar(const QString &sql, const QVariantList &values, const QString &what)
{
    QSqlQuery query = select(sql, values, what);
    return query.next() ? query.value(0) : QVariant();
}

void DbConnection::beginTransaction()
{
    if (!database().transaction())
        throw DbError::from(u"starting a transaction on the "_qs + m_settings.role, database().lastError());
}

void DbConnection::commit()
{
    if (!database().commit())
        throw DbError::from(u"committing on the "_qs + m_settings.role, database().lastError());
}

void DbConnection::rollback()
{
    if (isOpen())
        database().rollback();
}

} // namespace tablesync
