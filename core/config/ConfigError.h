#pragma once

#include <QList>
#include <QString>

namespace tablesync {

// One problem found in the configuration. Every error names where it was found
// (the file and a line or an entry) so a user can go straight to it.
struct ConfigError
{
    QString file;     // path as the user gave it, or "environment"
    QString location; // "line 3", "entry 2 (orders)", "" when the whole file is concerned
    QString message;  // what is wrong, in plain words

    QString toString() const
    {
        QString text = file;
        if (!location.isEmpty())
            text += u", "_qs + location;
        return text + u": "_qs + message;
    }
};

using ConfigErrors = QList<ConfigError>;

} // namespace tablesync
