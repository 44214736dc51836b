#pragma once

#include "db/PoolStats.h"

#include <QGroupBox>
#include <QHash>

class QLabel;

namespace tablesync {

class PoolChart;

// One server's pool: the numbers that matter now (checked out of size, overflow in use,
// waiting), the totals since the engine started, and the live chart.
class PoolPanel : public QGroupBox
{
    Q_OBJECT
public:
    PoolPanel(const QString &title, QWidget *parent = nullptr);

    void showStats(const QDateTime &time, const PoolStats &stats);
    void showNoEngine(int size, int maxOverflow);
    QString valueText(const QString &name) const;
    PoolChart *chart() const { return m_chart; }

private:
    static QString roundTripText(double milliseconds);
    QLabel *addFigure(const QString &name, const QString &caption, int column);

    QHash<QString, QLabel *> m_figures;
    QLabel *m_totals = nullptr;
    PoolChart *m_chart = nullptr;
};

} // namespace tablesync
