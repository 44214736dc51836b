// Which errors are worth another attempt, and how long to wait before it.
#include "db/DbError.h"
#include "sync/RetryPolicy.h"

#include <QTest>

using namespace tablesync;

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifiesErrors_data();
    void classifiesErrors();
    void backoffGrowsWithJitterAndACap();
};

void TestRetryPolicy::classifiesErrors_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("transient");
    QTest::newRow("gone away") << 2006 << u"MySQL server has gone away"_qs << true;
    QTest::newRow("lost connection") << 2013 << QString() << true;
    QTest::newRow("deadlock") << 1213 << QString() << true;
    QTest::newRow("lock wait timeout") << 1205 << QString() << true;
    QTest::newRow("refused") << 2003 << QString() << true;
    QTest::newRow("killed") << 1927 << QString() << true;
    QTest::newRow("no number, known words") << 0 << u"Lost connection to server during query"_qs << true;
    QTest::newRow("syntax") << 1064 << u"You have an error in your SQL syntax"_qs << false;
    QTest::newRow("missing table") << 1146 << QString() << false;
    QTest::newRow("unknown column") << 1054 << QString() << false;
    QTest::newRow("access denied") << 1045 << u"Access denied for user"_qs << false;
    QTest::newRow("pool timeout") << DbError::kPoolTimeout << u"connection timed out"_qs << false;
}

void TestRetryPolicy::classifiesErrors()
{
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(bool, transient);
    QCOMPARE(RetryPolicy::isTransient(code, message), transient);
}

void TestRetryPolicy::backoffGrowsWithJitterAndACap()
{
    for (int i = 0; i < 50; ++i) {
        const qint64 first = RetryPolicy::backoff(1).count();
        QVERIFY(first >= 750 && first <= 1250);
        const qint64 third = RetryPolicy::backoff(3).count();
        QVERIFY(third >= 3000 && third <= 5000);
        const qint64 late = RetryPolicy::backoff(40).count();
        QVERIFY(late >= 22500 && late <= 37500);
    }
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
