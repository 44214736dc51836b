#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace tablesync {

// How a column's values travel from source to target without losing a byte.
// See FACTS-qt-mysql.md: QtSql mangles DECIMAL, temporal values, BIT and (via formatValue) bytes.
enum class ValueKind {
    Integer,  // TINYINT..BIGINT, signed or unsigned, YEAR: exact in the binary protocol
    Decimal,  // read as text (CAST AS CHAR), written as text
    Float,    // FLOAT/DOUBLE: read as DOUBLE (17 significant digits survive the driver)
    Temporal, // DATE/DATETIME/TIMESTAMP/TIME: read as text, so no time-zone or precision loss
    Bit,      // read as `col+0`, an unsigned integer
    Text,     // CHAR/VARCHAR/TEXT/ENUM/SET/JSON: read as raw bytes, written back in the column's charset
    Bytes,    // BINARY/VARBINARY/BLOB and anything else: raw bytes
};

struct ColumnInfo
{
    QString name;
    QString dataType;   // lower case, e.g. "varchar", "datetime"
    QString columnType; // full definition, e.g. "varchar(20)", "int(10) unsigned"
    bool nullable = true;
    QString defaultExpression; // information_schema COLUMN_DEFAULT (MariaDB: an SQL expression); empty = none
    QString extra;             // e.g. "on update current_timestamp()", "auto_increment"
    QString charset;           // empty for non-text columns
    QString collation;
    QString generationExpression; // non-empty for generated columns
    bool generated = false;
    bool stored = false; // generated STORED/PERSISTENT
    int numericPrecision = 0;
    int numericScale = 0;
    int datetimePrecision = 0;

    ValueKind kind() const;
    bool isUnsigned() const { return columnType.contains(QStringLiteral("unsigned")); }
    // Can rows be ordered by this column to drive an incremental cursor?
    bool canOrderRows() const;
};

// True when `columns` include every column of one of `keys` (names compared without case): rows
// that differ somewhere in such a key differ in `columns` too.
bool coversAKey(const QList<QStringList> &keys, const QStringList &columns);

struct TableSchema
{
    QString name;
    bool exists = false;
    QList<ColumnInfo> columns;
    QStringList primaryKey;        // columns of PRIMARY KEY, in key order
    QList<QStringList> uniqueKeys; // every unique index (PRIMARY included), columns in key order
    QStringList uniqueKeyNames;    // their index names, in the same order
    QStringList indexLeaders;      // the first column of every index, unique or not
    qint64 estimatedRows = 0;      // information_schema TABLE_ROWS (an estimate for InnoDB)
    qint64 averageRowLength = 0;   // bytes

    const ColumnInfo *column(const QString &name) const;
    bool hasUniqueKeyOn(const QStringList &columns) const;
    // True when no two rows can share values in `columns`: they include every column of a unique
    // index whose columns are all NOT NULL (a UNIQUE index lets NULLs repeat).
    bool rowsAreUniqueOn(const QStringList &columns) const;
    // The unique indexes in words, e.g. "PRIMARY KEY (order_id, line_no)", "UNIQUE KEY sku (sku;
    // NULL allowed)"; empty when there is none.
    QStringList describeUniqueKeys() const;
};

} // namespace tablesync
