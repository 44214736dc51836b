#include "TableSpecDelegate.h"

#include "TableListModel.h"

#include <QComboBox>
#include <QCompleter>
#include <QLineEdit>
#include <QSpinBox>

namespace tablesync {

QWidget *TableSpecDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    const QStringList choices = index.data(TableListModel::ColumnChoicesRole).toStringList();
    switch (index.column()) {
    case TableListModel::ModifierColumn: {
        auto *combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->addItem(QString()); // empty: full refresh
        combo->setItemData(0, tr("no modifier: full refresh"), Qt::ToolTipRole);
        combo->addItems(choices);
        combo->lineEdit()->setPlaceholderText(tr("none: full refresh"));
        return combo;
    }
    case TableListModel::PrimaryKeyColumn: {
        auto *edit = new QLineEdit(parent);
        edit->setPlaceholderText(tr("id, or several: order_id, line_no"));
        if (!choices.isEmpty()) {
            auto *completer = new QCompleter(choices, edit);
            completer->setCaseSensitivity(Qt::CaseInsensitive);
            edit->setCompleter(completer);
        }
        return edit;
    }
    case TableListModel::DeletesColumn: {
        auto *combo = new QComboBox(parent); // not editable: one of the three words
        combo->addItems(choices);
        return combo;
    }
    case TableListModel::BatchSizeColumn: {
        auto *spin = new QSpinBox(parent);
        spin->setRange(0, 1'000'000);
        spin->setSingleStep(1000);
        spin->setSpecialValueText(tr("FETCH_LIMIT"));
        return spin;
    }
    default:
        return QStyledItemDelegate::createEditor(parent, option, index);
    }
}

void TableSpecDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        combo->setCurrentText(index.data(Qt::EditRole).toString());
        return;
    }
    if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        spin->setValue(index.data(Qt::EditRole).toInt());
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void TableSpecDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    if (auto *combo = qobject_cast<QComboBox *>(editor)) {
        model->setData(index, combo->currentText().trimmed());
        return;
    }
    if (auto *spin = qobject_cast<QSpinBox *>(editor)) {
        spin->interpretText();
        model->setData(index, spin->value());
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace tablesync
