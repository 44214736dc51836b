#include "ConnectionsPage.h"

#include "HealthForm.h"
#include "MessageBanner.h"
#include "OptionsForm.h"
#include "Plural.h"
#include "ProfileDocument.h"
#include "ServerForm.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

namespace tablesync {

ConnectionsPage::ConnectionsPage(ProfileDocument *document, DbTaskRunner *runner, PasswordStore *passwords,
                                 QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    auto *intro = new QLabel(tr("tablesync reads the tables of the <b>source</b> database and keeps the same tables "
                                "of the <b>target</b> database in step. These settings are the profile's "
                                "<code>.env</code> file."),
                             content);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_banner = new MessageBanner(content);
    m_banner->setObjectName(u"connectionsBanner"_qs);
    m_banner->setClosable(false);
    layout->addWidget(m_banner);

    auto *servers = new QHBoxLayout;
    m_source = new ServerForm(u"source"_qs, document, runner, content);
    m_target = new ServerForm(u"target"_qs, document, runner, content);
    servers->addWidget(m_source, 1);
    servers->addWidget(m_target, 1);
    layout->addLayout(servers);
    layout->addWidget(new OptionsForm(document, passwords, content));
    layout->addWidget(new HealthForm(document, content));
    layout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    // Validation after the keystrokes settle, not on each one.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(300);
    // While the user types, a hidden banner stays hidden (the field's own message says what is
    // wrong) so that the form never jumps under the cursor; a shown one is kept up to date.
    connect(debounce, &QTimer::timeout, this, [this] { updateBanner(false); });
    connect(document, &ProfileDocument::valueChanged, debounce, qOverload<>(&QTimer::start));
    connect(document, &ProfileDocument::loaded, this, [this] { updateBanner(true); });
    connect(document, &ProfileDocument::saved, this, [this] { updateBanner(true); });
    updateBanner(true);
}

QString ConnectionsPage::inFormWords(QString message)
{
    // The form's labels, with the .env key after them for whoever edits the file by hand.
    static const std::pair<const char16_t *, const char16_t *> kLabels[] = {
        {u"SSL_REQUIRE", u"Require TLS"},
        {u"SSL_CERT", u"TLS certificate"},
        {u"SSL_CA", u"TLS CA file"},
        {u"SSL_KEY", u"TLS key"},
        {u"HOST", u"Host"},
        {u"PORT", u"Port"},
        {u"USER", u"User"},
        {u"PASS", u"Password"},
        {u"NAME", u"Database"},
    };
    for (const QString &role : {u"SOURCE"_qs, u"TARGET"_qs}) {
        const QString server = role == u"SOURCE" ? tr("source") : tr("target");
        for (const auto &[suffix, label] : kLabels) {
            const QString key = role + u"_DB_"_qs + QString::fromUtf16(suffix);
            const QRegularExpression whole(u"\\b"_qs + key + u"\\b(?! \\()"_qs);
            message.replace(whole, tr("%1 of the %2 server (%3)").arg(QString::fromUtf16(label), server, key));
        }
    }
    return message;
}

void ConnectionsPage::updateBanner(bool mayAppear)
{
    if (!m_document->hasFiles() && !m_document->isDirty()) {
        m_banner->showMessage(MessageBanner::Kind::Info, tr("A new profile"),
                              tr("Enter the two servers below, test them, then pick tables on the Tables page. "
                                 "Or open an existing .env and tables.json with File › Open (Ctrl+O)."));
        return;
    }
    ConfigErrors errors;
    m_document->settings(errors);
    QStringList lines;
    for (const ConfigError &e : std::as_const(errors)) {
        if (e.message != u"no tables configured") // the Tables page says that
            lines << inFormWords(e.location.isEmpty() ? e.message : e.location + u": "_qs + e.message);
    }
    if (lines.isEmpty()) {
        if (m_banner->isVisible() && !mayAppear)
            m_banner->showMessage(MessageBanner::Kind::Success, tr("Every setting is complete"),
                                  tr("Test the connections, then pick tables on the Tables page."));
        else
            m_banner->hide();
        return;
    }
    // The server forms mark their own fields; anything else (the health token, say) has only the banner.
    const bool onlyMarkedFields = std::all_of(errors.cbegin(), errors.cend(), [](const ConfigError &e) {
        return e.message.contains(u"SOURCE_DB_"_qs) || e.message.contains(u"TARGET_DB_"_qs) ||
               e.message == u"no tables configured";
    });
    if (!m_banner->isVisible() && !mayAppear && onlyMarkedFields)
        return;
    m_banner->showMessage(MessageBanner::Kind::Warning,
                          plural(lines.size(), tr("%1 setting needs attention before this profile can sync"),
                                 tr("%1 settings need attention before this profile can sync")),
                          lines.join(u'\n'));
}

} // namespace tablesync
