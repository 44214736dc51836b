// SHOW GRANTS lines as MariaDB prints them are read into what they grant, on what, to whom:
// what Test connection needs to count privileges that come through roles.
#include "db/GrantStatement.h"

#include <QTest>

using namespace tablesync;

class TestGrantStatement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsDatabaseGrantsToRoles();
    void readsGlobalAndTableGrantsToAccounts();
    void columnGrantsAreSeparate();
    void wildcardsInDatabaseNames();
    void otherLinesAreNotPrivilegeGrants();
};

void TestGrantStatement::readsDatabaseGrantsToRoles()
{
    const auto grant = GrantStatement::parse(u"GRANT INSERT, UPDATE ON `shop`.* TO `sync_writer`"_qs);
    QVERIFY(grant);
    QCOMPARE(grant->privileges, (QStringList{u"INSERT"_qs, u"UPDATE"_qs}));
    QCOMPARE(grant->scope, GrantStatement::Scope::Database);
    QCOMPARE(grant->databasePattern, u"shop"_qs);
    QCOMPARE(grant->granteeUser, u"sync_writer"_qs);
    QVERIFY(grant->granteeIsRole());
    QVERIFY(grant->coversDatabase(u"shop"_qs));
    QVERIFY(!grant->coversDatabase(u"shop2"_qs));
}

void TestGrantStatement::readsGlobalAndTableGrantsToAccounts()
{
    const auto global = GrantStatement::parse(
        u"GRANT ALL PRIVILEGES ON *.* TO `ops@corp`@`10.0.%` IDENTIFIED BY PASSWORD '*ABC' WITH GRANT OPTION"_qs);
    QVERIFY(global);
    QCOMPARE(global->privileges, QStringList{u"ALL PRIVILEGES"_qs});
    QCOMPARE(global->scope, GrantStatement::Scope::Global);
    QCOMPARE(global->granteeUser, u"ops@corp"_qs);
    QCOMPARE(global->granteeHost, u"10.0.%"_qs);
    QVERIFY(!global->granteeIsRole());
    QVERIFY(global->coversDatabase(u"anything"_qs));

    const auto table = GrantStatement::parse(u"GRANT SELECT ON `my``db`.`order lines` TO 'r'@'%'"_qs);
    QVERIFY(table);
    QCOMPARE(table->scope, GrantStatement::Scope::Table);
    QCOMPARE(table->databasePattern, u"my`db"_qs);
    QCOMPARE(table->table, u"order lines"_qs);
    QVERIFY(table->coversDatabase(u"my`db"_qs));
    QCOMPARE(table->granteeHost, u"%"_qs);
}

void TestGrantStatement::columnGrantsAreSeparate()
{
    const auto grant =
        GrantStatement::parse(u"GRANT SELECT (`id`, `name`), INSERT (`name`), DELETE ON `shop`.`t` TO `r`"_qs);
    QVERIFY(grant);
    QCOMPARE(grant->privileges, QStringList{u"DELETE"_qs});
    QCOMPARE(grant->columnPrivileges, (QStringList{u"SELECT"_qs, u"INSERT"_qs}));
}

void TestGrantStatement::wildcardsInDatabaseNames()
{
    const auto grant = GrantStatement::parse(u"GRANT DELETE ON `gui\\_disc%`.* TO `inner`"_qs);
    QVERIFY(grant);
    QVERIFY(grant->coversDatabase(u"gui_disc_tgt"_qs));
    QVERIFY(!grant->coversDatabase(u"guiXdisc_tgt"_qs)); // \_ is a literal underscore
    QVERIFY(!grant->coversDatabase(u"x_gui_disc"_qs));
    const auto any = GrantStatement::parse(u"GRANT SELECT ON `sh_p`.* TO `r`"_qs);
    QVERIFY(any->coversDatabase(u"shop"_qs)); // _ alone is any one character
}

void TestGrantStatement::otherLinesAreNotPrivilegeGrants()
{
    QVERIFY(!GrantStatement::parse(u"GRANT `sync_writer` TO `app`@`%`"_qs));
    QVERIFY(!GrantStatement::parse(u"GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `app`@`%`"_qs));
    QVERIFY(!GrantStatement::parse(u"SET DEFAULT ROLE `sync_writer` FOR `app`@`%`"_qs));
    QVERIFY(!GrantStatement::parse(u"GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"_qs));
    QVERIFY(!GrantStatement::parse(QString()));
}

QTEST_APPLESS_MAIN(TestGrantStatement)
#include "tst_grantstatement.moc"
