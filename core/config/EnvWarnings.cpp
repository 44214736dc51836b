#include "config/EnvWarnings.h"

#include <QFileInfo>

#include <algorithm>
#include <vector>

namespace tablesync::EnvWarnings {

namespace {

// Edits (insert, delete, change, swap of neighbours) between two keys, compared without case.
int distance(const QString &a, const QString &b)
{
    const QString x = a.toUpper();
    const QString y = b.toUpper();
    const qsizetype n = x.size();
    const qsizetype m = y.size();
    std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
    for (qsizetype i = 0; i <= n; ++i)
        d[size_t(i)][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = x[i - 1] == y[j - 1] ? 0 : 1;
            int best = std::min({d[size_t(i - 1)][size_t(j)] + 1, d[size_t(i)][size_t(j - 1)] + 1,
                                 d[size_t(i - 1)][size_t(j - 1)] + cost});
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
                best = std::min(best, d[size_t(i - 2)][size_t(j - 2)] + 1);
            d[size_t(i)][size_t(j)] = best;
        }
    }
    return d[size_t(n)][size_t(m)];
}

} // namespace

QStringList nearMisses(const EnvFile &env, const QStringList &knownKeys)
{
    QStringList warnings;
    QStringList keys = env.keys();
    std::sort(keys.begin(), keys.end(),
              [&env](const QString &a, const QString &b) { return env.line(a) < env.line(b); });
    for (const QString &key : std::as_const(keys)) {
        if (knownKeys.contains(key))
            continue;
        // Short keys are too alike by chance (PORT, USER); two edits catch every slip seen in practice.
        const int allowed = key.size() < 8 ? 1 : 2;
        QString closest;
        int best = allowed + 1;
        for (const QString &known : knownKeys) {
            const int d = distance(key, known);
            if (d < best) {
                best = d;
                closest = known;
            }
        }
        if (closest.isEmpty())
            continue;
        const int line = env.line(key);
        warnings << QStringLiteral("%1%2: %3 is not a key tablesync reads, so it is ignored; did you mean %4?")
                        .arg(env.fileName(), line > 0 ? QStringLiteral(", line %1").arg(line) : QString(), key,
                             closest);
    }
    return warnings;
}

QString readableSecrets(const EnvFile &env)
{
    const QFileInfo file(env.fileName());
    if (!file.isFile() || !(file.permissions() & QFileDevice::ReadOther))
        return {};
    QStringList secrets;
    for (const QString &key : env.keys()) {
        const bool secret = key.endsWith(u"_PASS") || key == u"HEALTH_TOKEN";
        if (secret && !env.value(key).isEmpty())
            secrets << key;
    }
    if (secrets.isEmpty())
        return {};
    std::sort(secrets.begin(), secrets.end());
    return QStringLiteral("%1 holds %2 and every user of this machine can read it: chmod 600 %1 (or 640 with the "
                          "service's group)")
        .arg(env.fileName(), secrets.join(u", "_qs));
}

} // namespace tablesync::EnvWarnings
