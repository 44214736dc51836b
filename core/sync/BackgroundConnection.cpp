#include "sync/BackgroundConnection.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/ThreadConnection.h"

#include <QObject>
#include <QThread>

namespace tablesync {

BackgroundConnection::BackgroundConnection(ConnectionPool &pool, const QString &threadName)
    : m_pool(pool)
    , m_thread(QThread::create([this] { loop(); }))
{
    m_thread->setObjectName(threadName);
    m_thread->start();
}

BackgroundConnection::~BackgroundConnection()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_changed.wakeAll();
    }
    m_thread->wait();
}

void BackgroundConnection::post(Job job)
{
    QMutexLocker lock(&m_mutex);
    m_jobs.push_back(std::move(job));
    m_changed.wakeAll();
}

void BackgroundConnection::loop()
{
    QObject context; // this thread's handle for the pool (no event loop: an idle request waits for the end)
    ThreadConnection connection(m_pool, &context);
    DbConnection *open = nullptr;
    std::exception_ptr failure;
    try {
        open = &connection.checkout();
    } catch (const DbError &) {
        failure = std::current_exception();
    }
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&m_mutex);
            while (m_jobs.empty() && !m_stopping)
                m_changed.wait(&m_mutex);
            if (m_jobs.empty())
                break;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job(open, failure);
    }
    // Returned and then closed with `connection`: this thread ends, so nobody could reuse it.
    if (connection.isCheckedOut())
        connection.checkin();
}

} // namespace tablesync
