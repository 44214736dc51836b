// libFuzzer target for the configuration parsers: the first byte picks the parser, the rest is the
// file. Whatever the input, parsing must end with values or errors, never a crash, a hang or a
// sanitizer report. Built by scripts/fuzz.sh (clang, -fsanitize=fuzzer,address,undefined).
#include "config/EnvFile.h"
#include "config/Settings.h"
#include "config/TablesFile.h"

#include <QByteArray>
#include <QProcessEnvironment>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    tablesync::ConfigErrors errors;
    if (data[0] % 2 == 0) {
        const tablesync::EnvFile env = tablesync::EnvFile::parse(text, QStringLiteral(".env"), errors);
        // The settings read every key the file may hold: numbers, ports, limits.
        tablesync::Settings::fromEnv(env, QProcessEnvironment(), errors);
    } else {
        tablesync::TablesFile::parse(text, QStringLiteral("tables.json"), errors);
    }
    for (const tablesync::ConfigError &error : errors)
        (void)error.toString();
    return 0;
}
