#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QStringList>

namespace tablesync {

// The engine's log lines as the GUI received them, newest last, at most kMaxLines.
class LogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    enum Column { TimeColumn, LevelColumn, TableColumn, MessageColumn, ColumnCount };
    enum Role { LevelRole = Qt::UserRole + 1, TableRole };
    static constexpr int kMaxLines = 20000;

    struct Line
    {
        QDateTime time;
        Level level = Level::Info;
        QString table; // empty for lines about the run or the pools
        QString message;
    };

    explicit LogModel(QObject *parent = nullptr);

    void append(Level level, const QString &table, const QString &message);
    void clear();
    // Replaces every line (a profile's log read back from its journal).
    void setLines(const QList<Line> &lines);
    const Line &lineAt(int row) const { return m_lines.at(row); }
    // Tables that have log lines, for the filter.
    QStringList tables() const { return m_tables; }
    // "2024-01-02 10:00:00.123 WARN  [orders] message", as copied to the clipboard.
    static QString format(const Line &line);
    static QString levelName(Level level);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void tablesChanged();
    // A line was appended by append() (not by setLines()).
    void appended(const tablesync::LogModel::Line &line);

private:
    QList<Line> m_lines;
    QStringList m_tables;
};

} // namespace tablesync
