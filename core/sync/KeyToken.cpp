#include "sync/KeyToken.h"

#include <QByteArray>
#include <QStringList>

namespace tablesync::KeyToken {

QString encode(const QVariantList &key)
{
    QStringList parts;
    for (const QVariant &value : key) {
        switch (value.typeId()) {
        // QtSql types TINYINT as a char and SMALLINT as a short in prepared reads, as an int in
        // text ones: the same key gives the same token from either.
        case QMetaType::Char:
        case QMetaType::SChar:
        case QMetaType::Short:
        case QMetaType::Int:
        case QMetaType::LongLong:
            parts << u"i:"_qs + QString::number(value.toLongLong());
            break;
        case QMetaType::UChar:
        case QMetaType::UShort:
        case QMetaType::UInt:
        case QMetaType::ULongLong:
            parts << u"u:"_qs + QString::number(value.toULongLong());
            break;
        case QMetaType::Double:
            parts << u"d:"_qs + QString::number(value.toDouble(), 'g', 17);
            break;
        case QMetaType::QByteArray:
            parts << u"b:"_qs + QString::fromLatin1(value.toByteArray().toHex());
            break;
        default:
            parts << u"s:"_qs + QString::fromLatin1(value.toString().toUtf8().toHex());
        }
    }
    return parts.join(u',');
}

std::optional<QVariantList> decode(const QString &token)
{
    if (token.isEmpty())
        return std::nullopt;
    QVariantList key;
    for (const QString &part : token.split(u',')) {
        if (part.size() < 2 || part.at(1) != u':')
            return std::nullopt;
        const QString text = part.mid(2);
        bool ok = true;
        switch (part.at(0).unicode()) {
        case 'i':
            key << QVariant(text.toLongLong(&ok));
            break;
        case 'u':
            key << QVariant(text.toULongLong(&ok));
            break;
        case 'd':
            key << QVariant(text.toDouble(&ok));
            break;
        case 'b':
        case 's': {
            const QByteArray hex = text.toLatin1();
            const auto bytes = QByteArray::fromHex(hex);
            ok = bytes.toHex() == hex.toLower();
            key << (part.at(0) == u'b' ? QVariant(bytes) : QVariant(QString::fromUtf8(bytes)));
            break;
        }
        default:
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    return key;
}

} // namespace tablesync::KeyToken
