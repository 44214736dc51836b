#include "HealthForm.h"

#include "GuiSettings.h"

#include "Icons.h"
#include "ProfileDocument.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tablesync {

namespace {
constexpr int kDefaultPort = 8089;
const QString kHost = u"HEALTH_HOST"_qs;
const QString kPort = u"HEALTH_PORT"_qs;
const QString kToken = u"HEALTH_TOKEN"_qs;
const QString kTokenFile = u"HEALTH_TOKEN_FILE"_qs;

// As the health server decides it (HealthServer warns alike): only a loopback address keeps
// other machines out. A name other than localhost may resolve to anything.
bool onlyThisMachine(const QString &host)
{
    const QString trimmed = host.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(u"localhost"_qs, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(trimmed);
    return !address.isNull() && address.isLoopback();
}
} // namespace

HealthForm::HealthForm(ProfileDocument *document, QWidget *parent)
    : QGroupBox(tr("Health server"), parent)
    , m_document(document)
{
    setAccessibleName(title());
    auto *layout = new QVBoxLayout(this);
    auto *columns = new QHBoxLayout;
    layout->addLayout(columns);
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    for (QFormLayout *form : {left, right})
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow); // the port stays narrow
    columns->addLayout(left, 1);
    columns->addSpacing(12);
    columns->addLayout(right, 1);

    m_host = addLine(kHost, u"127.0.0.1"_qs);
    m_host->setToolTip(tr("The address the health server listens on (.env key HEALTH_HOST); 0.0.0.0 listens on "
                          "every interface"));
    left->addRow(tr("&Listen on"), m_host);
    m_port = new QSpinBox(this);
    m_port->setObjectName(kPort);
    m_port->setRange(1, 65535);
    m_port->setGroupSeparatorShown(false);
    m_port->setToolTip(tr(".env key HEALTH_PORT, default %1").arg(kDefaultPort));
    m_port->setAccessibleName(tr("Health server port"));
    left->addRow(tr("P&ort"), m_port);
    connect(m_port, &QSpinBox::valueChanged, this,
            [this](int port) { m_document->setNumber(kPort, port, kDefaultPort); });

    m_token = addLine(kToken, tr("none"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr(".env key HEALTH_TOKEN: clients of /status, /metrics and /dashboard send "
                           "\"Authorization: Bearer <token>\"; / and /healthz stay open"));
    QAction *reveal = m_token->addAction(Icons::get(u"action-eye"_qs), QLineEdit::TrailingPosition);
    reveal->setCheckable(true);
    reveal->setToolTip(tr("Show the token"));
    connect(reveal, &QAction::toggled, m_token,
            [this](bool shown) { m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password); });
    auto *generate = new QPushButton(tr("&Generate"), this);
    generate->setObjectName(u"generateHealthToken"_qs);
    generate->setToolTip(tr("Puts a new random token here (64 hex digits); save the profile to keep it"));
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(generate);
    auto *tokenLabel = new QLabel(tr("Access &token"), this);
    tokenLabel->setBuddy(m_token);
    right->addRow(tokenLabel, tokenRow);
    connect(generate, &QPushButton::clicked, this, [this] {
        const QString token = randomToken();
        m_token->setText(token);
        m_document->setValue(kToken, token);
    });

    m_tokenFile = addLine(kTokenFile, tr("none"));
    m_tokenFile->setToolTip(tr(".env key HEALTH_TOKEN_FILE: the token read from this file instead (a systemd "
                               "credential or Docker secret, say); not together with an access token above"));
    QAction *browse = m_tokenFile->addAction(Icons::get(u"action-open"_qs), QLineEdit::TrailingPosition);
    browse->setToolTip(tr("Choose a file"));
    connect(browse, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Token file"), m_tokenFile->text());
        if (file.isEmpty())
            return;
        m_tokenFile->setText(file);
        m_document->setValue(kTokenFile, file);
    });
    right->addRow(tr("Token &file"), m_tokenFile);

    m_note = new QLabel(this);
    m_note->setObjectName(u"healthNote"_qs);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::RichText); // both texts are HTML (the address escaped), warning or not
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);

    auto *windowRow = new QHBoxLayout;
    m_windowServer = new QCheckBox(tr("Also serve them from this &window while it is open, on port"), this);
    m_windowServer->setObjectName(u"windowHealthServer"_qs);
    m_windowPort = new QSpinBox(this);
    m_windowPort->setObjectName(u"windowHealthPort"_qs);
    m_windowPort->setRange(1, 65535);
    m_windowPort->setGroupSeparatorShown(false);
    m_windowPort->setAccessibleName(tr("Port of the window's health server"));
    const int windowPort = GuiSettings::windowHealthPort();
    m_windowServer->setChecked(windowPort > 0);
    m_windowPort->setValue(windowPort > 0 ? windowPort : GuiSettings::kSuggestedWindowHealthPort);
    m_windowPort->setEnabled(windowPort > 0);
    m_windowServer->setToolTip(tr("A setting of this desktop app, not of the profile: the headless service keeps "
                                  "HEALTH_PORT to itself, so both can run on one machine"));
    windowRow->addWidget(m_windowServer);
    windowRow->addWidget(m_windowPort);
    windowRow->addStretch(1);
    layout->addLayout(windowRow);
    const auto applyWindowServer = [this] {
        m_windowPort->setEnabled(m_windowServer->isChecked());
        GuiSettings::setWindowHealthPort(m_windowServer->isChecked() ? m_windowPort->value() : 0);
        updateNote();
        Q_EMIT windowServerChanged();
    };
    connect(m_windowServer, &QCheckBox::toggled, this, applyWindowServer);
    connect(m_windowPort, &QSpinBox::editingFinished, this, applyWindowServer);

    connect(m_document, &ProfileDocument::loaded, this, &HealthForm::loadFromDocument);
    connect(m_document, &ProfileDocument::valueChanged, this, &HealthForm::loadKey);
    loadFromDocument();
}

QString HealthForm::randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toHex());
}

QLineEdit *HealthForm::addLine(const QString &key, const QString &placeholder)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(key);
    edit->setPlaceholderText(placeholder);
    connect(edit, &QLineEdit::textEdited, this,
            [this, key](const QString &text) { m_document->setValue(key, text.trimmed()); });
    return edit;
}

void HealthForm::loadFromDocument()
{
    for (const QString &key : {kHost, kPort, kToken, kTokenFile})
        loadKey(key);
}

void HealthForm::loadKey(const QString &key)
{
    if (key == kPort) {
        const QSignalBlocker block(m_port);
        bool ok = false;
        const int port = m_document->value(key).trimmed().toInt(&ok);
        m_port->setValue(ok ? port : kDefaultPort);
    } else if (QLineEdit *edit = key == kHost        ? m_host
                                 : key == kToken     ? m_token
                                 : key == kTokenFile ? m_tokenFile
                                                     : nullptr) {
        const QString value = m_document->value(key);
        if (edit->text() != value) {
            const QSignalBlocker block(edit);
            edit->setText(value);
        }
    } else {
        return;
    }
    updateNote();
}

void HealthForm::updateNote()
{
    const bool guarded = !m_token->text().trimmed().isEmpty() || !m_tokenFile->text().trimmed().isEmpty();
    const QString host = m_host->text().trimmed().isEmpty() ? m_host->placeholderText() : m_host->text().trimmed();
    const QString where = QStringLiteral("http://%1:%2/").arg(host).arg(m_port->value());
    if (!guarded && !onlyThisMachine(host)) {
        m_note->setText(tr("<b>Other machines can read /status, /metrics and /dashboard at %1 without a token.</b> "
                           "Set one, or listen on 127.0.0.1.")
                            .arg(where.toHtmlEscaped()));
        m_note->setStyleSheet(u"color: #b35c00;"_qs);
        return;
    }
    m_note->setStyleSheet(QString());
    m_note->setText(guarded ? tr("Served at %1 by the headless service (tablesync --headless); /status, "
                                 "/metrics and /dashboard need the token.")
                                  .arg(where.toHtmlEscaped())
                            : tr("Served at %1 by the headless service (tablesync --headless), to this "
                                 "machine only.")
                                  .arg(where.toHtmlEscaped()));
}

} // namespace tablesync
