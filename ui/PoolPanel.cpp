#include "PoolPanel.h"

#include "PoolChart.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace tablesync {

PoolPanel::PoolPanel(const QString &title, QWidget *parent)
    : QGroupBox(title, parent)
{
    setAccessibleName(title);
    auto *figures = new QGridLayout;
    addFigure(u"checkedOut"_qs, tr("checked out"), 0);
    addFigure(u"overflow"_qs, tr("overflow in use"), 1);
    addFigure(u"waiting"_qs, tr("waiting"), 2);
    addFigure(u"idle"_qs, tr("open and idle"), 3);
    addFigure(u"roundTrip"_qs, tr("round trip"), 4);
    m_figures.value(u"roundTrip"_qs)
        ->setToolTip(
            tr("The median time of the last checks before use (a SELECT 1 each): what the network adds to every "
               "statement. Measured, not configured."));
    int column = 0;
    for (const QString &name : {u"checkedOut"_qs, u"overflow"_qs, u"waiting"_qs, u"idle"_qs, u"roundTrip"_qs}) {
        QLabel *value = m_figures.value(name);
        figures->addWidget(value, 0, column);
        figures->addWidget(m_figures.value(name + u"Caption"_qs), 1, column);
        ++column;
    }
    m_totals = new QLabel(this);
    m_totals->setObjectName(title + u" totals"_qs);
    m_totals->setWordWrap(true);
    m_totals->setForegroundRole(QPalette::PlaceholderText);
    m_chart = new PoolChart(this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(figures);
    layout->addWidget(m_totals);
    layout->addWidget(m_chart, 1);
}

QLabel *PoolPanel::addFigure(const QString &name, const QString &caption, int)
{
    auto *value = new QLabel(u"0"_qs, this);
    value->setObjectName(name);
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.8);
    font.setBold(true);
    value->setFont(font);
    value->setAlignment(Qt::AlignCenter);
    auto *label = new QLabel(caption, this);
    label->setAlignment(Qt::AlignCenter);
    label->setForegroundRole(QPalette::PlaceholderText);
    value->setAccessibleName(caption);
    m_figures.insert(name, value);
    m_figures.insert(name + u"Caption"_qs, label);
    return value;
}

QString PoolPanel::roundTripText(double milliseconds)
{
    if (milliseconds < 0)
        return u"\u2013"_qs; // not measured yet
    return milliseconds < 10 ? tr("%1 ms").arg(QLocale().toString(milliseconds, 'f', 1))
                             : tr("%1 ms").arg(QLocale().toString(milliseconds, 'f', 0));
}

QString PoolPanel::valueText(const QString &name) const
{
    QLabel *label = m_figures.value(name);
    return label ? label->text() : QString();
}

void PoolPanel::showStats(const QDateTime &time, const PoolStats &stats)
{
    const QLocale locale;
    m_figures.value(u"checkedOut"_qs)->setText(tr("%1 / %2").arg(stats.checkedOut).arg(stats.size));
    m_figures.value(u"overflow"_qs)->setText(tr("%1 / %2").arg(stats.overflowInUse()).arg(stats.maxOverflow));
    QLabel *waiting = m_figures.value(u"waiting"_qs);
    waiting->setText(QString::number(stats.waiting));
    // Callers waiting is the number that means "the pool is too small": red when not zero.
    waiting->setStyleSheet(stats.waiting > 0 ? u"color: #e03131;"_qs : QString());
    m_figures.value(u"idle"_qs)->setText(QString::number(stats.idle()));
    m_figures.value(u"roundTrip"_qs)->setText(roundTripText(stats.roundTripMs));
    m_totals->setText(tr("%1 · since the engine started: %2 opened, %3 closed, %4 recycled, %5 replaced after a "
                         "failed check, %6 timeouts (wait limit %7 s)")
                          .arg(stats.statusLine(), locale.toString(stats.openedTotal),
                               locale.toString(stats.closedTotal), locale.toString(stats.recycledTotal),
                               locale.toString(stats.replacedTotal), locale.toString(stats.timeoutsTotal),
                               QString::number(stats.timeoutSeconds)));
    m_chart->addSample(time, stats);
}

void PoolPanel::showNoEngine(int size, int maxOverflow)
{
    m_figures.value(u"checkedOut"_qs)->setText(tr("0 / %1").arg(size));
    m_figures.value(u"overflow"_qs)->setText(tr("0 / %1").arg(maxOverflow));
    m_figures.value(u"waiting"_qs)->setText(u"0"_qs);
    m_figures.value(u"idle"_qs)->setText(u"0"_qs);
    m_figures.value(u"roundTrip"_qs)->setText(roundTripText(-1));
    m_totals->setText(tr("No connections yet: the pool opens them with the first run."));
}

} // namespace tablesync
