#pragma once

#include "db/ColumnInfo.h"
#include "sync/Page.h"

#include <QTemporaryDir>

#include <memory>

namespace tablesync {

class DbConnection;
class SqlDialect;

// Writes a page with `LOAD DATA LOCAL INFILE` from a private temporary file: the fastest way into
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
    ~LoadDataWriter();
    LoadDataWriter(const LoadDataWriter &) = delete;
    LoadDataWriter &operator=(const LoadDataWriter &) = delete;

    // Can this connection load local files at all (`local_infile` on the server)?
    static bool isAvailable(DbConnection &target);

    // Loads the page inside the caller's transaction. Returns false when the server reported
    // warnings (a duplicate key skipped, a value adjusted): the caller must roll back and write
    // the page another way. Throws DbError on errors.
    bool write(const Page &page);

private:
    QByteArray tsv(const Page &page);
    QByteArray textTsv(const Page &page);
    QString statement() const;
    QString pagePath() const;

    DbConnection &m_target;
    const SqlDialect &m_dialect;
    QString m_table;
    QList<ColumnInfo> m_columns;
    QList<int> m_keyIndexes;
    QString m_loadId;
    int m_lockFd = -1;                          // held while the directory is in /dev/shm (see inMemoryDirectory)
    std::unique_ptr<QTemporaryDir> m_directory; // 0700, removed with the writer; in memory where it can be
    QString m_statement;
    QList<bool> m_yearColumns;   // YEAR is written with four digits
    double m_bytesPerValue = 24; // of the last page, to size the next one
};

} // namespace tablesync
