// A target restored from the application's dump, as the old pipeline's README tells users to
// prepare it: foreign keys in chains and a cycle, ON DELETE CASCADE and RESTRICT, a view, FULLTEXT
// and SPATIAL indexes, utf8mb3 next to utf8mb4, lookup tables without a modifier. Runs must keep
// its schema intact (every foreign key on its original table, no helper table left) and end with
// every table identical to the source.
#include "TestSandbox.h"

#include <QTest>

using namespace tablesync;
using namespace tablesync::test;

namespace {
// The application's schema, restored on both servers before the first sync.
const char *const kSchema[] = {
    "CREATE TABLE country (country_id SMALLINT UNSIGNED PRIMARY KEY, name VARCHAR(50) NOT NULL) "
    "CHARACTER SET utf8mb3",
    "CREATE TABLE language (language_id TINYINT UNSIGNED PRIMARY KEY, name CHAR(20) NOT NULL) CHARACTER SET utf8mb3",
    "CREATE TABLE city (city_id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, country_id SMALLINT UNSIGNED NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), CONSTRAINT fk_city_country FOREIGN KEY (country_id) REFERENCES country (country_id) "
    "ON UPDATE CASCADE) CHARACTER SET utf8mb3",
    "CREATE TABLE address (address_id INT PRIMARY KEY, city_id INT NOT NULL, location POINT NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), SPATIAL KEY (location), CONSTRAINT fk_address_city FOREIGN KEY (city_id) "
    "REFERENCES city (city_id))",
    // store and staff point at each other; the nullable manager column breaks the cycle.
    "CREATE TABLE store (store_id INT PRIMARY KEY, manager_staff_id INT NULL, address_id INT NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), CONSTRAINT fk_store_address FOREIGN KEY (address_id) REFERENCES address (address_id))",
    "CREATE TABLE staff (staff_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, store_id INT NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), CONSTRAINT fk_staff_store FOREIGN KEY (store_id) REFERENCES store (store_id))",
    "ALTER TABLE store ADD CONSTRAINT fk_store_manager FOREIGN KEY (manager_staff_id) REFERENCES staff (staff_id) "
    "ON DELETE SET NULL",
    "CREATE TABLE customer (customer_id INT PRIMARY KEY, store_id INT NOT NULL, name VARCHAR(60) NOT NULL, "
    "email VARCHAR(80) CHARACTER SET utf8mb3, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), FULLTEXT KEY ft_customer_name (name), CONSTRAINT fk_customer_store FOREIGN KEY (store_id) "
    "REFERENCES store (store_id) ON DELETE RESTRICT) CHARACTER SET utf8mb4",
    "CREATE TABLE film (film_id INT PRIMARY KEY, title VARCHAR(100) NOT NULL, description TEXT, "
    "language_id TINYINT UNSIGNED NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), FULLTEXT KEY ft_film (title, description), CONSTRAINT fk_film_language "
    "FOREIGN KEY (language_id) REFERENCES language (language_id))",
    "CREATE TABLE rental (rental_id INT PRIMARY KEY, customer_id INT NOT NULL, film_id INT NOT NULL, "
    "staff_id INT NOT NULL, last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
    "CURRENT_TIMESTAMP(6), KEY (last_update), "
    "CONSTRAINT fk_rental_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id) ON DELETE CASCADE, "
    "CONSTRAINT fk_rental_film FOREIGN KEY (film_id) REFERENCES film (film_id), "
    "CONSTRAINT fk_rental_staff FOREIGN KEY (staff_id) REFERENCES staff (staff_id))",
    "CREATE TABLE payment (payment_id INT PRIMARY KEY, rental_id INT NOT NULL, amount DECIMAL(6,2) NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
    "KEY (last_update), CONSTRAINT fk_payment_rental FOREIGN KEY (rental_id) REFERENCES rental (rental_id) "
    "ON DELETE CASCADE)",
    // Kept in step by the application's triggers: a denormalised total and a log.
    "CREATE TABLE customer_totals (customer_id INT PRIMARY KEY, rentals INT NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), KEY (last_update))",
    "CREATE TABLE rental_log (rental_id INT PRIMARY KEY, note VARCHAR(40) NOT NULL, "
    "last_update TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), KEY (last_update))",
    "CREATE TRIGGER rental_ai AFTER INSERT ON rental FOR EACH ROW BEGIN "
    "INSERT INTO rental_log (rental_id, note) VALUES (NEW.rental_id, CONCAT('rented film ', NEW.film_id)); "
    "INSERT INTO customer_totals (customer_id, rentals) VALUES (NEW.customer_id, 1) "
    "ON DUPLICATE KEY UPDATE rentals = rentals + 1; END",
    "CREATE TRIGGER rental_bu BEFORE UPDATE ON rental FOR EACH ROW SET NEW.staff_id = IF(NEW.staff_id = 0, "
    "OLD.staff_id, NEW.staff_id)",
    "CREATE VIEW customer_list AS SELECT c.customer_id, c.name, ci.name AS city, co.name AS country "
    "FROM customer c JOIN store s USING (store_id) JOIN address a USING (address_id) JOIN city ci USING (city_id) "
    "JOIN country co USING (country_id)",
};

const char *const kData[] = {
    "INSERT INTO country VALUES (1, 'Deutschland'), (2, 'Österreich'), (3, 'Schweiz'), (4, 'Liechtenstein')",
    "INSERT INTO language VALUES (1, 'English'), (2, 'Deutsch'), (3, 'Français')",
    "INSERT INTO city (city_id, name, country_id) VALUES (1, 'Berlin', 1), (2, 'Wien', 2), (3, 'Zürich', 3), "
    "(4, 'Köln', 1)",
    "INSERT INTO address (address_id, city_id, location) VALUES (1, 1, POINT(13.4, 52.5)), "
    "(2, 2, POINT(16.4, 48.2)), (3, 3, POINT(8.5, 47.4))",
    "INSERT INTO store (store_id, manager_staff_id, address_id) VALUES (1, NULL, 1), (2, NULL, 2)",
    "INSERT INTO staff (staff_id, name, store_id) VALUES (1, 'Mike', 1), (2, 'Jon', 2)",
    "UPDATE store SET manager_staff_id = store_id",
    "INSERT INTO customer (customer_id, store_id, name, email) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
    "SELECT i + 1 FROM n WHERE i < 40) SELECT i, 1 + i MOD 2, CONCAT('Kundin ', i, ' 😀'), CONCAT('k', i, '@x.de') "
    "FROM n",
    "INSERT INTO film (film_id, title, description, language_id) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
    "SELECT i + 1 FROM n WHERE i < 20) SELECT i, CONCAT('Film ', i), REPEAT('lang ', i), 1 + i MOD 3 FROM n",
    "INSERT INTO rental (rental_id, customer_id, film_id, staff_id) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
    "SELECT i + 1 FROM n WHERE i < 120) SELECT i, 1 + i MOD 40, 1 + i MOD 20, 1 + i MOD 2 FROM n",
    "INSERT INTO payment (payment_id, rental_id, amount) SELECT rental_id, rental_id, 1.99 + rental_id / 100 "
    "FROM rental",
};

// Lookup tables have no modifier (full refresh), as people list them; the rest are incremental.
QList<TableSpec> applicationTables()
{
    QList<TableSpec> tables{tableSpec(u"country"_qs, {u"country_id"_qs}),
                            tableSpec(u"language"_qs, {u"language_id"_qs})};
    for (const QString &table : {u"city"_qs, u"address"_qs, u"store"_qs, u"staff"_qs, u"customer"_qs, u"film"_qs,
                                 u"customer_totals"_qs, u"rental_log"_qs, u"rental"_qs, u"payment"_qs}) {
        const QString key = table == u"customer_totals" ? u"customer_id"_qs
                            : table == u"rental_log"    ? u"rental_id"_qs
                                                        : table + u"_id"_qs;
        TableSpec spec = tableSpec(table, {key}, u"last_update"_qs);
        spec.deletes = TableSpec::Deletes::Propagate;
        tables << spec;
    }
    for (int i = 0; i < tables.size(); ++i)
        tables[i].entryIndex = i + 1;
    return tables;
}
} // namespace

class TestForeignKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void restoredSchemaSyncsRunAfterRun();
    void foreignKeysMovedByAnEarlierVersionAreRepaired();
    void nonUniquePrimaryKeyFailsNamingTheRealKeys();
    void targetTriggersDoNotActOnSyncedRows();
    void triggersSuspendedByAKilledRunAreRestored();
    void planSaysWhatTheNextRunWouldDoAndWritesNothing();
    void inPlaceRefreshTakesValuesSwappedUnderASecondUniqueKey();
    void retiredCopyReferencedFromAnotherDatabaseIsKept();

private:
    void restore(TestDb &db);
    void expectSchemaIntact();
    void expectIdentical(const QList<TableSpec> &tables);
    QStringList foreignKeys(TestDb &db);

    std::unique_ptr<SandboxPair> m_db;
};

void TestForeignKeys::init()
{
    m_db = std::make_unique<SandboxPair>(u"fk"_qs);
    restore(*m_db->source);
    restore(*m_db->target);
}

void TestForeignKeys::restore(TestDb &db)
{
    for (const char *sql : kSchema)
        db.exec(QString::fromUtf8(sql));
    for (const char *sql : kData)
        db.exec(QString::fromUtf8(sql));
}

// "table.constraint -> referenced_table", sorted.
QStringList TestForeignKeys::foreignKeys(TestDb &db)
{
    QSqlQuery q = db.connection().select(
        u"SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, ' -> ', REFERENCED_TABLE_NAME, ' ', DELETE_RULE) "
        "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1"_qs,
        {}, u"reading foreign keys"_qs);
    QStringList keys;
    while (q.next())
        keys << q.value(0).toString();
    return keys;
}

void TestForeignKeys::expectSchemaIntact()
{
    const QStringList target = foreignKeys(*m_db->target);
    QVERIFY2(target == foreignKeys(*m_db->source), qPrintable(target.join(u'\n')));
    QCOMPARE(foreignKeys(*m_db->target).size(), 11);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '\\_ts%'"_qs)
                 .toInt(),
             0);
    // The view still reads through the whole chain.
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM customer_list"_qs).toInt(),
             m_db->source->scalar(u"SELECT COUNT(*) FROM customer_list"_qs).toInt());
}

void TestForeignKeys::expectIdentical(const QList<TableSpec> &tables)
{
    for (const TableSpec &spec : tables) {
        const QString key = spec.primaryKey.first();
        QList<QStringList> source, target;
        try {
            source = m_db->source->dump(spec.table, key);
            target = m_db->target->dump(spec.table, key);
        } catch (const DbError &e) {
            QFAIL(qPrintable(e.message()));
        }
        QVERIFY2(source == target, qPrintable(spec.table + u": "_qs + firstDifferences(source, target)));
    }
    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    const RunOutcome verified = runSync(verify, tables);
    for (const TableResult &t : verified.summary.tables)
        QVERIFY2(t.outcome == TableOutcome::Succeeded && t.remainingDifferences == 0, qPrintable(verified.log()));
}

void TestForeignKeys::restoredSchemaSyncsRunAfterRun()
{
    const QList<TableSpec> tables = applicationTables();
    const RunOutcome first = runSync(m_db->settings, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.messages.filter(u"FAILED"_qs).join(u'\n')));
    QVERIFY2(first.log().contains(u"[country] refreshing in place in one transaction, because the target table "
                                  "referenced by 1 foreign key (city.fk_city_country)"_qs),
             qPrintable(first.log()));
    expectSchemaIntact();
    if (QTest::currentTestFailed())
        return; // QSignalSpy no longer waits once a test has failed
    expectIdentical(tables);

    // The application at work: a new country with a city, a renamed language, a customer who
    // leaves (their rentals and payments go by cascade), a country nobody uses any more removed,
    // a new manager who leaves again (the store's manager becomes NULL), a country renumbered (cascades).
    TestDb &src = *m_db->source;
    src.exec(u"INSERT INTO country VALUES (5, 'Luxembourg')"_qs);
    src.exec(u"INSERT INTO city (city_id, name, country_id) VALUES (5, 'Luxembourg', 5)"_qs);
    src.exec(u"UPDATE language SET name = 'Deutsch (DE)' WHERE language_id = 2"_qs);
    src.exec(u"DELETE FROM customer WHERE customer_id = 7"_qs);
    src.exec(u"DELETE FROM country WHERE country_id = 4"_qs);
    src.exec(u"INSERT INTO staff (staff_id, name, store_id) VALUES (3, 'Ana', 2)"_qs);
    src.exec(u"UPDATE store SET manager_staff_id = 3 WHERE store_id = 2"_qs);
    src.exec(u"DELETE FROM staff WHERE staff_id = 3"_qs); // store 2's manager becomes NULL
    src.exec(u"UPDATE country SET country_id = 6 WHERE country_id = 3"_qs);
    src.exec(u"INSERT INTO rental (rental_id, customer_id, film_id, staff_id) VALUES (121, 8, 3, 1)"_qs);
    src.exec(u"INSERT INTO payment (payment_id, rental_id, amount) VALUES (121, 121, 4.50)"_qs);

    const RunOutcome second = runSync(m_db->settings, tables);
    QVERIFY2(second.summary.allSucceeded(), qPrintable(second.messages.filter(u"FAILED"_qs).join(u'\n')));
    QCOMPARE(second.table(u"country"_qs)->deletedRows, 2);   // 4 gone, 3 renumbered to 6
    QCOMPARE(second.table(u"country"_qs)->rowsWritten, 2);   // 5 and 6
    QCOMPARE(second.table(u"country"_qs)->rowsRechecked, 2); // 1 and 2
    expectSchemaIntact();
    if (QTest::currentTestFailed())
        return; // QSignalSpy no longer waits once a test has failed
    expectIdentical(tables);
    QCOMPARE(m_db->target->count(u"rental"_qs), 118); // 120 - customer 7's 3 + 1
}

// An earlier tablesync swapped a referenced lookup table with RENAME TABLE and then failed to
// drop the retired copy: the child's foreign key moved onto `_tsold_country`, and the table's own
// foreign keys (here: none) and content stayed there. The next run puts everything back.
void TestForeignKeys::foreignKeysMovedByAnEarlierVersionAreRepaired()
{
    TestDb &tgt = *m_db->target;
    tgt.exec(u"CREATE TABLE _tsnew_city LIKE city"_qs);
    tgt.exec(u"INSERT INTO _tsnew_city SELECT * FROM city"_qs);
    tgt.exec(u"RENAME TABLE city TO _tsold_city, _tsnew_city TO city"_qs);
    QVERIFY(foreignKeys(tgt).contains(u"address.fk_address_city -> _tsold_city RESTRICT"_qs));
    QVERIFY(foreignKeys(tgt).contains(u"_tsold_city.fk_city_country -> country RESTRICT"_qs));

    QList<TableSpec> tables = applicationTables();
    for (TableSpec &spec : tables) {
        if (spec.table == u"city") { // listed as a lookup table, as the earlier run had it
            spec.modifier.clear();
            spec.deletes = TableSpec::Deletes::Keep;
        }
    }
    const RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.messages.filter(u"FAILED"_qs).join(u'\n')));
    QVERIFY2(run.log().contains(u"[city] repaired: foreign key fk_address_city of address pointed at _tsold_city"_qs),
             qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"[city] repaired: foreign key fk_city_country of city had stayed on _tsold_city"_qs),
             qPrintable(run.log()));
    expectSchemaIntact();
    if (QTest::currentTestFailed())
        return; // QSignalSpy no longer waits once a test has failed
    expectIdentical(tables);
}

// The real key is (order_id, line_no); configured as order_id alone, rows sharing an order would
// overwrite each other in the target. The table fails before anything is written, naming the keys.
void TestForeignKeys::nonUniquePrimaryKeyFailsNamingTheRealKeys()
{
    TestDb &src = *m_db->source;
    src.exec(u"CREATE TABLE order_lines (order_id INT NOT NULL, line_no INT NOT NULL, sku VARCHAR(20), "
             "updated_at DATETIME(6) NOT NULL, PRIMARY KEY (order_id, line_no), UNIQUE KEY uk_sku (sku))"_qs);
    src.exec(u"INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999) "
             "SELECT i DIV 3, i MOD 3, CONCAT('SKU', i), NOW(6) FROM n"_qs);
    TableSpec wrong = tableSpec(u"order_lines"_qs, {u"order_id"_qs}, u"updated_at"_qs);
    wrong.entryIndex = 4;
    const RunOutcome run = runSync(m_db->settings, {wrong});
    QCOMPARE(run.table(u"order_lines"_qs)->outcome, TableOutcome::Failed);
    const QString error = run.table(u"order_lines"_qs)->error;
    QVERIFY2(error.startsWith(u"tables.json entry 4 (order_lines): primary_key (order_id) is not a unique key"_qs),
             qPrintable(error));
    QVERIFY2(error.contains(u"PRIMARY KEY (order_id, line_no)"_qs), qPrintable(error));
    QVERIFY2(error.contains(u"UNIQUE KEY uk_sku (sku; NULL allowed, so not a key)"_qs), qPrintable(error));
    QVERIFY2(error.contains(u"\"primary_key\": [\"order_id\", \"line_no\"]"_qs), qPrintable(error));
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME = 'order_lines'"_qs)
                 .toInt(),
             0);
    // Verification refuses it the same way: it would compare rows that share a key.
    Settings verify = m_db->settings;
    verify.runMode = Settings::RunMode::Verify;
    QCOMPARE(runSync(verify, {wrong}).table(u"order_lines"_qs)->outcome, TableOutcome::Failed);

    // With the real key it syncs.
    const RunOutcome right =
        runSync(m_db->settings, {tableSpec(u"order_lines"_qs, {u"order_id"_qs, u"line_no"_qs}, u"updated_at"_qs)});
    QVERIFY2(right.summary.allSucceeded(), qPrintable(right.messages.filter(u"FAILED"_qs).join(u'\n')));
    QCOMPARE(m_db->target->count(u"order_lines"_qs), 3000);
}

// The target's copy of the application's trigger would log a synced rental a second time (a
// duplicate key: the log row arrived with rental_log) and count it twice in customer_totals.
// One worker, the derived tables first: the order in which an active trigger does the most harm.
void TestForeignKeys::targetTriggersDoNotActOnSyncedRows()
{
    Settings settings = m_db->settings;
    settings.workers = 1;
    const QList<TableSpec> tables = applicationTables();
    QVERIFY(runSync(settings, tables).summary.allSucceeded());
    m_db->source->exec(u"INSERT INTO rental (rental_id, customer_id, film_id, staff_id) VALUES (200, 5, 2, 1), "
                       "(201, 5, 3, 2)"_qs);
    m_db->source->exec(u"UPDATE rental SET film_id = 9 WHERE rental_id = 3"_qs);

    const RunOutcome run = runSync(settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.messages.filter(u"FAILED"_qs).join(u'\n')));
    QVERIFY2(run.log().contains(u"[rental] suspending 2 trigger(s) of the target table while writing it "
                                "(rental_bu, rental_ai)"_qs) ||
                 run.log().contains(u"[rental] suspending 2 trigger(s) of the target table while writing it "
                                    "(rental_ai, rental_bu)"_qs),
             qPrintable(run.log()));
    expectIdentical(tables);
    // The triggers are back, exactly as the source has them.
    const QString triggers = u"SELECT GROUP_CONCAT(TRIGGER_NAME, ':', ACTION_TIMING, ':', EVENT_MANIPULATION, ':', "
                             "ACTION_ORDER, ':', SQL_MODE, ':', DEFINER, ':', ACTION_STATEMENT ORDER BY TRIGGER_NAME "
                             "SEPARATOR '\n') FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"_qs;
    QCOMPARE(m_db->target->scalar(triggers).toString(), m_db->source->scalar(triggers).toString());
    QCOMPARE(m_db->target->scalar(u"SELECT COUNT(*) FROM _tablesync_triggers"_qs).toInt(), 0);

    // A run with nothing to write leaves the triggers alone: no DDL for a quiet table. The run
    // after changes re-checks the rows since its start (upserts, which would fire triggers); with
    // no lag, once the last writing run's snapshot is over a second older than the source's
    // oldest open transaction (another test's may hold it back for a while), the next run starts
    // after the rows read.
    settings.lag = 0;
    std::optional<RunOutcome> quietRun;
    for (int attempt = 0; attempt < 15 && !quietRun; ++attempt) {
        QTest::qWait(1000);
        RunOutcome attemptRun = runSync(settings, tables);
        QVERIFY2(attemptRun.summary.allSucceeded(), qPrintable(attemptRun.messages.filter(u"FAILED"_qs).join(u'\n')));
        if (attemptRun.table(u"rental"_qs)->rowsWritten + attemptRun.table(u"rental"_qs)->rowsRechecked == 0)
            quietRun = attemptRun;
        else // rows read again are written again (an upsert that changes nothing fires triggers too)
            QVERIFY(attemptRun.log().contains(u"[rental] suspending"_qs));
    }
    QVERIFY2(quietRun, "no run read nothing of rental within 15 runs");
    const RunOutcome &quiet = *quietRun;
    QVERIFY2(!quiet.log().contains(u"[rental] suspending"_qs), qPrintable(quiet.log()));
    QCOMPARE(m_db->target->scalar(triggers).toString(), m_db->source->scalar(triggers).toString());
}

// A run killed while the triggers were suspended left their definitions stored and the triggers
// gone: the next run creates them again before it writes, and says so.
void TestForeignKeys::triggersSuspendedByAKilledRunAreRestored()
{
    const QList<TableSpec> tables = applicationTables();
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded()); // creates _tablesync_triggers
    TestDb &tgt = *m_db->target;
    QSqlQuery show = tgt.connection().newQuery();
    QVERIFY(show.exec(u"SHOW CREATE TRIGGER rental_ai"_qs) && show.next());
    tgt.connection().select(u"INSERT INTO _tablesync_triggers (table_name, trigger_name, action_order, sql_mode, "
                            "character_set_client, collation_connection, definition) VALUES ('rental', 'rental_ai', 1, "
                            "?, ?, ?, ?)"_qs,
                            {show.value(1), show.value(3), show.value(4), show.value(2)}, u"test"_qs);
    tgt.exec(u"DROP TRIGGER rental_ai"_qs);

    const RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.messages.filter(u"FAILED"_qs).join(u'\n')));
    QVERIFY2(run.log().contains(u"[rental] repaired: trigger rental_ai, suspended by a run that was interrupted, "
                                "exists again"_qs),
             qPrintable(run.log()));
    QCOMPARE(
        tgt.scalar(u"SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"_qs).toInt(),
        2);
    QCOMPARE(tgt.scalar(u"SELECT COUNT(*) FROM _tablesync_triggers"_qs).toInt(), 0);
}

// `tablesync --plan` on the restored target: the DDL, the strategies, the foreign keys and
// triggers and how they are handled, the deletes; and not one write.
void TestForeignKeys::planSaysWhatTheNextRunWouldDoAndWritesNothing()
{
    const QList<TableSpec> tables = applicationTables();
    Settings plan = m_db->settings;
    plan.runMode = Settings::RunMode::Plan;
    const auto schemaOfTarget = [&] {
        return m_db->target
            ->scalar(u"SELECT GROUP_CONCAT(TABLE_NAME, '.', COLUMN_NAME ORDER BY TABLE_NAME, ORDINAL_POSITION) "
                     "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"_qs)
            .toString();
    };
    const QString before = schemaOfTarget();
    const RunOutcome first = runSync(plan, tables);
    QVERIFY2(first.summary.allSucceeded(), qPrintable(first.messages.filter(u"FAILED"_qs).join(u'\n')));
    const QString log = first.log();
    for (const QString &expected :
         {u"[country] plan: would run: ALTER TABLE `country` ADD COLUMN `_dlt_load_id` text NOT NULL"_qs,
          u"[country] plan: full refresh in place: compares the ~"_qs,
          u"because the target table referenced by 1 foreign key (city.fk_city_country)"_qs,
          u"[city] plan: incremental by last_update: no cursor yet, so the first run reads all ~"_qs,
          u"[rental] plan: the target table's 2 trigger(s) (rental_ai (AFTER INSERT), rental_bu (BEFORE UPDATE)) "
          "are suspended while it is written"_qs,
          u"[rental] plan: deletes: propagate: 0 row(s) of the target are no longer in the source"_qs}) {
        QVERIFY2(log.contains(expected), qPrintable(expected + u"\n---\n"_qs + log));
    }
    QCOMPARE(schemaOfTarget(), before);
    QCOMPARE(m_db->target
                 ->scalar(u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                          "AND TABLE_NAME LIKE '\\_%'"_qs)
                 .toInt(),
             0); // no _dlt_loads, no _tablesync_* tables

    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    m_db->source->exec(u"DELETE FROM customer WHERE customer_id = 7"_qs); // and its 3 rentals, by cascade
    const RunOutcome second = runSync(plan, tables);
    QVERIFY2(second.log().contains(u"[rental] plan: deletes: propagate: 3 row(s) of the target are no longer in the "
                                   "source and would be deleted"_qs),
             qPrintable(second.log()));
    QVERIFY2(second.log().contains(u"[city] plan: incremental by last_update: the next run reads the rows from "
                                   "last_update = "_qs),
             qPrintable(second.log()));
    QCOMPARE(m_db->target->count(u"rental"_qs), 120);
}

// Two lookup rows swap the values of a second UNIQUE key: an upsert would collide with the other
// row's old value; deleting the changed rows before inserting their new versions does not.
void TestForeignKeys::inPlaceRefreshTakesValuesSwappedUnderASecondUniqueKey()
{
    for (TestDb *db : {m_db->source.get(), m_db->target.get()})
        db->exec(u"ALTER TABLE language ADD UNIQUE KEY uk_language_name (name)"_qs);
    const QList<TableSpec> tables{applicationTables().mid(0, 2)}; // country, language
    QVERIFY(runSync(m_db->settings, tables).summary.allSucceeded());
    TestDb &src = *m_db->source;
    src.exec(u"UPDATE language SET name = 'swap' WHERE language_id = 1"_qs);
    src.exec(u"UPDATE language SET name = 'English' WHERE language_id = 2"_qs);
    src.exec(u"UPDATE language SET name = 'Deutsch' WHERE language_id = 1"_qs);
    const RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.messages.filter(u"FAILED"_qs).join(u'\n')));
    QCOMPARE(run.table(u"language"_qs)->rowsWritten, 2);
    QCOMPARE(run.table(u"language"_qs)->rowsRechecked, 1);
    expectIdentical(tables);
}

// An earlier swap left `_tsold_city`, and another database's table points at it: tablesync does
// not re-point foreign keys of other databases, so it must not drop the copy either (with foreign
// key checks off the drop would succeed and leave that key dangling). The copy is kept, said so,
// and the table refreshed in place instead of swapped into a name that is taken.
void TestForeignKeys::retiredCopyReferencedFromAnotherDatabaseIsKept()
{
    TestDb &tgt = *m_db->target;
    const QString here = m_db->settings.target.database;
    tgt.exec(u"CREATE TABLE _tsnew_city LIKE city"_qs);
    tgt.exec(u"INSERT INTO _tsnew_city SELECT * FROM city"_qs);
    tgt.exec(u"RENAME TABLE city TO _tsold_city, _tsnew_city TO city"_qs);
    tgt.exec(u"DROP DATABASE IF EXISTS fk_other"_qs);
    tgt.exec(u"CREATE DATABASE fk_other"_qs);
    tgt.exec(u"CREATE TABLE fk_other.visits (id INT PRIMARY KEY, city_id INT, CONSTRAINT fk_visits_city "
             "FOREIGN KEY (city_id) REFERENCES `"_qs +
             here + u"`._tsold_city (city_id))"_qs);

    QList<TableSpec> tables{tableSpec(u"city"_qs, {u"city_id"_qs})};
    const RunOutcome run = runSync(m_db->settings, tables);
    QVERIFY2(run.summary.allSucceeded(), qPrintable(run.messages.filter(u"FAILED"_qs).join(u'\n')));
    QVERIFY2(run.log().contains(u"[city] warning: kept _tsold_city, left by an interrupted full refresh: a foreign "
                                "key tablesync cannot repair still points at it"_qs),
             qPrintable(run.log()));
    QVERIFY2(run.log().contains(u"[city] refreshing in place in one transaction"_qs), qPrintable(run.log()));
    QCOMPARE(tgt.scalar(u"SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS "
                        "WHERE CONSTRAINT_SCHEMA = 'fk_other'"_qs)
                 .toString(),
             u"_tsold_city"_qs);
    expectIdentical(tables);
    tgt.exec(u"DROP DATABASE fk_other"_qs);
}

QTEST_GUILESS_MAIN(TestForeignKeys)
#include "tst_foreignkeys.moc"
