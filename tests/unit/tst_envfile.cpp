#include "config/EnvFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tablesync;

class TestEnvFile : public QObject
{
    Q_OBJECT

private slots:
    void parsesValue_data();
    void parsesValue();
    void reportsError_data();
    void reportsError();
    void keepsGoingAfterAnError();
    void laterLineWins();
    void doesNotEchoALineWithoutEquals();
    void keysAreSortedAndFallbackUsed();
    void loadReportsMissingFile();
    void loadReportsDirectory();
    void loadReadsRealFile();
};

void TestEnvFile::parsesValue_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");

    QTest::newRow("plain") << QByteArray("KEY=value") << u"KEY"_qs << u"value"_qs;
    QTest::newRow("blanks around key and =") << QByteArray("  KEY \t=  value  ") << u"KEY"_qs << u"value"_qs;
    QTest::newRow("export prefix") << QByteArray("export KEY=value") << u"KEY"_qs << u"value"_qs;
    QTest::newRow("export prefix with tab") << QByteArray("  export\t KEY=value") << u"KEY"_qs << u"value"_qs;
    QTest::newRow("key named export") << QByteArray("export=1") << u"export"_qs << u"1"_qs;
    QTest::newRow("key with dot and underscore") << QByteArray("_a.b_2=x") << u"_a.b_2"_qs << u"x"_qs;
    QTest::newRow("= inside value") << QByteArray("URL=a=b=c") << u"URL"_qs << u"a=b=c"_qs;
    QTest::newRow("inner spaces kept, trailing trimmed") << QByteArray("KEY=a b  c   ") << u"KEY"_qs << u"a b  c"_qs;

    QTest::newRow("# without blank stays") << QByteArray("PASS=ab#cd") << u"PASS"_qs << u"ab#cd"_qs;
    QTest::newRow("blank # starts comment") << QByteArray("PASS=ab #c") << u"PASS"_qs << u"ab"_qs;
    QTest::newRow("tab # starts comment") << QByteArray("PASS=ab\t# c d") << u"PASS"_qs << u"ab"_qs;
    QTest::newRow("# first in value (dotenv)") << QByteArray("PASS=#x") << u"PASS"_qs << u"#x"_qs;
    QTest::newRow("# after = and blank (dotenv)") << QByteArray("PASS= #x") << u"PASS"_qs << u"#x"_qs;

    QTest::newRow("empty") << QByteArray("KEY=") << u"KEY"_qs << QString();
    QTest::newRow("empty with blanks") << QByteArray("KEY=   ") << u"KEY"_qs << QString();
    QTest::newRow("empty double quotes") << QByteArray("KEY=\"\"") << u"KEY"_qs << QString();
    QTest::newRow("empty single quotes") << QByteArray("KEY=''") << u"KEY"_qs << QString();

    QTest::newRow("single quotes are literal")
        << QByteArray(R"(KEY='a\nb "c" #d')") << u"KEY"_qs << uR"(a\nb "c" #d)"_qs;
    QTest::newRow("double-quote escapes") << QByteArray(R"(KEY="a\nb\tc\"d\\e")") << u"KEY"_qs << u"a\nb\tc\"d\\e"_qs;
    QTest::newRow("unknown escape kept") << QByteArray(R"(KEY="a\qb")") << u"KEY"_qs << uR"(a\qb)"_qs;
    QTest::newRow("quotes keep blanks") << QByteArray("KEY=\"  padded  \"") << u"KEY"_qs << u"  padded  "_qs;
    QTest::newRow("# inside double quotes") << QByteArray("KEY=\"a #b\"   # comment") << u"KEY"_qs << u"a #b"_qs;
    QTest::newRow("# inside single quotes") << QByteArray("KEY='a #b' #c") << u"KEY"_qs << u"a #b"_qs;
    QTest::newRow("comment right after quote") << QByteArray("KEY='x'#c") << u"KEY"_qs << u"x"_qs;
    QTest::newRow("other quote inside") << QByteArray(R"(KEY="it's")") << u"KEY"_qs << u"it's"_qs;
    QTest::newRow("blanks after closing quote") << QByteArray("KEY=\"v\"  \t") << u"KEY"_qs << u"v"_qs;

    QTest::newRow("comments and blank lines")
        << QByteArray("# comment\n\n   # indented comment\n\t\nKEY=v\n") << u"KEY"_qs << u"v"_qs;
    QTest::newRow("CRLF") << QByteArray("A=1\r\nKEY=v\r\nB=2\r\n") << u"KEY"_qs << u"v"_qs;
    QTest::newRow("CRLF quoted") << QByteArray("KEY=\"v\"\r\n") << u"KEY"_qs << u"v"_qs;
    QTest::newRow("lone CR") << QByteArray("A=1\rKEY=v\r") << u"KEY"_qs << u"v"_qs;
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFKEY=v\n") << u"KEY"_qs << u"v"_qs;
    QTest::newRow("UTF-8 value") << QByteArray("KEY=p\xC3\xA4ss\xE2\x82\xAC") << u"KEY"_qs << u"päss€"_qs;
    QTest::newRow("no final newline") << QByteArray("A=1\nKEY=last") << u"KEY"_qs << u"last"_qs;
}

void TestEnvFile::parsesValue()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, key);
    QFETCH(QString, value);

    ConfigErrors errors;
    const EnvFile env = EnvFile::parse(text, u"test.env"_qs, errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).toString()));
    QVERIFY(env.contains(key));
    QCOMPARE(env.value(key), value);
    QCOMPARE(env.fileName(), u"test.env"_qs);
}

void TestEnvFile::reportsError_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    QTest::newRow("no =") << QByteArray("A=1\nJUSTAKEY\n") << 2 << u"no \"=\""_qs;
    QTest::newRow("export without =") << QByteArray("export KEY") << 1 << u"no \"=\""_qs;
    QTest::newRow("key starts with digit") << QByteArray("1KEY=x") << 1 << u"invalid key \"1KEY\""_qs;
    QTest::newRow("key with blank") << QByteArray("\nMY KEY=x") << 2 << u"invalid key \"MY KEY\""_qs;
    QTest::newRow("key with dash") << QByteArray("KEY-X=1") << 1 << u"invalid key \"KEY-X\""_qs;
    QTest::newRow("empty key") << QByteArray("=value") << 1 << u"invalid key \"\""_qs;
    QTest::newRow("non-ASCII key") << QByteArray("K\xC3\xA4Y=1") << 1 << u"invalid key \"KäY\""_qs;
    QTest::newRow("unterminated double") << QByteArray("A=1\n\nKEY=\"abc\nB=2\n") << 3
                                         << u"unterminated double quote"_qs;
    QTest::newRow("unterminated single") << QByteArray("KEY='abc") << 1 << u"unterminated single quote"_qs;
    QTest::newRow("escaped quote does not close")
        << QByteArray(R"(KEY="abc\")") << 1 << u"unterminated double quote"_qs;
    QTest::newRow("text after closing quote")
        << QByteArray("A=1\nKEY=\"abc\" x\n") << 2 << u"after the closing quote"_qs;
    QTest::newRow("text after single quote") << QByteArray("KEY='a'b") << 1 << u"after the closing quote"_qs;
    QTest::newRow("invalid UTF-8") << QByteArray("A=1\r\nB=2\r\nKEY=\xFF\xFE\r\n") << 3 << u"UTF-8"_qs;
    QTest::newRow("truncated UTF-8 sequence") << QByteArray("KEY=ab\xC3") << 1 << u"UTF-8"_qs;
    QTest::newRow("BOM does not shift lines") << QByteArray("\xEF\xBB\xBF# c\nA=1\nbad line") << 3 << u"no \"=\""_qs;
    QTest::newRow("CRLF does not double lines") << QByteArray("A=1\r\n\r\nB=2\r\nbad\r\n") << 4 << u"no \"=\""_qs;
}

void TestEnvFile::reportsError()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);

    ConfigErrors errors;
    EnvFile::parse(text, u"my.env"_qs, errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, u"my.env"_qs);
    QCOMPARE(errors[0].location, u"line "_qs + QString::number(line));
    QVERIFY2(errors[0].message.contains(message), qPrintable(errors[0].message));
}

void TestEnvFile::keepsGoingAfterAnError()
{
    ConfigErrors errors;
    const EnvFile env = EnvFile::parse("bad\nKEY=v\nalso bad\n", u"x.env"_qs, errors);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].location, u"line 1"_qs);
    QCOMPARE(errors[1].location, u"line 3"_qs);
    QCOMPARE(env.value(u"KEY"_qs), u"v"_qs);
}

void TestEnvFile::laterLineWins()
{
    ConfigErrors errors;
    const EnvFile env = EnvFile::parse("KEY=1\n# c\nKEY=2\n", u"x.env"_qs, errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(env.value(u"KEY"_qs), u"2"_qs);
    QCOMPARE(env.line(u"KEY"_qs), 3);
}

void TestEnvFile::doesNotEchoALineWithoutEquals()
{
    ConfigErrors errors;
    EnvFile::parse("PASS=x\nhunter2secret\n", u"x.env"_qs, errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY(!errors[0].toString().contains(u"hunter2secret"_qs));
}

void TestEnvFile::keysAreSortedAndFallbackUsed()
{
    ConfigErrors errors;
    EnvFile env = EnvFile::parse("B=2\nC=\nA=1\n", u"x.env"_qs, errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(env.keys(), (QStringList{u"A"_qs, u"B"_qs, u"C"_qs}));
    QCOMPARE(env.value(u"MISSING"_qs, u"fallback"_qs), u"fallback"_qs);
    QVERIFY(!env.contains(u"MISSING"_qs));
    // An empty value is present and wins over the fallback.
    QVERIFY(env.contains(u"C"_qs));
    QCOMPARE(env.value(u"C"_qs, u"fallback"_qs), QString());
    QCOMPARE(env.line(u"A"_qs), 3);

    env.set(u"D"_qs, u"4"_qs);
    QCOMPARE(env.value(u"D"_qs), u"4"_qs);
    QCOMPARE(env.line(u"D"_qs), 0);
}

void TestEnvFile::loadReportsMissingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"absent.env"_qs);
    ConfigErrors errors;
    const EnvFile env = EnvFile::load(path, errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, path);
    QVERIFY(errors[0].location.isEmpty());
    QVERIFY2(errors[0].message.contains(u"not found"_qs), qPrintable(errors[0].message));
    QVERIFY2(errors[0].message.contains(path), qPrintable(errors[0].message));
    QVERIFY(env.keys().isEmpty());
}

void TestEnvFile::loadReportsDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ConfigErrors errors;
    EnvFile::load(dir.path(), errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, dir.path());
    QVERIFY2(errors[0].message.contains(u"directory"_qs), qPrintable(errors[0].message));
}

void TestEnvFile::loadReadsRealFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"settings.env"_qs);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\xEF\xBB\xBF# written on Windows\r\nexport SOURCE_DB_HOST=db.example\r\nSOURCE_DB_PASS='s3#cret'\r\n"
               "broken\r\n");
    file.close();

    ConfigErrors errors;
    const EnvFile env = EnvFile::load(path, errors);
    QCOMPARE(env.fileName(), path);
    QCOMPARE(env.value(u"SOURCE_DB_HOST"_qs), u"db.example"_qs);
    QCOMPARE(env.value(u"SOURCE_DB_PASS"_qs), u"s3#cret"_qs);
    QCOMPARE(env.line(u"SOURCE_DB_PASS"_qs), 3);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].file, path);
    QCOMPARE(errors[0].location, u"line 4"_qs);
}

QTEST_GUILESS_MAIN(TestEnvFile)
#include "tst_envfile.moc"
