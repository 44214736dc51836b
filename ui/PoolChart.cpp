#include "PoolChart.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace tablesync {

namespace {
QLineSeries *series(const QString &name, const QColor &colour, QChart *chart)
{
    auto *s = new QLineSeries(chart);
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(2.0);
    s->setPen(pen);
    chart->addSeries(s);
    return s;
}
} // namespace

PoolChart::PoolChart(QWidget *parent)
    : QChartView(parent)
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Follows the window's palette, so the chart is not a white box in a dark theme.
    chart->setBackgroundBrush(palette().brush(QPalette::Base));
    chart->setPlotAreaBackgroundVisible(false);
    chart->legend()->setLabelColor(palette().color(QPalette::Text));
    m_checkedOut = series(tr("Checked out"), QColor(0x1c, 0x7e, 0xd6), chart);
    m_overflow = series(tr("Overflow in use"), QColor(0xf0, 0x8c, 0x00), chart);
    m_waiting = series(tr("Waiting"), QColor(0xe0, 0x31, 0x31), chart);

    m_time = new QDateTimeAxis(chart);
    m_time->setFormat(u"HH:mm"_qs);
    m_time->setTickCount(6);
    m_count = new QValueAxis(chart);
    m_count->setLabelFormat(u"%d"_qs);
    m_count->setRange(0, 4);
    m_count->setTickCount(5);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_time), static_cast<QAbstractAxis *>(m_count)}) {
        axis->setLabelsColor(palette().color(QPalette::Text));
        axis->setGridLineColor(palette().color(QPalette::Mid));
    }
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_count, Qt::AlignLeft);
    for (QLineSeries *s : {m_checkedOut, m_overflow, m_waiting}) {
        s->attachAxis(m_time);
        s->attachAxis(m_count);
    }
    const QDateTime now = QDateTime::currentDateTime();
    m_time->setRange(now.addSecs(-kWindowSeconds), now);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
}

int PoolChart::sampleCount() const
{
    return int(m_checkedOut->count());
}

void PoolChart::addSample(const QDateTime &time, const PoolStats &stats)
{
    const qreal x = qreal(time.toMSecsSinceEpoch());
    m_checkedOut->append(x, stats.checkedOut);
    m_overflow->append(x, stats.overflowInUse());
    m_waiting->append(x, stats.waiting);
    trim(time);

    int peak = 0;
    for (QLineSeries *s : {m_checkedOut, m_overflow, m_waiting}) {
        const QList<QPointF> points = s->points();
        for (const QPointF &p : points)
            peak = std::max(peak, int(p.y()));
    }
    // Whole connections only, with headroom so a peak does not touch the top.
    const int top = std::max(4, int(std::ceil(peak * 1.25)));
    m_count->setRange(0, top);
    m_count->setTickCount(std::min(top, 4) + 1);
    m_time->setRange(time.addSecs(-kWindowSeconds), time);
}

void PoolChart::trim(const QDateTime &now)
{
    const qreal oldest = qreal(now.addSecs(-kWindowSeconds - 5).toMSecsSinceEpoch());
    for (QLineSeries *s : {m_checkedOut, m_overflow, m_waiting}) {
        int drop = 0;
        while (drop < s->count() && s->at(drop).x() < oldest)
            ++drop;
        if (drop > 0)
            s->removePoints(0, drop);
    }
}

} // namespace tablesync
