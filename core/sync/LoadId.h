#pragma once

#include <QString>

namespace tablesync::LoadId {

// A dlt-style load id: epoch seconds with a six-digit fraction ("1732435200.123456").
// Strictly increasing within the process, even when the clock does not move or steps back.
QString next();

} // namespace tablesync::LoadId
