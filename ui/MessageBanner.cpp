#include "MessageBanner.h"

#include "Icons.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace tablesync {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_close(new QToolButton(this))
{
    setAutoFillBackground(true);
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Message"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action->hide();
    m_close->setAutoRaise(true);
    m_close->setText(u"\u2715"_qs);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    connect(m_action, &QPushButton::clicked, this, &MessageBanner::actionTriggered);
    connect(m_close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT closed();
    });
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text, const QString &details)
{
    m_kind = kind;
    m_details = details;
    static const char16_t *const icons[] = {u"msg-info", u"state-done", u"msg-warning", u"msg-error"};
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(Icons::get(QString::fromUtf16(icons[int(kind)])).pixmap(size, size));
    QString html = u"<b>"_qs + text.toHtmlEscaped() + u"</b>"_qs;
    if (!details.isEmpty())
        html += u"<br>"_qs + details.toHtmlEscaped().replace(u'\n', u"<br>"_qs);
    m_text->setText(html);
    m_text->setAccessibleName(text);
    applyColours();
    show();
}

QString MessageBanner::text() const
{
    return m_text->accessibleName();
}

void MessageBanner::setAction(const QString &label)
{
    m_action->setText(label);
    m_action->setVisible(!label.isEmpty());
}

void MessageBanner::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColours();
}

void MessageBanner::applyColours()
{
    // A tint of the kind's colour over the window colour, so light and dark themes both work.
    static const QColor tints[] = {QColor(0x1c, 0x7e, 0xd6), QColor(0x2f, 0x9e, 0x44), QColor(0xf0, 0x8c, 0x00),
                                   QColor(0xe0, 0x31, 0x31)};
    const QColor base =
        parentWidget() ? parentWidget()->palette().color(QPalette::Window) : palette().color(QPalette::Window);
    const QColor tint = tints[int(m_kind)];
    const qreal a = 0.16;
    const QColor mixed =
        QColor::fromRgbF(base.redF() * (1 - a) + tint.redF() * a, base.greenF() * (1 - a) + tint.greenF() * a,
                         base.blueF() * (1 - a) + tint.blueF() * a);
    QPalette p = palette();
    p.setColor(QPalette::Window, mixed);
    setPalette(p);
}

} // namespace tablesync
