#include "ProgressDelegate.h"

#include "RunTableModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace tablesync {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const auto state = TableRunState(index.data(RunTableModel::StateRole).toInt());
    if (state == TableRunState::Idle || state == TableRunState::Queued) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const qint64 done = index.data(RunTableModel::RowsDoneRole).toLongLong();
    const qint64 estimate = index.data(RunTableModel::EstimateRole).toLongLong();

    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QWidget *widget = const_cast<QWidget *>(option.widget);
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    QStyleOptionProgressBar bar;
    bar.initFrom(widget);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = estimate > 0 ? int(std::min<qint64>(1000, done * 1000 / estimate)) : 0;
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    if (state == TableRunState::Failed)
        bar.palette.setColor(QPalette::Highlight, QColor(0xe0, 0x31, 0x31));
    else if (state == TableRunState::Done)
        bar.palette.setColor(QPalette::Highlight, QColor(0x2f, 0x9e, 0x44));
    else if (state == TableRunState::Stopped)
        bar.palette.setColor(QPalette::Highlight, QColor(0xf0, 0x8c, 0x00));
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace tablesync
