#pragma once

#include <QStyledItemDelegate>

namespace tablesync {

// Editors for the table list: column pickers filled from discovery for the key and modifier
// (typing any name still works before discovery), and a spin box for the batch size.
class TableSpecDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

} // namespace tablesync
