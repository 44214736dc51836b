#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>

class QThread;

namespace tablesync {

class ConnectionPool;
class DbConnection;

// A second connection to one server, on a thread of its own, so that a query there runs while
// the calling thread runs another one on its own connection (comparing a chunk on source and
// target at once). QtSql connections belong to the thread that opened them (FACTS-qt-mysql.md),
// so the work travels to the connection's thread, not the connection to the work. The
// connection comes from the pool on that thread and goes back to it when this object ends.
class BackgroundConnection
{
public:
    BackgroundConnection(ConnectionPool &pool, const QString &threadName);
    ~BackgroundConnection(); // finishes the queued tasks, returns the connection, ends the thread
    BackgroundConnection(const BackgroundConnection &) = delete;
    BackgroundConnection &operator=(const BackgroundConnection &) = delete;

    // Queues `task`; the future holds its result, or throws what it threw (a DbError, or the
    // failure to get a connection from the pool). Tasks run one at a time, in order.
    template<typename Result> std::future<Result> run(std::function<Result(DbConnection &)> task)
    {
        auto promise = std::make_shared<std::promise<Result>>();
        std::future<Result> future = promise->get_future();
        post([promise, task = std::move(task)](DbConnection *connection, const std::exception_ptr &failure) {
            try {
                if (!connection)
                    std::rethrow_exception(failure);
                promise->set_value(task(*connection));
            } catch (...) {
                promise->set_exception(std::current_exception());
            }
        });
        return future;
    }

private:
    using Job = std::function<void(DbConnection *, const std::exception_ptr &)>;
    void post(Job job);
    void loop();

    ConnectionPool &m_pool;
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    std::unique_ptr<QThread> m_thread;
};

// Runs `task` on `background`'s thread, or at once on `here` when there is no background
// connection (the future is then ready, holding the result or what the task threw).
template<typename Result>
std::future<Result> runInBackgroundOrHere(BackgroundConnection *background, DbConnection &here,
                                          std::function<Result(DbConnection &)> task)
{
    if (background)
        return background->run<Result>(std::move(task));
    std::promise<Result> promise;
    try {
        promise.set_value(task(here));
    } catch (...) {
        promise.set_exception(std::current_exception());
    }
    return promise.get_future();
}

} // namespace tablesync
