#pragma once

#include <QStyledItemDelegate>

namespace tablesync {

// Draws a table's progress as a progress bar with "rows done of ~estimate" on it, in the style of
// the platform. Without an estimate (incremental runs cannot know how many rows changed), the
// bar stays empty and the text carries the count.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace tablesync
