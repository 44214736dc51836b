#include "Icons.h"

#include <QHash>

// Resources of a static library must be initialised by name from outside any namespace; doing it
// here also keeps the linker from dropping them.
static void initUiIcons()
{
    Q_INIT_RESOURCE(ui_icons);
}

namespace tablesync::Icons {

QIcon get(const QString &name)
{
    static bool initialised = false;
    if (!initialised) {
        initUiIcons();
        initialised = true;
    }
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(u":/icons/"_qs + name + u".svg"_qs));
    return *it;
}

QIcon forState(TableRunState state)
{
    switch (state) {
    case TableRunState::Idle:
        return get(u"state-idle"_qs);
    case TableRunState::Queued:
        return get(u"state-queued"_qs);
    case TableRunState::Running:
        return get(u"state-running"_qs);
    case TableRunState::Done:
        return get(u"state-done"_qs);
    case TableRunState::Failed:
        return get(u"state-failed"_qs);
    case TableRunState::Stopped:
        return get(u"state-stopped"_qs);
    }
    return {};
}

} // namespace tablesync::Icons
