#pragma once

#include <QWidget>

namespace tablesync {

class DbTaskRunner;
class MessageBanner;
class PasswordStore;
class ProfileDocument;
class ServerForm;

// Page 1: where the data comes from and goes to. Source and target forms side by side, the
// sync/pool/timeout options below, and a banner naming every problem of the .env part.
class ConnectionsPage : public QWidget
{
    Q_OBJECT
public:
    ConnectionsPage(ProfileDocument *document, DbTaskRunner *runner, PasswordStore *passwords,
                    QWidget *parent = nullptr);

    ServerForm *sourceForm() const { return m_source; }
    ServerForm *targetForm() const { return m_target; }
    MessageBanner *banner() const { return m_banner; }

private:
    // `mayAppear`: false while the user types (a hidden banner stays hidden).
    void updateBanner(bool mayAppear);
    // A configuration message with the .env keys of the two servers named by their form labels.
    static QString inFormWords(QString message);

    ProfileDocument *m_document = nullptr;
    MessageBanner *m_banner = nullptr;
    ServerForm *m_source = nullptr;
    ServerForm *m_target = nullptr;
};

} // namespace tablesync
