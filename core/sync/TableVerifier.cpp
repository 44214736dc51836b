#include "sync/TableVerifier.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SchemaReader.h"
#include "sync/BackgroundConnection.h"
#include "sync/FullRefresh.h"
#include "sync/KeyedRows.h"
#include "sync/RowMultisetComparer.h"
#include "sync/SoftDeletes.h"
#include "sync/TableComparer.h"
#include "sync/TableJob.h"

namespace tablesync {

namespace {
constexpr int kSampleKeys = 5;
}

TableVerifier::TableVerifier(SyncContext &context, const TableSpec &spec, const TableSchema &source,
                             TableResult &result)
    : m_context(context)
    , m_spec(spec)
    , m_source(source)
    , m_result(result)
{}

QList<ColumnInfo> TableVerifier::keyColumns(const QList<ColumnInfo> &columns) const
{
    QList<ColumnInfo> keys;
    for (const QString &key : m_spec.primaryKey) {
        for (const ColumnInfo &c : columns) {
            if (c.name.compare(key, Qt::CaseInsensitive) == 0)
                keys << c;
        }
    }
    return keys;
}

std::unique_ptr<BackgroundConnection> TableVerifier::backgroundTarget(const SyncContext &context)
{
    // The connections a large copy's writers may take are free now; a thread and a connection cost
    // a few milliseconds, which one chunk of overlap pays back on any table worth comparing.
    if (!context.targetPool || context.copyWriters < 1)
        return nullptr;
    return std::make_unique<BackgroundConnection>(*context.targetPool, u"compare-target"_qs);
}

TableSchema TableVerifier::readTarget() const
{
    TableSchema target = SchemaReader::readTable(m_context.target, m_source.name);
    if (!target.exists)
        throw DbError(u"the target has no table "_qs + m_source.name + u"; run a sync first"_qs);
    return target;
}

QList<ColumnInfo> TableVerifier::comparedColumns(const TableSchema &target, QStringList &notInTarget) const
{
    QList<ColumnInfo> columns;
    for (const ColumnInfo &c : m_source.columns) {
        if (c.generated)
            continue;
        if (target.column(c.name))
            columns << c;
        else
            notInTarget << c.name;
    }
    return columns;
}

bool TableVerifier::comparesLiveRowsOnly(const TableSchema &target) const
{
    return m_spec.deletes == TableSpec::Deletes::Soft && target.column(SoftDeletes::column());
}

void TableVerifier::propagateDeletes()
{
    const TableSchema target = readTarget();
    QStringList ignored;
    const QList<ColumnInfo> columns = comparedColumns(target, ignored);
    const QList<ColumnInfo> keys = keyColumns(columns);
    const bool soft = m_spec.deletes == TableSpec::Deletes::Soft;
    if (soft && !target.column(SoftDeletes::column())) {
        SoftDeletes::addColumn(m_context.target, m_context.dialect, m_source.name);
        m_context.progress.onTableMessage(m_spec.table, u"schema: added the "_qs + SoftDeletes::column() +
                                                            u" column for soft deletes"_qs);
    }
    TableComparer comparer(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                           m_spec.primaryKey, TableComparer::Scope::Keys);
    if (soft)
        comparer.setTargetCondition(SoftDeletes::liveCondition(m_context.dialect));
    const std::unique_ptr<BackgroundConnection> background = backgroundTarget(m_context);
    comparer.setBackgroundTarget(background.get());
    comparer.setStopFlag(&m_context.stopRequested);
    qint64 marked = 0;
    qint64 madeLive = 0;
    m_context.progress.onTableMessage(
        m_spec.table,
        QStringLiteral("deletes: comparing the keys of ~%1 row(s)").arg(std::max<qint64>(0, m_source.estimatedRows)));
    comparer.run(
        [&](const TableComparer::Difference &difference) {
            // Soft: a key missing among the live rows may be a marked row that came back.
            if (difference.extra.isEmpty() && (!soft || difference.missing.isEmpty()))
                return;
            m_context.aboutToWriteRows();
            m_context.target.beginTransaction();
            if (soft) {
                marked += KeyedRows::markDeletedInTarget(m_context.target, m_context.dialect, m_source.name, keys,
                                                         difference.extra, m_context.loadId);
                madeLive += KeyedRows::markLiveInTarget(m_context.target, m_context.dialect, m_source.name, keys,
                                                        difference.missing);
            } else {
                m_result.deletedRows += KeyedRows::deleteFromTarget(m_context.target, m_context.dialect, m_source.name,
                                                                    keys, difference.extra);
            }
            m_context.target.commit();
        },
        // Progress as a verification reports it (no rows in the batch): keeps the health
        // server's "still progressing" fresh through the comparison of a very large table.
        [&](qint64 compared) {
            m_context.progress.onBatchCommitted(m_spec.table, 0, compared, m_source.estimatedRows);
        });
    if (comparer.stopped())
        m_result.outcome = TableOutcome::Stopped;
    const QString compared = QStringLiteral("deletes: compared %1 chunk(s) of keys, %2 differed, ")
                                 .arg(comparer.chunksCompared())
                                 .arg(comparer.chunksDiffering());
    m_context.progress.onTableMessage(
        m_spec.table,
        soft ? compared + QStringLiteral("marked %1 row(s) no longer in the source as deleted, made %2 row(s) back "
                                         "in the source live again")
                              .arg(marked)
                              .arg(madeLive)
             : compared + QStringLiteral("deleted %1 row(s) no longer in the source").arg(m_result.deletedRows));
}

void TableVerifier::verify(bool repair)
{
    m_result.verified = true;
    const TableSchema target = readTarget();
    const bool liveOnly = comparesLiveRowsOnly(target);
    QStringList notInTarget;
    const QList<ColumnInfo> columns = comparedColumns(target, notInTarget);
    if (!notInTarget.isEmpty()) {
        m_context.progress.onTableMessage(m_spec.table, u"verify: not compared, missing in the target: "_qs +
                                                            notInTarget.join(u", "_qs));
    }
    if (m_spec.primaryKey.isEmpty()) {
        verifyWithoutKey(columns, repair);
        return;
    }
    const QList<ColumnInfo> keys = keyColumns(columns);
    auto sample = [this](const QList<QVariantList> &found, const QString &what) {
        for (const QVariantList &key : found) {
            if (m_result.sampleKeys.size() >= kSampleKeys)
                return;
            m_result.sampleKeys << what + u' ' + KeyedRows::describe(key);
        }
    };

    TableComparer comparer(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                           m_spec.primaryKey, TableComparer::Scope::Content);
    if (liveOnly)
        comparer.setTargetCondition(SoftDeletes::liveCondition(m_context.dialect));
    const std::unique_ptr<BackgroundConnection> background = backgroundTarget(m_context);
    comparer.setBackgroundTarget(background.get());
    comparer.setStopFlag(&m_context.stopRequested);
    comparer.run(
        [&](const TableComparer::Difference &d) {
            m_result.missingRows += d.missing.size();
            m_result.extraRows += d.extra.size();
            m_result.differentRows += d.different.size();
            sample(d.missing, u"missing"_qs);
            sample(d.extra, u"extra"_qs);
            sample(d.different, u"different"_qs);
            if (!repair)
                return;
            m_context.aboutToWriteRows();
            m_context.target.beginTransaction();
            m_result.repairedRows +=
                liveOnly
                    ? KeyedRows::markDeletedInTarget(m_context.target, m_context.dialect, m_source.name, keys, d.extra,
                                                     m_context.loadId)
                    : KeyedRows::deleteFromTarget(m_context.target, m_context.dialect, m_source.name, keys, d.extra);
            m_result.repairedRows +=
                KeyedRows::copyFromSource(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                                          keys, d.missing + d.different, m_context.loadId);
            // A missing row may be a marked one: the upsert refreshed its content, this revives it.
            if (liveOnly)
                KeyedRows::markLiveInTarget(m_context.target, m_context.dialect, m_source.name, keys, d.missing);
            m_context.target.commit();
        },
        [&](qint64 compared) {
            m_context.progress.onBatchCommitted(m_spec.table, 0, compared, m_source.estimatedRows);
        });
    m_result.remainingDifferences = m_result.missingRows + m_result.extraRows + m_result.differentRows;
    if (comparer.stopped()) {
        // Stopped between chunks: what was found (and repaired) so far stands; the rest is unknown.
        m_result.outcome = TableOutcome::Stopped;
        m_context.progress.onTableMessage(m_spec.table, u"verify: stopped before the end of the table"_qs);
        return;
    }

    if (repair && m_result.remainingDifferences > 0) {
        // Prove the repair: compare again, and report what still differs (rows changing meanwhile).
        TableComparer check(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                            m_spec.primaryKey, TableComparer::Scope::Content);
        if (liveOnly)
            check.setTargetCondition(SoftDeletes::liveCondition(m_context.dialect));
        check.setBackgroundTarget(background.get());
        m_result.remainingDifferences = 0;
        check.run([&](const TableComparer::Difference &d) {
            m_result.remainingDifferences += d.missing.size() + d.extra.size() + d.different.size();
        });
    }
}

void TableVerifier::verifyWithoutKey(const QList<ColumnInfo> &columns, bool repair)
{
    const auto compare = [&](const std::function<void(const RowMultisetComparer::Difference &)> &onDifference) {
        RowMultisetComparer comparer(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                                     m_source.estimatedRows);
        comparer.setStopFlag(&m_context.stopRequested);
        comparer.run(onDifference, [&](qint64 compared) {
            m_context.progress.onBatchCommitted(m_spec.table, 0, compared, m_source.estimatedRows);
        });
        if (comparer.stopped())
            m_result.outcome = TableOutcome::Stopped;
    };
    m_context.progress.onTableMessage(m_spec.table,
                                      u"verify: no primary_key, so whole rows are compared, each as often as it "
                                      "occurs"_qs);
    RowMultisetComparer reader(m_context.source, m_context.target, m_context.dialect, m_source.name, columns, 0);
    compare([&](const RowMultisetComparer::Difference &d) {
        const bool missing = d.sourceCount > d.targetCount;
        const qint64 rows = missing ? d.sourceCount - d.targetCount : d.targetCount - d.sourceCount;
        (missing ? m_result.missingRows : m_result.extraRows) += rows;
        if (m_result.sampleKeys.size() < kSampleKeys) {
            const QVariantList row = reader.rowWithHash(missing ? m_context.source : m_context.target, d.rowHash);
            m_result.sampleKeys << QStringLiteral("%1 row %2: %3 time(s) in the source, %4 in the target")
                                       .arg(missing ? u"missing"_qs : u"extra"_qs, KeyedRows::describe(row))
                                       .arg(d.sourceCount)
                                       .arg(d.targetCount);
        }
    });
    m_result.remainingDifferences = m_result.missingRows + m_result.extraRows;
    if (m_result.outcome == TableOutcome::Stopped || !repair || m_result.remainingDifferences == 0)
        return;

    m_context.progress.onTableMessage(m_spec.table,
                                      u"repair: no primary_key, so the table's whole content is replaced"_qs);
    TableResult refresh;
    FullRefresh(m_context, m_spec, m_source, refresh).run();
    m_result.repairedRows = m_result.missingRows + m_result.extraRows; // what differed is what was put right
    if (refresh.outcome == TableOutcome::Stopped) {
        m_result.outcome = TableOutcome::Stopped;
        return;
    }
    m_result.remainingDifferences = 0;
    compare([&](const RowMultisetComparer::Difference &d) {
        m_result.remainingDifferences += std::abs(d.sourceCount - d.targetCount);
    });
}

} // namespace tablesync
