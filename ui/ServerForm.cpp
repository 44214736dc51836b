#include "ServerForm.h"

#include "Icons.h"
#include "MessageBanner.h"
#include "Plural.h"
#include "ProfileDocument.h"
#include "db/DbTaskRunner.h"

#include <QAction>
#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tablesync {

ServerForm::ServerForm(const QString &role, ProfileDocument *document, DbTaskRunner *runner, QWidget *parent)
    : QGroupBox(parent)
    , m_role(role)
    , m_prefix(role.toUpper() + u"_DB_"_qs)
    , m_document(document)
    , m_runner(runner)
{
    const bool source = role == u"source";
    setTitle(source ? tr("Source server (read from)") : tr("Target server (written to)"));
    setAccessibleName(title());
    auto *layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    layout->addLayout(m_form);

    addText(u"HOST"_qs, tr("&Host"), tr("db.example.com or 10.0.0.5"), true);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(3306);
    m_port->setObjectName(key(u"PORT"_qs));
    m_port->setAccessibleName(tr("%1 port").arg(role));
    m_port->setGroupSeparatorShown(false);
    m_form->addRow(tr("&Port"), m_port);
    connect(m_port, &QSpinBox::valueChanged, this,
            [this](int port) { m_document->setNumber(key(u"PORT"_qs), port, 3306); });
    addText(u"USER"_qs, tr("&User"), tr("sync_reader"), true);
    QLineEdit *password = addText(u"PASS"_qs, tr("Pass&word"), QString(), false);
    password->setEchoMode(QLineEdit::Password);
    QAction *reveal = password->addAction(Icons::get(u"action-eye"_qs), QLineEdit::TrailingPosition);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the password"));
    connect(reveal, &QAction::toggled, password,
            [password](bool shown) { password->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password); });
    addText(u"NAME"_qs, tr("&Database"), source ? tr("the database to read") : tr("the database to write"), true);
    addFile(u"SSL_CA"_qs, tr("TLS CA file"));
    addFile(u"SSL_CERT"_qs, tr("TLS certificate"));
    addFile(u"SSL_KEY"_qs, tr("TLS key"));
    m_requireTls = new QCheckBox(tr("Refuse an unencrypted session"), this);
    m_requireTls->setObjectName(key(u"SSL_REQUIRE"_qs));
    m_requireTls->setToolTip(tr(".env key %1: without it, a server that offers no TLS gets a plain-text session "
                                "without a word. Needs one of the TLS files.")
                                 .arg(key(u"SSL_REQUIRE"_qs)));
    m_form->addRow(tr("Require TLS"), m_requireTls);
    connect(m_requireTls, &QCheckBox::toggled, this, [this](bool on) {
        // Off is the default: the key goes away rather than saying false.
        m_document->setValue(key(u"SSL_REQUIRE"_qs), on ? u"true"_qs : QString());
    });

    m_test = new QPushButton(Icons::get(u"action-test"_qs), tr("&Test connection"), this);
    m_test->setObjectName(role + u"TestButton"_qs);
    m_test->setAccessibleName(tr("Test the %1 connection").arg(role));
    m_test->setToolTip(tr("Connects with these settings, off the window's thread, and reports the server version "
                          "and round-trip time"));
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_test);
    layout->addLayout(buttonRow);
    m_result = new MessageBanner(this);
    m_result->setObjectName(role + u"TestResult"_qs);
    layout->addWidget(m_result);
    layout->addStretch(1);

    connect(m_test, &QPushButton::clicked, this, &ServerForm::testConnection);
    connect(m_runner, &DbTaskRunner::connectionTested, this, &ServerForm::onTested);
    connect(m_document, &ProfileDocument::loaded, this, &ServerForm::loadFromDocument);
    connect(m_document, &ProfileDocument::valueChanged, this, &ServerForm::loadKey);
    loadFromDocument();
}

QString ServerForm::key(const QString &suffix) const
{
    return m_prefix + suffix;
}

QLineEdit *ServerForm::addText(const QString &suffix, const QString &label, const QString &placeholder, bool required)
{
    auto *edit = new QLineEdit(this);
    const QString envKey = key(suffix);
    edit->setObjectName(envKey);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(QString(label).remove(u'&') + u' ' + m_role);
    edit->setToolTip(tr(".env key %1").arg(envKey));
    m_texts.insert(envKey, edit);
    auto *field = new QWidget(this);
    auto *column = new QVBoxLayout(field);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(1);
    column->addWidget(edit);
    if (required) {
        auto *hint = new QLabel(tr("Required"), field);
        hint->setObjectName(envKey + u"Error"_qs);
        hint->setStyleSheet(u"color: #e03131;"_qs);
        hint->hide();
        column->addWidget(hint);
        m_requiredLabels.insert(envKey, hint);
    }
    m_form->addRow(label, field);
    connect(edit, &QLineEdit::textEdited, this, [this, envKey](const QString &text) {
        // Passwords may legitimately start or end with blanks; nothing else here does.
        m_document->setValue(envKey, envKey.endsWith(u"_PASS"_qs) ? text : text.trimmed());
        if (QLabel *hint = m_requiredLabels.value(envKey))
            hint->setVisible(text.trimmed().isEmpty());
    });
    return edit;
}

QLineEdit *ServerForm::addFile(const QString &suffix, const QString &label)
{
    QLineEdit *edit = addText(suffix, label, tr("none"), false);
    QAction *browse = edit->addAction(Icons::get(u"action-open"_qs), QLineEdit::TrailingPosition);
    browse->setToolTip(tr("Choose a file"));
    connect(browse, &QAction::triggered, this, [this, edit, label] {
        const QString file = QFileDialog::getOpenFileName(this, label, edit->text());
        if (file.isEmpty())
            return;
        edit->setText(file);
        m_document->setValue(edit->objectName(), file);
    });
    return edit;
}

void ServerForm::loadFromDocument()
{
    for (auto it = m_texts.cbegin(); it != m_texts.cend(); ++it)
        loadKey(it.key());
    loadKey(key(u"PORT"_qs));
    loadKey(key(u"SSL_REQUIRE"_qs));
    for (QLabel *hint : std::as_const(m_requiredLabels))
        hint->hide();
    m_result->hide();
}

void ServerForm::loadKey(const QString &envKey)
{
    if (envKey == key(u"PORT"_qs)) {
        const QSignalBlocker block(m_port);
        m_port->setValue(m_document->value(envKey, u"3306"_qs).toInt());
        return;
    }
    if (envKey == key(u"SSL_REQUIRE"_qs)) {
        static const QStringList yes{u"true"_qs, u"yes"_qs, u"on"_qs, u"1"_qs};
        const QSignalBlocker block(m_requireTls);
        m_requireTls->setChecked(yes.contains(m_document->value(envKey).trimmed().toLower()));
        return;
    }
    QLineEdit *edit = m_texts.value(envKey);
    if (!edit)
        return;
    const QString value = m_document->value(envKey);
    if (edit->text() != value) {
        const QSignalBlocker block(edit);
        edit->setText(value);
    }
}

bool ServerForm::validateRequired()
{
    bool ok = true;
    for (auto it = m_requiredLabels.cbegin(); it != m_requiredLabels.cend(); ++it) {
        const bool empty = m_document->value(it.key()).trimmed().isEmpty();
        it.value()->setVisible(empty);
        ok = ok && !empty;
    }
    return ok;
}

void ServerForm::testConnection()
{
    if (!validateRequired()) {
        m_result->showMessage(MessageBanner::Kind::Warning, tr("Fill in host, user and database first."));
        return;
    }
    ConfigErrors errors; // other parts of the profile may be incomplete; this server's part is what counts
    const Settings settings = m_document->settings(errors);
    m_testJob = m_runner->testConnection(m_role == u"source" ? settings.source : settings.target);
    m_test->setEnabled(false);
    m_test->setText(tr("Testing…"));
    m_result->showMessage(MessageBanner::Kind::Info, tr("Connecting to %1…")
                                                         .arg(m_role == u"source" ? settings.source.displayName()
                                                                                  : settings.target.displayName()));
    m_result->setClosable(false);
}

void ServerForm::onTested(int job, const ConnectionProbeResult &result)
{
    if (job != m_testJob)
        return; // another form's test, or an answer nobody waits for any more
    m_testJob = 0;
    m_test->setEnabled(true);
    m_test->setText(tr("&Test connection"));
    m_result->setClosable(true);
    if (!result.ok) {
        m_result->showMessage(MessageBanner::Kind::Error, result.error, result.hint);
        return;
    }
    const QLocale locale;
    QStringList details;
    details << tr("Server: %1%2")
                   .arg(result.serverVersion,
                        result.versionComment.isEmpty() ? QString() : u" ("_qs + result.versionComment + u')');
    details << tr("Round trip: %1 ms · connecting took %2 ms")
                   .arg(locale.toString(result.roundTripMs, 'f', 2), locale.toString(result.connectMs));
    if (result.tableCount >= 0)
        details << plural(result.tableCount, tr("%1 table in the database"), tr("%1 tables in the database"));
    details << (result.sslCipher.isEmpty() ? tr("Not encrypted (no TLS)") : tr("TLS: %1").arg(result.sslCipher));
    const PrivilegeReport &rights = result.privileges;
    if (result.privilegesKnown && !rights.partial.isEmpty())
        details << tr("%1 granted on some tables only: every table in the list needs it")
                       .arg(rights.partial.join(u", "_qs));
    if (result.privilegesKnown && !rights.missingOptional.isEmpty())
        details << tr("Without %1: %2.").arg(rights.missingOptional.join(u", "_qs), rights.optionalAdvice);
    if (result.privilegesKnown && !rights.complete() && !rights.rolesNotEnabled.isEmpty()) {
        details.prepend(
            tr("Roles granted but not enabled at login do not count (tablesync never runs SET ROLE): "
               "%1. To make one the account's default role: SET DEFAULT ROLE `%2` FOR %3;")
                .arg(rights.rolesNotEnabled.join(u", "_qs), rights.rolesNotEnabled.first(), rights.account));
    }
    if (result.privilegesKnown && rights.complete() && !rights.uncertain.isEmpty()) {
        m_result->showMessage(MessageBanner::Kind::Warning,
                              tr("Connected to %1; %2 may lack %3 there")
                                  .arg(result.server, rights.account, rights.uncertain.join(u", "_qs)),
                              tr("Not sure: %1. If a sync fails for want of it, an administrator of that server "
                                 "can run:\n%2")
                                      .arg(rights.uncertainWhy, rights.grantStatement) +
                                  u"\n\n"_qs + details.join(u'\n'));
        return;
    }
    if (result.privilegesKnown && !rights.complete()) {
        m_result->showMessage(
            MessageBanner::Kind::Error,
            tr("Connected to %1, but %2 lacks %3 there")
                .arg(result.server, rights.account, rights.missing.join(u", "_qs)),
            tr("A sync needs it. As an administrator of that server, run:\n%1").arg(rights.grantStatement) +
                (rights.uncertain.isEmpty()
                     ? QString()
                     : u"\n"_qs + tr("It may lack %1 too (%2); the GRANT covers them.")
                                      .arg(rights.uncertain.join(u", "_qs), rights.uncertainWhy)) +
                u"\n\n"_qs + details.join(u'\n'));
        return;
    }
    m_result->showMessage(result.privilegesKnown && !rights.missingOptional.isEmpty() ? MessageBanner::Kind::Warning
                                                                                      : MessageBanner::Kind::Success,
                          tr("Connected to %1").arg(result.server), details.join(u'\n'));
}

} // namespace tablesync
