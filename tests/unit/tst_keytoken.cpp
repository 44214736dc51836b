// Keys kept as text in the target's bookkeeping (where a stopped first load resumes) come back
// exactly: same values, same types, whatever bytes they hold.
#include "sync/KeyToken.h"

#include <QTest>

using namespace tablesync;

class TestKeyToken : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrips_data();
    void roundTrips();
    void smallIntegersGiveTheTokenOfTheirValue();
    void rejectsTextItDidNotMake_data();
    void rejectsTextItDidNotMake();
};

void TestKeyToken::roundTrips_data()
{
    QTest::addColumn<QVariantList>("key");
    QTest::newRow("bigint") << QVariantList{QVariant(qint64(-9223372036854775807LL - 1))};
    QTest::newRow("unsigned max") << QVariantList{QVariant(quint64(18446744073709551615ULL))};
    QTest::newRow("double") << QVariantList{QVariant(0.1 + 0.2)};
    QTest::newRow("bytes with separators") << QVariantList{QVariant(QByteArray("a,b:c\0\xff", 7))};
    QTest::newRow("empty text") << QVariantList{QVariant(QString())};
    QTest::newRow("composite") << QVariantList{QVariant(qint64(7)), QVariant(u"2024-01-01 00:00:00.5"_qs),
                                               QVariant(QByteArray("ü😀"))};
}

void TestKeyToken::roundTrips()
{
    QFETCH(QVariantList, key);
    const QString token = KeyToken::encode(key);
    const std::optional<QVariantList> back = KeyToken::decode(token);
    QVERIFY2(back.has_value(), qPrintable(token));
    QCOMPARE(back->size(), key.size());
    for (int i = 0; i < key.size(); ++i) {
        // Integers come back as 64-bit values; everything else as the same type.
        QCOMPARE(back->at(i).toString(), key.at(i).toString());
        QCOMPARE(back->at(i).toByteArray(), key.at(i).toByteArray());
        const bool integral = key.at(i).typeId() == QMetaType::LongLong || key.at(i).typeId() == QMetaType::ULongLong;
        if (!integral)
            QCOMPARE(back->at(i).typeId(), key.at(i).typeId());
    }
    QVERIFY(!token.contains(u'\n'));
}

// A TINYINT or SMALLINT key read by a prepared statement (char, short) and by a text-protocol
// one (int) is the same key: one token, which decodes to an integer a statement can compare.
void TestKeyToken::smallIntegersGiveTheTokenOfTheirValue()
{
    QCOMPARE(KeyToken::encode({QVariant::fromValue(char(5))}), KeyToken::encode({QVariant(5)}));
    QCOMPARE(KeyToken::encode({QVariant::fromValue(short(-300))}), KeyToken::encode({QVariant(-300)}));
    QCOMPARE(KeyToken::encode({QVariant::fromValue(ushort(65535))}), KeyToken::encode({QVariant(65535u)}));
    const std::optional<QVariantList> back = KeyToken::decode(KeyToken::encode({QVariant::fromValue(char(5))}));
    QVERIFY(back);
    QCOMPARE(back->at(0).toLongLong(), 5);
}

void TestKeyToken::rejectsTextItDidNotMake_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("empty") << QString();
    QTest::newRow("no tag") << u"42"_qs;
    QTest::newRow("unknown tag") << u"x:42"_qs;
    QTest::newRow("not a number") << u"i:4x2"_qs;
    QTest::newRow("odd hex") << u"b:abc"_qs;
    QTest::newRow("not hex") << u"s:zz"_qs;
    QTest::newRow("empty part") << u"i:1,"_qs;
}

void TestKeyToken::rejectsTextItDidNotMake()
{
    QFETCH(QString, token);
    QVERIFY(!KeyToken::decode(token).has_value());
}

QTEST_GUILESS_MAIN(TestKeyToken)
#include "tst_keytoken.moc"
