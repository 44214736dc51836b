#pragma once

#include "db/PoolStats.h"

#include <QWidget>

namespace tablesync {

class PoolPanel;
class RunController;

// Page 4: both connection pools side by side, live.
class PoolPage : public QWidget
{
    Q_OBJECT
public:
    explicit PoolPage(RunController *controller, QWidget *parent = nullptr);

    PoolPanel *sourcePanel() const { return m_source; }
    PoolPanel *targetPanel() const { return m_target; }

private:
    void onSample(const PoolStats &source, const PoolStats &target);
    void onSettingsShown();

    RunController *m_controller = nullptr;
    PoolPanel *m_source = nullptr;
    PoolPanel *m_target = nullptr;
};

} // namespace tablesync
