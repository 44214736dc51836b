#pragma once

#include "db/ColumnInfo.h"
#include "sync/Page.h"

namespace tablesync {

class DbConnection;
class SqlDialect;

// Writes a page with `LOAD DATA LOCAL INFILE`, the file's bytes fed from memory: the fastest way into
// InnoDB and much lighter on the client than binding every value (FACTS-qt-mysql.md). Only for
// plain inserts (a staging table, or a first load into an empty table). The values are written in
// the same exact forms the reader produced: text columns as their stored bytes relabelled with the
// source charset, BIT through an unsigned integer, everything else as text the server parses.
// Text pages (Page::text) are that text already and go into the file as they are.
class LoadDataWriter
{
public:
    LoadDataWriter(DbConnection &target, const SqlDialect &dialect, const QString &table, QList<ColumnInfo> columns,
                   QList<int> keyIndexes, QString loadId);
    LoadDataWriter(const LoadDataWriter &) = delete;
    LoadDataWriter &operator=(const LoadDataWriter &) = delete;

    // Can this connection load local files at all (`local_infile` on the server, and a native
    // handle to feed the rows from memory)?
    static bool isAvailable(DbConnection &target);

    // Loads the page inside the caller's transaction. Returns false when the server reported
    // warnings (a duplicate key skipped, a value adjusted): the caller must roll back and write
    // the page another way. Throws DbError on errors.
    bool write(const Page &page);

private:
    QByteArray tsv(const Page &page);
    QByteArray textTsv(const Page &page);
    QString statement() const;

    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<int> m_keyIndexes;
    QString m_loadId;
    QString m_statement;
    QList<bool> m_yearColumns;   // YEAR is written with four digits
    double m_bytesPerValue = 24; // of the last page, to size the next one
};

} // namespace tablesync
