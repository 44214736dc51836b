#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace tablesync {

// A strip at the top of a page that says what went wrong (or right) where it happened, with the
// server's message and what to do, and at most one action. Not modal, so work can go on.
class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Success, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    // `text` is plain text (server messages may contain < and &); `details` is shown below it.
    void showMessage(Kind kind, const QString &text, const QString &details = {});
    // An action button on the banner; an empty label removes it.
    void setAction(const QString &label);
    void setClosable(bool closable);
    Kind kind() const { return m_kind; }
    QString text() const;
    QString details() const { return m_details; }

Q_SIGNALS:
    void actionTriggered();
    void closed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    Kind m_kind = Kind::Info;
    QString m_details;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_action = nullptr;
    QToolButton *m_close = nullptr;
};

} // namespace tablesync
