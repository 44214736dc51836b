#pragma once

#include "db/ColumnInfo.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace tablesync {

// A column that could drive incremental sync, with why it looks like one.
struct ModifierCandidate
{
    QString column;
    QString columnType;
    bool indexed = false;  // an index starts with it, so each batch is an index range scan
    bool onUpdate = false; // ON UPDATE CURRENT_TIMESTAMP: the server keeps it current
    int score = 0;         // higher is more likely; see TableDiscovery
    QString reason;        // "indexed DATETIME, set on every update"
};

// One table of the source as discovery saw it.
struct DiscoveredTable
{
    QString name;
    QString engine;
    qint64 estimatedRows = 0; // information_schema TABLE_ROWS (an estimate for InnoDB)
    qint64 dataBytes = 0;
    QList<ColumnInfo> columns;
    QStringList primaryKey;
    QStringList uniqueKey;                // without a primary key: a unique key of NOT NULL columns, usable instead
    QList<QStringList> uniqueNotNullKeys; // every key that identifies rows (PRIMARY first, if any)
    QList<ModifierCandidate> modifierCandidates; // best first

    // The key to sync by: the primary key, else a unique NOT NULL key, else none.
    QStringList syncKey() const { return primaryKey.isEmpty() ? uniqueKey : primaryKey; }
    // The best candidate when it is a likely modifier, else empty (full refresh).
    QString suggestedModifier() const;
    // Why this table cannot be synced as it is, or how it will be; empty when it is plain.
    QString note() const;
    const ColumnInfo *column(const QString &name) const;
    // Columns that can order rows, i.e. can be a modifier (integer, DECIMAL, temporal).
    QStringList orderableColumns() const;
    bool hasIndexStartingWith(const QString &column) const { return indexLeadingColumns.contains(column.toLower()); }

    QStringList indexLeadingColumns; // lower-case names of the columns that start an index
};

// What a discovery run found.
struct DiscoveryResult
{
    bool ok = false;
    QString error; // why discovery failed, in plain words
    QString hint;  // what to do about it
    QString database;
    QString server; // user@host:port/database
    QList<DiscoveredTable> tables;
    qint64 elapsedMs = 0;
};

} // namespace tablesync

Q_DECLARE_METATYPE(tablesync::DiscoveryResult)
