#include "ConnectionsPage.h"

#include "HealthForm.h"
#include "MessageBanner.h"
#include "OptionsForm.h"
#include "Plural.h"
#include "ProfileDocument.h"
#include "ServerForm.h"

#include <QHBoxLayout>
#include <QLabel>
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
    connect(debounce, &QTimer::timeout, this, &ConnectionsPage::updateBanner);
    connect(document, &ProfileDocument::valueChanged, debounce, qOverload<>(&QTimer::start));
    connect(document, &ProfileDocument::loaded, this, &ConnectionsPage::updateBanner);
    updateBanner();
}

void ConnectionsPage::updateBanner()
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
            lines << (e.location.isEmpty() ? e.message : e.location + u": "_qs + e.message);
    }
    if (lines.isEmpty()) {
        m_banner->hide();
        return;
    }
    m_banner->showMessage(MessageBanner::Kind::Warning,
                          plural(lines.size(), tr("%1 setting needs attention before this profile can sync"),
                                 tr("%1 settings need attention before this profile can sync")),
                          lines.join(u'\n'));
}

} // namespace tablesync
