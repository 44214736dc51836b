#pragma once

#include <QObject>

namespace tablesync {

class LogModel;
class RunController;
class VerifyController;

// Turns what the engine reports into log lines with a level, in the headless log's wording
// (pool lines keep the old pipeline's "Source pool status - Size: 20, Checked out: 5").
class RunLogger : public QObject
{
    Q_OBJECT
public:
    RunLogger(RunController *controller, LogModel *log, QObject *parent = nullptr);

    // Verifications and repairs too, worded as `tablesync --verify` prints them.
    void follow(VerifyController *verifier);

private:
    LogModel *m_log = nullptr;
};

} // namespace tablesync
