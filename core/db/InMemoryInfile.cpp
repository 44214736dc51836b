#include "db/InMemoryInfile.h"

#include <mysql.h>

#include <algorithm>
#include <cstring>

namespace tablesync {

InMemoryInfile::InMemoryInfile(st_mysql *handle, QByteArray name, QByteArrayView bytes)
    : m_handle(handle)
    , m_name(std::move(name))
    , m_bytes(bytes)
{
    mysql_set_local_infile_handler(m_handle, &InMemoryInfile::open, &InMemoryInfile::read, &InMemoryInfile::close,
                                   &InMemoryInfile::error, this);
}

InMemoryInfile::~InMemoryInfile()
{
    // No handler at all, rather than mysql_set_local_infile_default(): that keeps this object as
    // the user data, which libmariadb's own handler would take for the connection. Without one,
    // libmariadb installs its own with the right user data at the next request.
    mysql_set_local_infile_handler(m_handle, nullptr, nullptr, nullptr, nullptr, m_handle);
}

int InMemoryInfile::open(void **state, const char *name, void *self)
{
    auto *feed = static_cast<InMemoryInfile *>(self);
    *state = feed;
    feed->m_sent = 0;
    feed->m_refused = feed->m_name != name;
    return feed->m_refused ? 1 : 0;
}

int InMemoryInfile::read(void *state, char *buffer, unsigned int size)
{
    auto *feed = static_cast<InMemoryInfile *>(state);
    const qsizetype chunk = std::min<qsizetype>(size, feed->m_bytes.size() - feed->m_sent);
    std::memcpy(buffer, feed->m_bytes.data() + feed->m_sent, size_t(chunk));
    feed->m_sent += chunk;
    return int(chunk); // 0: the end of the file
}

void InMemoryInfile::close(void *) {}

int InMemoryInfile::error(void *state, char *message, unsigned int size)
{
    auto *feed = static_cast<InMemoryInfile *>(state);
    QByteArray text("tablesync: the server asked for a file other than ");
    text += feed->m_name;
    if (size > 0) {
        const size_t length = std::min<size_t>(size - 1, size_t(text.size()));
        std::memcpy(message, text.constData(), length);
        message[length] = '\0';
    }
    return 2000; // CR_UNKNOWN_ERROR
}

} // namespace tablesync
