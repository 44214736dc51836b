#pragma once

#include "db/PoolStats.h"

#include <QChartView>
#include <QDateTime>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace tablesync {

// A live chart of one pool over the last few minutes: connections checked out, overflow in use
// and callers waiting, one sample a second.
class PoolChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int kWindowSeconds = 300;

    explicit PoolChart(QWidget *parent = nullptr);

    void addSample(const QDateTime &time, const PoolStats &stats);
    int sampleCount() const;

private:
    void trim(const QDateTime &now);

    QLineSeries *m_checkedOut = nullptr;
    QLineSeries *m_overflow = nullptr;
    QLineSeries *m_waiting = nullptr;
    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_count = nullptr;
};

} // namespace tablesync
