// SafeCursor's decisions: where the next incremental pass may start (SafeCursor.h).
#include "sync/SafeCursor.h"

#include <QTest>

using namespace tablesync;

class TestSafeCursor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timeValuesMoveBackAndFloorToTheColumnsPrecision();
    void countersMoveBackExactly();
    void aMarkOlderThanTheHorizonIsPromoted();
    void aMarkAfterAnOpenTransactionStartedIsNot();
    void timeMarksWaitForLagAndOneSecond();
    void theStartNeverMovesBack();
    void progressNeverPassesTheSafeStart();
};

void TestSafeCursor::timeValuesMoveBackAndFloorToTheColumnsPrecision()
{
    const SafeCursor time(SafeCursor::Clock::Time, 5);
    QCOMPARE(time.timeMinus(u"2024-01-01 00:00:03.500000"_qs, 5), u"2023-12-31 23:59:58.500000"_qs);
    QCOMPARE(time.timeMinus(u"2024-01-01 00:00:03"_qs, 0.25), u"2024-01-01 00:00:02"_qs); // DATETIME(0) floors
    QCOMPARE(time.timeMinus(u"2024-01-01 00:00:03.12"_qs, 0.001), u"2024-01-01 00:00:03.11"_qs);
    QCOMPARE(time.timeMinus(u"0000-00-00 00:00:00"_qs, 1), QString()); // a zero date: no bound
    const SafeCursor date(SafeCursor::Clock::Date, 5);
    QCOMPARE(date.timeMinus(u"2024-03-01"_qs, 5), u"2024-02-29"_qs);
}

void TestSafeCursor::countersMoveBackExactly()
{
    QCOMPARE(SafeCursor::counterMinus(u"9007199254740993"_qs, 1), u"9007199254740992"_qs);
    QCOMPARE(SafeCursor::counterMinus(u"12.50"_qs, 3), u"9.50"_qs);
    QCOMPARE(SafeCursor::counterMinus(u"0.5"_qs, 1), u"-0.5"_qs);
    const SafeCursor counter(SafeCursor::Clock::Counter, 0);
    QCOMPARE(counter.compareValues(u"9007199254740993"_qs, u"9007199254740992"_qs), 1); // beyond a double
    QCOMPARE(counter.compareValues(u"-2"_qs, u"10"_qs), -1);
}

void TestSafeCursor::aMarkOlderThanTheHorizonIsPromoted()
{
    const SafeCursor counter(SafeCursor::Clock::Counter, 0);
    SourceHorizon horizon;
    horizon.serverTime = 1000;
    const QList<CursorMark> history{{900, {u"10"_qs, u"i:10"_qs}}, {990, {u"20"_qs, u"i:20"_qs}}};
    const auto decision =
        counter.decide(CursorPosition{u"5"_qs, {}}, history, horizon, CursorMark{1000.5, {u"30"_qs, u"i:30"_qs}});
    QCOMPARE(decision.start, (CursorPosition{u"20"_qs, u"i:20"_qs}));
    QCOMPARE(decision.history.size(), 2); // the mark at 900 can never be chosen again
    QCOMPARE(decision.history.last().reached.modifier, u"30"_qs);
}

void TestSafeCursor::aMarkAfterAnOpenTransactionStartedIsNot()
{
    const SafeCursor counter(SafeCursor::Clock::Counter, 0);
    SourceHorizon horizon;
    horizon.serverTime = 1000;
    horizon.oldestWriterStart = 950; // open since before the mark at 990
    const QList<CursorMark> history{{900, {u"10"_qs, u"i:10"_qs}}, {990, {u"20"_qs, u"i:20"_qs}}};
    const auto decision = counter.decide(CursorPosition{u"5"_qs, {}}, history, horizon, std::nullopt);
    QCOMPARE(decision.start, (CursorPosition{u"10"_qs, u"i:10"_qs}));
    const SafeCursor withLag(SafeCursor::Clock::Counter, 3);
    QCOMPARE(withLag.decide(std::nullopt, history, horizon, std::nullopt).start, (CursorPosition{u"7"_qs, {}}));
}

void TestSafeCursor::timeMarksWaitForLagAndOneSecond()
{
    const SafeCursor time(SafeCursor::Clock::Time, 5);
    SourceHorizon horizon;
    horizon.serverTime = 1000;
    const QList<CursorMark> history{{994.5, {u"2024-01-01 00:00:01.000000"_qs, u"i:1"_qs}},
                                    {995, {u"2024-01-01 00:00:02.000000"_qs, u"i:2"_qs}}};
    // 995 is not 6 s before 1000 (lag 5 + one second of precision); 994.5 is... not either.
    auto decision = time.decide(std::nullopt, history, horizon, std::nullopt);
    QVERIFY(!decision.start);
    horizon.serverTime = 1001;
    decision = time.decide(std::nullopt, history, horizon, std::nullopt);
    QCOMPARE(decision.start, (CursorPosition{u"2024-01-01 00:00:02.000000"_qs, u"i:2"_qs}));
    // By value: the newest stamp less lag and the whole seconds since the horizon.
    decision =
        time.decide(std::nullopt, {}, horizon, CursorMark{1001.2, {u"2024-01-01 00:00:10.000000"_qs, u"i:9"_qs}});
    QCOMPARE(decision.start, (CursorPosition{u"2024-01-01 00:00:04.000000"_qs, {}}));
}

void TestSafeCursor::theStartNeverMovesBack()
{
    const SafeCursor counter(SafeCursor::Clock::Counter, 0);
    SourceHorizon horizon;
    horizon.serverTime = 1000;
    const QList<CursorMark> history{{900, {u"10"_qs, u"i:10"_qs}}};
    const auto decision = counter.decide(CursorPosition{u"50"_qs, {}}, history, horizon, std::nullopt);
    QCOMPARE(decision.start, (CursorPosition{u"50"_qs, {}}));
}

void TestSafeCursor::progressNeverPassesTheSafeStart()
{
    const SafeCursor counter(SafeCursor::Clock::Counter, 0);
    const CursorPosition safe{u"20"_qs, u"i:20"_qs};
    QCOMPARE(counter.progressStart(CursorPosition{u"15"_qs, u"i:15"_qs}, safe), (CursorPosition{u"15"_qs, u"i:15"_qs}));
    QCOMPARE(counter.progressStart(CursorPosition{u"25"_qs, u"i:25"_qs}, safe), safe);
    QCOMPARE(counter.progressStart(CursorPosition{u"20"_qs, u"i:21"_qs}, safe), (CursorPosition{u"20"_qs, {}}));
}

QTEST_GUILESS_MAIN(TestSafeCursor)
#include "tst_safecursor.moc"
