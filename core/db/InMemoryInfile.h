#pragma once

#include <QByteArray>
#include <QByteArrayView>

struct st_mysql;

namespace tablesync {

// While it lives, a `LOAD DATA LOCAL INFILE` on the handle reads `bytes` instead of a file: the
// server asks the client for the file by name, and the client answers with these bytes (the C
// API's local infile handler). No page file is written, read back and removed, and a killed
// process leaves nothing behind. A request for any other name is refused, so a server cannot
// read a client file through it either. The destructor puts libmariadb's own handler back.
class InMemoryInfile
{
public:
    InMemoryInfile(st_mysql *handle, QByteArray name, QByteArrayView bytes);
    ~InMemoryInfile();
    InMemoryInfile(const InMemoryInfile &) = delete;
    InMemoryInfile &operator=(const InMemoryInfile &) = delete;

private:
    static int open(void **state, const char *name, void *self);
    static int read(void *state, char *buffer, unsigned int size);
    static void close(void *state);
    static int error(void *state, char *message, unsigned int size);

    st_mysql *m_handle;
    QByteArray m_name;
    QByteArrayView m_bytes;
    qsizetype m_sent = 0;
    bool m_refused = false;
};

} // namespace tablesync
