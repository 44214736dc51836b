#include "EmptyState.h"

#include "Icons.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tablesync {

EmptyState::EmptyState(const QString &iconName, const QString &title, const QString &text, QWidget *parent)
    : QWidget(parent)
    , m_text(new QLabel(text, this))
    , m_action(new QPushButton(this))
{
    auto *picture = new QLabel(this);
    picture->setPixmap(Icons::get(iconName).pixmap(64, 64));
    picture->setAlignment(Qt::AlignCenter);
    auto *heading = new QLabel(u"<h3>"_qs + title.toHtmlEscaped() + u"</h3>"_qs, this);
    heading->setAlignment(Qt::AlignCenter);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setMaximumWidth(440);
    // A wrapped label gets the height its width needs only when the layout gives it that width
    // itself: placed with an alignment it is measured at one width and shown at another, and its
    // last lines are cut off. So it fills a row between two stretches instead.
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
    auto *textRow = new QHBoxLayout;
    textRow->addStretch(0);
    textRow->addWidget(m_text, 1);
    textRow->addStretch(0);
    m_action->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(picture);
    layout->addWidget(heading);
    layout->addLayout(textRow);
    layout->addSpacing(8);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    setAccessibleName(title);
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);
}

void EmptyState::setAction(const QString &label)
{
    m_action->setText(label);
    m_action->setVisible(!label.isEmpty());
}

void EmptyState::setText(const QString &text)
{
    m_text->setText(text);
}

} // namespace tablesync
