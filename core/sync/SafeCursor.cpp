#include "sync/SafeCursor.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>

namespace tablesync {

namespace {

// GCC and Clang have 128-bit integers on 64-bit targets; DECIMAL values up to 36 digits fit.
__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// A decimal or integer text as a scaled 128-bit integer: value * 10^scale.
struct Scaled
{
    Int128 units = 0;
    int scale = 0;
};

std::optional<Scaled> parseScaled(const QString &text)
{
    QString digits = text.trimmed();
    const bool negative = digits.startsWith(u'-');
    if (negative || digits.startsWith(u'+'))
        digits.remove(0, 1);
    const qsizetype point = digits.indexOf(u'.');
    const int scale = point < 0 ? 0 : int(digits.size() - point - 1);
    if (point >= 0)
        digits.remove(point, 1);
    if (digits.isEmpty() || digits.size() > 36) // 10^36 fits an Int128 with room to spare
        return std::nullopt;
    Int128 units = 0;
    for (QChar c : std::as_const(digits)) {
        if (!c.isDigit())
            return std::nullopt;
        units = units * 10 + (c.unicode() - u'0');
    }
    return Scaled{negative ? -units : units, scale};
}

QString formatScaled(const Scaled &value)
{
    const bool negative = value.units < 0;
    UInt128 magnitude = negative ? static_cast<UInt128>(-value.units) : value.units;
    QString digits;
    do {
        digits.prepend(QChar(u'0' + int(magnitude % 10)));
        magnitude /= 10;
    } while (magnitude > 0);
    while (digits.size() <= value.scale)
        digits.prepend(u'0');
    if (value.scale > 0)
        digits.insert(digits.size() - value.scale, u'.');
    return negative ? u'-' + digits : digits;
}

std::optional<int> compareScaled(Scaled a, Scaled b)
{
    // 10^37: a value below it times 10 stays far inside 128 bits; above it, let the caller decide.
    const Int128 limit = Int128(10'000'000'000'000'000'000ULL) * Int128(1'000'000'000'000'000'000ULL);
    auto fits = [&](Int128 units) { return units < limit && units > -limit; };
    while (a.scale < b.scale) {
        if (!fits(a.units))
            return std::nullopt;
        a.units *= 10;
        ++a.scale;
    }
    while (b.scale < a.scale) {
        if (!fits(b.units))
            return std::nullopt;
        b.units *= 10;
        ++b.scale;
    }
    return a.units < b.units ? -1 : a.units > b.units ? 1 : 0;
}

} // namespace

SafeCursor::SafeCursor(Clock clock, qint64 lag)
    : m_clock(clock)
    , m_lag(lag)
{}

int SafeCursor::compareValues(const QString &a, const QString &b) const
{
    if (m_clock != Clock::Counter) {
        const int c = a.compare(b);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    const std::optional<Scaled> x = parseScaled(a);
    const std::optional<Scaled> y = parseScaled(b);
    if (x && y) {
        if (const std::optional<int> c = compareScaled(*x, *y))
            return *c;
    }
    // Beyond 36 digits: a double orders them closely enough to pick between two safe starts.
    const double dx = a.toDouble();
    const double dy = b.toDouble();
    return dx < dy ? -1 : dx > dy ? 1 : 0;
}

QString SafeCursor::timeMinus(const QString &value, double seconds) const
{
    if (m_clock == Clock::Date) {
        const QDate date = QDate::fromString(value, Qt::ISODate);
        if (!date.isValid())
            return {};
        // Whole days back, rounded away from the value: a day counts from its midnight.
        const QDateTime moved = QDateTime(date, QTime(0, 0), Qt::UTC).addMSecs(-qint64(std::ceil(seconds * 1000)));
        return moved.date().toString(Qt::ISODate);
    }
    // 'YYYY-MM-DD HH:MM:SS[.ffffff]' as the server prints DATETIME and TIMESTAMP values.
    if (value.size() < 19)
        return {};
    const QDateTime base = QDateTime::fromString(value.left(19), u"yyyy-MM-dd HH:mm:ss"_qs);
    if (!base.isValid())
        return {};
    const int fractionDigits = value.size() > 20 ? int(value.size() - 20) : 0;
    qint64 micros = 0;
    if (fractionDigits > 0) {
        bool ok = false;
        micros = value.mid(20).leftJustified(6, u'0').left(6).toLongLong(&ok);
        if (!ok)
            return {};
    }
    const QDateTime utc(base.date(), base.time(), Qt::UTC);
    // Whole microseconds since the epoch, moved back and floored to the column's precision.
    qint64 total = utc.toMSecsSinceEpoch() * 1000 + micros - qint64(std::ceil(seconds * 1e6));
    qint64 unit = 1;
    for (int i = fractionDigits; i < 6; ++i)
        unit *= 10;
    total -= ((total % unit) + unit) % unit;
    const qint64 msecs = total >= 0 ? total / 1000 : -((-total + 999) / 1000);
    const QDateTime moved = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    QString text = moved.toString(u"yyyy-MM-dd HH:mm:ss"_qs);
    if (fractionDigits > 0) {
        const qint64 fraction = ((total % 1'000'000) + 1'000'000) % 1'000'000;
        text += u'.' + QString::number(fraction).rightJustified(6, u'0').left(fractionDigits);
    }
    return text;
}

QString SafeCursor::counterMinus(const QString &value, qint64 count)
{
    std::optional<Scaled> scaled = parseScaled(value);
    if (!scaled || scaled->scale > 18 || count > 1'000'000) // count * 10^scale must stay far inside 128 bits
        return {};
    Int128 step = count;
    for (int i = 0; i < scaled->scale; ++i)
        step *= 10;
    scaled->units -= step;
    return formatScaled(*scaled);
}

std::optional<CursorPosition> SafeCursor::later(const std::optional<CursorPosition> &a,
                                                const std::optional<CursorPosition> &b) const
{
    if (!a)
        return b;
    if (!b)
        return a;
    const int c = compareValues(a->modifier, b->modifier);
    if (c != 0)
        return c > 0 ? a : b;
    // Same value: "after a key" reads less than "the whole value again"; between two keys the
    // newer mark (b, by the callers' order) is the later one.
    if (b->afterKey.isEmpty())
        return a;
    return b;
}

CursorPosition SafeCursor::progressStart(const CursorPosition &progress,
                                         const std::optional<CursorPosition> &safe) const
{
    if (!safe)
        return progress; // a pass that has read a row always has a safe start
    const int c = compareValues(progress.modifier, safe->modifier);
    if (c != 0)
        return c < 0 ? progress : *safe;
    if (progress.afterKey.isEmpty() || safe->afterKey.isEmpty() || progress.afterKey == safe->afterKey)
        return progress.afterKey.isEmpty() ? progress : *safe;
    // Two keys at one value, not compared here: the whole value again is before both.
    return CursorPosition{safe->modifier, QString()};
}

SafeCursor::Decision SafeCursor::decide(const std::optional<CursorPosition> &start, QList<CursorMark> history,
                                        const SourceHorizon &horizon, const std::optional<CursorMark> &thisRead) const
{
    const double h = horizon.horizon();
    Decision decision;
    std::optional<CursorPosition> best = start;

    // 2 and 4: the newest mark taken early enough before the horizon.
    const double margin = m_clock == Clock::Counter ? 0.0 : double(m_lag) + (m_clock == Clock::Date ? 86400.0 : 1.0);
    int promoted = -1;
    for (int i = int(history.size()) - 1; i >= 0; --i) {
        const CursorMark &mark = history.at(i);
        const bool earlyEnough = m_clock == Clock::Counter ? mark.snapshotTime < h : mark.snapshotTime <= h - margin;
        if (earlyEnough && !mark.reached.modifier.isEmpty()) {
            promoted = i;
            break;
        }
    }
    if (promoted >= 0) {
        CursorPosition candidate = history.at(promoted).reached;
        if (m_clock == Clock::Counter && m_lag > 0)
            candidate = CursorPosition{counterMinus(candidate.modifier, m_lag), QString()};
        if (!candidate.modifier.isEmpty())
            best = later(best, candidate);
    }

    // 3: by value, from this snapshot's newest stamp.
    if (m_clock != Clock::Counter && thisRead && !thisRead->reached.modifier.isEmpty()) {
        // Whole seconds, so that a quiet table gets the same start run after run (no state write).
        const double sinceHorizon = std::ceil(std::max(0.0, thisRead->snapshotTime - h));
        const QString bound = timeMinus(thisRead->reached.modifier, sinceHorizon + double(m_lag));
        if (!bound.isEmpty())
            best = later(best, CursorPosition{bound, QString()});
    }
    decision.start = best;

    // Marks older than the promoted one can never be chosen again (the horizon only moves on).
    if (promoted > 0)
        history = history.mid(promoted);
    // A table with nothing new keeps its older mark of the same row: it is promoted sooner.
    if (thisRead && !thisRead->reached.modifier.isEmpty() &&
        (history.isEmpty() || history.constLast().reached != thisRead->reached))
        history.append(*thisRead);
    while (history.size() > kHistorySize)
        history.removeFirst(); // a horizon held back this long keeps the oldest start instead
    decision.history = history;
    return decision;
}

} // namespace tablesync
