#pragma once

#include <QCoreApplication>
#include <QString>

namespace tablesync {

// Where one table stands in the current or last run, as the run monitor and tray show it.
enum class TableRunState { Idle, Queued, Running, Done, Failed, Stopped };

inline QString tableRunStateName(TableRunState state)
{
    switch (state) {
    case TableRunState::Idle:
        return QCoreApplication::translate("TableRunState", "idle");
    case TableRunState::Queued:
        return QCoreApplication::translate("TableRunState", "queued");
    case TableRunState::Running:
        return QCoreApplication::translate("TableRunState", "running");
    case TableRunState::Done:
        return QCoreApplication::translate("TableRunState", "done");
    case TableRunState::Failed:
        return QCoreApplication::translate("TableRunState", "failed");
    case TableRunState::Stopped:
        return QCoreApplication::translate("TableRunState", "stopped");
    }
    return {};
}

} // namespace tablesync
