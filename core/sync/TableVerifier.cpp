#include "sync/TableVerifier.h"

#include "db/DbConnection.h"
#include "db/DbError.h"
#include "db/SchemaReader.h"
#include "sync/KeyedRows.h"
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

QList<ColumnInfo> TableVerifier::comparedColumns(QStringList &notInTarget) const
{
    const TableSchema target = SchemaReader::readTable(m_context.target, m_source.name);
    if (!target.exists)
        throw DbError(u"the target has no table "_qs + m_source.name + u"; run a sync first"_qs);
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

void TableVerifier::propagateDeletes()
{
    QStringList ignored;
    const QList<ColumnInfo> columns = comparedColumns(ignored);
    const QList<ColumnInfo> keys = keyColumns(columns);
    TableComparer comparer(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                           m_spec.primaryKey, TableComparer::Scope::Keys);
    comparer.run([&](const TableComparer::Difference &difference) {
        if (difference.extra.isEmpty())
            return;
        m_context.target.beginTransaction();
        m_result.deletedRows +=
            KeyedRows::deleteFromTarget(m_context.target, m_context.dialect, m_source.name, keys, difference.extra);
        m_context.target.commit();
    });
    m_context.progress.onTableMessage(m_spec.table,
                                      QStringLiteral("deletes: compared %1 chunk(s) of keys, %2 differed, deleted %3 "
                                                     "row(s) no longer in the source")
                                          .arg(comparer.chunksCompared())
                                          .arg(comparer.chunksDiffering())
                                          .arg(m_result.deletedRows));
}

void TableVerifier::verify(bool repair)
{
    m_result.verified = true;
    QStringList notInTarget;
    const QList<ColumnInfo> columns = comparedColumns(notInTarget);
    if (!notInTarget.isEmpty()) {
        m_context.progress.onTableMessage(m_spec.table, u"verify: not compared, missing in the target: "_qs +
                                                            notInTarget.join(u", "_qs));
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
            m_context.target.beginTransaction();
            m_result.repairedRows +=
                KeyedRows::deleteFromTarget(m_context.target, m_context.dialect, m_source.name, keys, d.extra);
            m_result.repairedRows +=
                KeyedRows::copyFromSource(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                                          keys, d.missing + d.different, m_context.loadId);
            m_context.target.commit();
        },
        [&](qint64 compared) {
            m_context.progress.onBatchCommitted(m_spec.table, 0, compared, m_source.estimatedRows);
        });
    m_result.remainingDifferences = m_result.missingRows + m_result.extraRows + m_result.differentRows;

    if (repair && m_result.remainingDifferences > 0) {
        // Prove the repair: compare again, and report what still differs (rows changing meanwhile).
        TableComparer check(m_context.source, m_context.target, m_context.dialect, m_source.name, columns,
                            m_spec.primaryKey, TableComparer::Scope::Content);
        m_result.remainingDifferences = 0;
        check.run([&](const TableComparer::Difference &d) {
            m_result.remainingDifferences += d.missing.size() + d.extra.size() + d.different.size();
        });
    }
}

} // namespace tablesync
