#pragma once

#include "db/DbConnection.h"
#include "db/DbError.h"

namespace tablesync {

// One consistent, read-only view of the source for as long as it lives: every page read through
// the connection meanwhile sees the same rows. A row changed during the copy then appears once,
// not once per version; with parallel writers an older version read early could otherwise
// overwrite a newer one read later. Ends with end(), or is rolled back when left by an exception.
class SourceSnapshot
{
public:
    explicit SourceSnapshot(DbConnection &source)
        : m_source(source)
    {
        m_source.exec(u"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"_qs,
                      u"starting a snapshot of the source"_qs);
    }
    ~SourceSnapshot()
    {
        if (m_open)
            m_source.rollback(); // never throws; a lost connection has ended the snapshot anyway
    }
    SourceSnapshot(const SourceSnapshot &) = delete;
    SourceSnapshot &operator=(const SourceSnapshot &) = delete;

    void end()
    {
        m_open = false;
        m_source.exec(u"COMMIT"_qs, u"ending the source snapshot"_qs);
    }

private:
    DbConnection &m_source;
    bool m_open = true;
};

} // namespace tablesync
