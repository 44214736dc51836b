#pragma once

#include <QGroupBox>
#include <QHash>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QCheckBox;
class QSpinBox;

namespace tablesync {

class DbTaskRunner;
class MessageBanner;
class ProfileDocument;
struct ConnectionProbeResult;

// The connection form of one server (source or target) bound to the profile's
// <ROLE>_DB_* keys, with inline validation and a Test connection button that runs on
// DbTaskRunner's threads and reports the server version and round trip, or the error and a hint.
class ServerForm : public QGroupBox
{
    Q_OBJECT
public:
    // `role` is "source" or "target".
    ServerForm(const QString &role, ProfileDocument *document, DbTaskRunner *runner, QWidget *parent = nullptr);

    void testConnection();
    bool isTesting() const { return m_testJob != 0; }
    MessageBanner *resultBanner() const { return m_result; }
    // Shows "required" beside empty required fields; true when none is empty.
    bool validateRequired();

private:
    QLineEdit *addText(const QString &suffix, const QString &label, const QString &placeholder, bool required);
    QLineEdit *addFile(const QString &suffix, const QString &label);
    void loadFromDocument();
    void loadKey(const QString &key);
    void onTested(int job, const ConnectionProbeResult &result);
    QString key(const QString &suffix) const;

    QString m_role;
    QString m_prefix; // "SOURCE_DB_" or "TARGET_DB_"
    ProfileDocument *m_document = nullptr;
    DbTaskRunner *m_runner = nullptr;
    QHash<QString, QLineEdit *> m_texts; // by .env key
    QHash<QString, QLabel *> m_requiredLabels;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_requireTls = nullptr; // <ROLE>_DB_SSL_REQUIRE
    QPushButton *m_test = nullptr;
    MessageBanner *m_result = nullptr;
    int m_testJob = 0;
    QFormLayout *m_form = nullptr;
};

} // namespace tablesync
