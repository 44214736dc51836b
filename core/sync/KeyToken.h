#pragma once

#include <QString>
#include <QVariantList>

#include <optional>

namespace tablesync {

// A row key as one line of text, to keep in the target's bookkeeping and read back exactly:
// each value tagged with its type (i: signed, u: unsigned, d: double, b: bytes, s: text), bytes
// and text in hex, so any key (binary, with commas, NULL-free by definition) survives a TEXT column.
// Example: {42, QByteArray("a,b")} <-> "i:42,b:612c62".
namespace KeyToken {

QString encode(const QVariantList &key);
// nullopt for text that encode() did not make.
std::optional<QVariantList> decode(const QString &token);

} // namespace KeyToken
} // namespace tablesync
