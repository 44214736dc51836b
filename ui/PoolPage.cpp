#include "PoolPage.h"

#include "PoolChart.h"
#include "PoolPanel.h"
#include "RunController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace tablesync {

PoolPage::PoolPage(RunController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_source(new PoolPanel(tr("Source pool"), this))
    , m_target(new PoolPanel(tr("Target pool"), this))
{
    auto *intro = new QLabel(tr("Each server has a pool of POOL_SIZE connections plus up to MAX_OVERFLOW more under "
                                "load. Callers <b>waiting</b> for a connection mean the pool is too small for "
                                "SYNC_WORKERS; after POOL_TIMEOUT seconds they fail with \"pool limit reached\"."),
                             this);
    intro->setWordWrap(true);
    auto *panels = new QHBoxLayout;
    panels->addWidget(m_source, 1);
    panels->addWidget(m_target, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(panels, 1);

    connect(m_controller, &RunController::poolSampled, this, &PoolPage::onSample);
    connect(m_controller, &RunController::scheduleChanged, this, &PoolPage::onSettingsShown);
    onSettingsShown();
}

void PoolPage::onSample(const PoolStats &source, const PoolStats &target)
{
    const QDateTime now = QDateTime::currentDateTime();
    m_source->showStats(now, source);
    m_target->showStats(now, target);
}

void PoolPage::onSettingsShown()
{
    if (m_controller->isRunning() || m_source->chart()->sampleCount() > 0)
        return;
    const Settings &settings = m_controller->settings();
    m_source->showNoEngine(settings.poolSize, settings.maxOverflow);
    m_target->showNoEngine(settings.poolSize, settings.maxOverflow);
}

} // namespace tablesync
