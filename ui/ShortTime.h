#pragma once

#include <QDateTime>
#include <QLocale>

namespace tablesync {

// A moment as a table cell shows it: the time for today, the date and time before that.
inline QString shortWhen(const QDateTime &when)
{
    const QLocale locale;
    if (when.date() == QDate::currentDate())
        return locale.toString(when.time(), u"HH:mm:ss");
    return locale.toString(when, QLocale::ShortFormat);
}

} // namespace tablesync
