#pragma once

#include <QGroupBox>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tablesync {

class ProfileDocument;

// The profile's health server keys: HEALTH_HOST, HEALTH_PORT and the access token, typed in
// (HEALTH_TOKEN, with a button that makes a random one) or read from a file (HEALTH_TOKEN_FILE).
// The headless service serves them on HEALTH_PORT; the window serves the same endpoints only when
// asked to, on a port of its own (GuiSettings::windowHealthPort), so that the desktop app and the
// service on one machine never compete for a port. A note says what the token guards and warns
// when the server would be open to other machines without one; a bad token is reported by the
// page's banner, as every setting is.
class HealthForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit HealthForm(ProfileDocument *document, QWidget *parent = nullptr);

    // 32 random bytes as hex: far over the 16 characters the token needs, and only characters
    // that travel unchanged in an HTTP header.
    static QString randomToken();

Q_SIGNALS:
    // The window's own health server was turned on or off, or moved.
    void windowServerChanged();

private:
    QLineEdit *addLine(const QString &key, const QString &placeholder);
    void loadFromDocument();
    void loadKey(const QString &key);
    void updateNote();

    ProfileDocument *m_document = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_token = nullptr;
    QLineEdit *m_tokenFile = nullptr;
    QLabel *m_note = nullptr;
    QCheckBox *m_windowServer = nullptr;
    QSpinBox *m_windowPort = nullptr;
};

} // namespace tablesync
