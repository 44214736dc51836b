#include "sync/KeyOrderFirstLoad.h"

#include "db/DbConnection.h"
#include "db/SqlDialect.h"
#include "sync/Bookkeeping.h"
#include "sync/KeyToken.h"
#include "sync/PageReader.h"
#include "sync/PipelinedCopy.h"
#include "sync/SourceSnapshot.h"
#include "sync/TableJob.h"

namespace tablesync {

KeyOrderFirstLoad::KeyOrderFirstLoad(SyncContext &context, const TableSpec &spec, Input input)
    : m_context(context)
    , m_spec(spec)
    , m_input(std::move(input))
    , m_modifier(*m_input.source.column(spec.modifier))
{}

KeyOrderFirstLoad::Outcome KeyOrderFirstLoad::run()
{
    const QString table = m_spec.table;
    Bookkeeping bookkeeping(m_context.target);
    std::optional<Bookkeeping::FirstLoad> state = bookkeeping.firstLoad(table, m_modifier.name);
    std::optional<QVariantList> resumeAfter;
    if (state && !state->afterKey.isEmpty()) {
        resumeAfter = KeyToken::decode(state->afterKey);
        // An emptied target (or a state row not of our making) has nothing to resume from.
        if (!resumeAfter || m_input.targetEmpty || resumeAfter->size() != m_input.keyIndexes.size())
            state.reset();
    }
    if (!state)
        resumeAfter.reset();

    Outcome outcome;
    outcome.resumed = resumeAfter.has_value();
    SourceSnapshot snapshot(m_context.source);
    Bookkeeping::CursorState whenDone;
    if (state) {
        whenDone = state->whenDone;
    } else {
        whenDone = m_input.decideInSnapshot();
        if (!whenDone.start) {
            snapshot.end();
            m_context.progress.onTableMessage(table,
                                              u"no row has a "_qs + m_modifier.name + u" value: nothing to copy"_qs);
            return outcome;
        }
        bookkeeping.beginFirstLoad(table, m_modifier.name, whenDone, m_context.loadId);
    }

    QList<ColumnInfo> keys;
    for (int index : std::as_const(m_input.keyIndexes))
        keys << m_input.written.at(index);
    PageReader reader(m_context.source, m_context.dialect, m_input.source.name, m_input.read, keys, m_input.pageRows,
                      std::nullopt);
    if (m_modifier.nullable) // as an incremental pass does: rows without a modifier value are not synced
        reader.setCondition(m_context.dialect.quoteIdentifier(m_modifier.name) + u" IS NOT NULL"_qs);
    if (resumeAfter)
        reader.startAfter(*resumeAfter);
    // Into an empty table (or the rest of one, when resuming) LOAD DATA's inserts are what is
    // needed; a page that meets rows already there falls back to upserts by itself.
    const bool bulkLoad = m_input.targetEmpty || resumeAfter.has_value();
    if (bulkLoad)
        reader.preferTextProtocol(); // LOAD DATA takes the pages as the server's text

    const QString why = resumeAfter ? u"resuming the first load after the rows an earlier run committed"_qs
                                    : u"large first load, in key order"_qs;
    m_context.progress.onTableMessage(
        table, why + QStringLiteral(": reading and writing in parallel with %1 writer connection(s)")
                         .arg(m_context.copyWriters));
    PipelinedCopy copy(
        *m_context.targetPool, m_context.dialect,
        {m_input.source.name, m_input.written, m_input.keyIndexes, m_context.loadId, /*upsert=*/true, bulkLoad},
        m_context.copyWriters, m_context.stopRequested, m_context.progress, table);
    copy.setBeforeEachPage([this] { m_context.stillHoldingTheTable(); });
    copy.setProgressMark(
        [keyIndexes = m_input.keyIndexes](const Page &page) {
            QVariantList key;
            for (int index : keyIndexes)
                key << page.valueAt(page.rowCount() - 1, index);
            return KeyToken::encode(key);
        },
        [table](DbConnection &connection, const QString &afterKey) {
            Bookkeeping(connection).saveFirstLoadProgress(table, afterKey);
        });
    outcome.rowsWritten = copy.run(reader, m_input.source.estimatedRows, outcome.stopped);
    snapshot.end();
    if (outcome.stopped)
        return outcome;
    bookkeeping.saveCursorState(table, m_modifier.name, whenDone, m_context.loadId);
    outcome.cursor = whenDone.start ? whenDone.start->modifier : QString();
    return outcome;
}

} // namespace tablesync
