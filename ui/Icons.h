#pragma once

#include "TableRunState.h"

#include <QIcon>
#include <QString>

namespace tablesync {

// The app's SVG icons from resources/icons (compiled into the ui library).
namespace Icons {

// `name` is a file name without ".svg", e.g. "action-run", "nav-tables".
QIcon get(const QString &name);
QIcon forState(TableRunState state);

} // namespace Icons
} // namespace tablesync
