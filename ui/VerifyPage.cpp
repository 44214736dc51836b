#include "VerifyPage.h"

#include "EmptyState.h"
#include "Icons.h"
#include "MessageBanner.h"
#include "Plural.h"
#include "ProgressDelegate.h"
#include "VerifyActions.h"
#include "VerifyController.h"
#include "VerifyReportModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tablesync {

namespace {
QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setIconSize(QSize(20, 20));
    return button;
}

QString seconds(qint64 ms)
{
    return QLocale().toString(double(ms) / 1000.0, 'f', 1) + u" s"_qs;
}

QString minutesAndSeconds(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

VerifyPage::VerifyPage(VerifyController *verifier, VerifyReportModel *report, VerifyActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_verifier(verifier)
    , m_report(report)
    , m_actions(actions)
{
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(u"verifyBanner"_qs);
    m_banner->setClosable(true);
    m_banner->hide();

    m_stateIcon = new QLabel(this);
    m_headline = new QLabel(this);
    m_headline->setObjectName(u"verifyHeadline"_qs);
    m_headline->setWordWrap(true);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_headline->setFont(big);
    m_subline = new QLabel(this);
    m_subline->setObjectName(u"verifySubline"_qs);
    m_subline->setWordWrap(true);
    m_subline->setForegroundRole(QPalette::PlaceholderText);
    auto *texts = new QVBoxLayout;
    texts->addWidget(m_headline);
    texts->addWidget(m_subline);
    auto *header = new QHBoxLayout;
    header->addWidget(m_stateIcon, 0, Qt::AlignTop);
    header->addLayout(texts, 1);
    // The buttons get a row of their own: beside them the summary line would wrap at once.
    auto *buttons = new QHBoxLayout;
    for (QAction *action :
         {actions->verifyAllAction(), actions->verifySelectedAction(), actions->repairAction(), actions->stopAction()})
        buttons->addWidget(buttonFor(action, this));
    buttons->addStretch(1);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"verifyProgress"_qs);
    m_progress->setRange(0, 1000);
    m_progress->setAccessibleName(tr("Progress of the verification"));
    m_progress->setFormat(tr("%p% compared"));

    m_view = new QTableView(this);
    m_view->setObjectName(u"verifyReportView"_qs);
    m_view->setModel(m_report);
    m_view->setItemDelegateForColumn(VerifyReportModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 12);
    m_view->setAccessibleName(tr("Verification report"));
    QHeaderView *h = m_view->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm = m_view->fontMetrics();
    h->resizeSection(VerifyReportModel::TableColumn, 120);
    h->resizeSection(VerifyReportModel::ResultColumn, fm.horizontalAdvance(tr("identical (repaired 99 rows)")) + 40);
    h->resizeSection(VerifyReportModel::ProgressColumn, 150);
    for (int column : {int(VerifyReportModel::MissingColumn), int(VerifyReportModel::ExtraColumn),
                       int(VerifyReportModel::DifferentColumn)})
        h->resizeSection(column, fm.horizontalAdvance(m_report->headerData(column, Qt::Horizontal).toString()) + 24);
    h->resizeSection(VerifyReportModel::CheckedColumn, fm.horizontalAdvance(u"00:00:00"_qs) + 24);
    h->setStretchLastSection(true);

    m_empty = new EmptyState(u"nav-verify"_qs, tr("Nothing to verify yet"),
                             tr("Add tables on the Tables page; Verify then compares them row by row."), this);
    m_empty->setAction(tr("Go to Tables"));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);

    // The report in full, as `tablesync --verify` prints it: every sample key, the engine's notes,
    // errors; for the selected tables, or all. Plain text a DBA can select and copy.
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(u"verifyDetails"_qs);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("The report in full"));
    m_details->setPlaceholderText(tr("Each table's result in full shows here after a verification."));

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(u"verifySplitter"_qs);
    m_splitter->addWidget(m_stack);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(header);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_splitter, 1);

    m_ticker = new QTimer(this);
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &VerifyPage::updateHeader);
    connect(m_verifier, &VerifyController::verificationStarted, this, [this] {
        m_banner->hide();
        m_lastElapsedMs = -1;
        m_elapsed.start();
        m_ticker->start();
        updateHeader();
    });
    connect(m_verifier, &VerifyController::verificationFinished, this,
            [this](VerifyController::Mode, const RunSummary &summary) {
                m_ticker->stop();
                m_lastElapsedMs = summary.elapsedMs;
                QStringList errors;
                for (const TableResult &t : summary.tables) {
                    if (t.outcome == TableOutcome::Failed)
                        errors << t.table + u": "_qs + t.error;
                }
                if (!errors.isEmpty())
                    m_banner->showMessage(MessageBanner::Kind::Error,
                                          plural(errors.size(), tr("%1 table could not be verified"),
                                                 tr("%1 tables could not be verified")),
                                          errors.join(u'\n'));
                updateHeader();
            });
    connect(m_actions, &VerifyActions::startRefused, this, [this](const QString &reason) {
        m_banner->showMessage(MessageBanner::Kind::Warning, tr("Nothing was verified"), reason);
    });
    connect(m_verifier, &VerifyController::stateChanged, this, &VerifyPage::updateHeader);
    connect(m_report, &VerifyReportModel::dataChanged, this, &VerifyPage::updateHeader);
    connect(m_report, &VerifyReportModel::modelReset, this, &VerifyPage::updateHeader);
    connect(m_report, &VerifyReportModel::dataChanged, this, &VerifyPage::updateDetails);
    connect(m_report, &VerifyReportModel::modelReset, this, &VerifyPage::onSelectionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VerifyPage::onSelectionChanged);
    connect(m_empty, &EmptyState::actionTriggered, this, &VerifyPage::tablesPageRequested);
    updateHeader();
    updateDetails();
}

void VerifyPage::onSelectionChanged()
{
    QStringList tables;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        tables << m_report->rowAt(index.row()).table;
    m_actions->setSelectedTables(tables);
    updateDetails();
}

void VerifyPage::updateHeader()
{
    const QLocale locale;
    const int total = m_report->rowCount();
    m_stack->setCurrentWidget(total == 0 ? static_cast<QWidget *>(m_empty) : m_view);
    m_progress->setVisible(m_report->jobTableCount() > 0);
    m_progress->setValue(m_report->jobProgress());

    QString headline;
    QString subline;
    QIcon icon = Icons::forState(TableRunState::Idle);
    const bool repairing = m_verifier->mode() == VerifyController::Mode::Repair;
    if (m_verifier->isRunning()) {
        icon = Icons::forState(TableRunState::Running);
        headline = m_verifier->state() == VerifyController::State::Stopping
                       ? tr("Stopping after the tables being compared…")
                       : (repairing ? tr("Repairing: %1 of %2 tables done · %3 rows compared · %4")
                                    : tr("Verifying: %1 of %2 tables compared · %3 rows · %4"))
                             .arg(m_report->jobFinishedCount())
                             .arg(m_report->jobTableCount())
                             .arg(locale.toString(m_report->jobRowsCompared()),
                                  minutesAndSeconds(m_elapsed.isValid() ? m_elapsed.elapsed() : 0));
        subline = repairing ? tr("Rows that differ are rewritten from the source, extra rows deleted, then every "
                                 "table is compared again. Syncs wait until this has finished.")
                            : tr("Nothing is changed. Syncs wait until the comparison has finished.");
    } else {
        headline = m_report->summary();
        const int differ = m_report->countOf(VerifyReportModel::Verdict::Differs);
        const int failed = m_report->countOf(VerifyReportModel::Verdict::Failed);
        if (differ > 0)
            icon = Icons::get(u"msg-warning"_qs);
        else if (failed > 0)
            icon = Icons::forState(TableRunState::Failed);
        else if (m_report->countOf(VerifyReportModel::Verdict::Identical) > 0)
            icon = Icons::forState(TableRunState::Done);
        if (m_lastElapsedMs < 0)
            subline = tr("Verify compares every row of source and target (the _dlt_ columns aside) and changes "
                         "nothing; select rows to verify only those tables.");
        else
            subline =
                plural(m_report->jobTableCount(), tr("%1 table %3 in %2."), tr("%1 tables %3 in %2."))
                    .arg(seconds(m_lastElapsedMs), repairing ? tr("repaired and compared again") : tr("compared"));
        if (differ > 0)
            subline += u' ' + tr("Repair rewrites the rows that differ and deletes the extra ones.");
    }
    m_headline->setText(headline);
    m_subline->setText(subline);
    m_stateIcon->setPixmap(icon.pixmap(32, 32));
}

void VerifyPage::updateDetails()
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty()) {
        for (int row = 0; row < m_report->rowCount(); ++row)
            rows << row;
    }
    QStringList blocks;
    for (int row : std::as_const(rows)) {
        const VerifyReportModel::Row &r = m_report->rowAt(row);
        if (r.verdict == VerifyReportModel::Verdict::NotVerified && r.state == TableRunState::Idle)
            continue;
        const QString result = m_report->index(row, VerifyReportModel::ResultColumn).data().toString();
        QStringList lines;
        if (r.verdict == VerifyReportModel::Verdict::Differs && r.state == TableRunState::Done)
            lines << tr("%1: %2 (%3 missing, %4 extra, %5 different)")
                         .arg(r.table, result)
                         .arg(r.missing)
                         .arg(r.extra)
                         .arg(r.different);
        else
            lines << tr("%1: %2").arg(r.table, result);
        if (!r.sampleKeys.isEmpty())
            lines << tr("  sample keys: %1").arg(r.sampleKeys.join(u"; "_qs));
        const QString notes = m_report->index(row, VerifyReportModel::ResultColumn).data(Qt::ToolTipRole).toString();
        const QStringList noteLines = notes.split(u'\n', Qt::SkipEmptyParts);
        for (const QString &note : noteLines)
            lines << u"  "_qs + note;
        blocks << lines.join(u'\n');
    }
    const QString text = blocks.join(u'\n');
    if (m_details->toPlainText() != text) // progress arrives often: keep the reader's scroll and selection
        m_details->setPlainText(text);
}

} // namespace tablesync
