#include "sync/core/canonical_json.h"

#include <QChar>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QList>
#include <QStringView>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace odis::sync {

namespace {

// 2^53: every integer below it is exact in a double; at and above it a double written as an integer
// would claim a precision it does not have, so it takes the shortest round-trip form instead.
constexpr double kExactIntegerLimit = 9007199254740992.0;

constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                    '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

void appendUnicodeEscape(QByteArray& out, char16_t unit)
{
    out.append("\\u");
    for (const int shift : {12, 8, 4, 0})
        out.append(kHex[(unit >> shift) & 0x0F]);
}

// UTF-8 text, escaped as JSON requires.
void appendEscapedUtf8(QByteArray& out, const QByteArray& utf8)
{
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default: {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20)
                appendUnicodeEscape(out, byte);
            else
                out.append(c); // UTF-8 lead and continuation bytes are all >= 0x80
        }
        }
    }
}

void appendString(QByteArray& out, QStringView text)
{
    out.reserve(out.size() + text.size() + 2);
    out.append('"');
    // A lone surrogate (JSON's "\ud83d" without its pair) has no UTF-8 form: toUtf8() would write '?', so
    // the upload would carry another string than Neo's and, in a key, the backend would sort that '?'
    // elsewhere than we sorted the surrogate, compute another version and reject the item. Written as its
    // escape instead: parsing the canonical text gives the same string back (found by fuzzing).
    qsizetype run = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        if (!QChar::isSurrogate(unit))
            continue;
        if (QChar::isHighSurrogate(unit) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text[i + 1].unicode())) {
            ++i; // a pair: UTF-8 like any other character
            continue;
        }
        appendEscapedUtf8(out, text.sliced(run, i - run).toUtf8());
        appendUnicodeEscape(out, unit);
        run = i + 1;
    }
    appendEscapedUtf8(out, text.sliced(run).toUtf8());
    out.append('"');
}

void appendNumber(QByteArray& out, double number)
{
    if (!std::isfinite(number)) {
        out.append("null");
        return;
    }
    if (std::trunc(number) == number && std::fabs(number) < kExactIntegerLimit) {
        out.append(QByteArray::number(static_cast<qint64>(number)));
        return;
    }
    std::array<char, 32> buffer{}; // the longest shortest form of a double is 24 characters
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
    Q_ASSERT(error == std::errc());
    out.append(buffer.data(), end - buffer.data());
}

// By UTF-16 code units, spelled out so that the order does not depend on how a Qt version defines
// QString's operator<.
bool utf16Less(const QString& left, const QString& right)
{
    return std::lexicographical_compare(left.utf16(), left.utf16() + left.size(), right.utf16(),
                                        right.utf16() + right.size());
}

void appendValue(QByteArray& out, const QJsonValue& value);

void appendObject(QByteArray& out, const QJsonObject& object)
{
    // The members as iterated, not each key looked up again: Qt 6.4's QJsonObject::value() misses a key
    // that is there in some objects (one key holding U+0000 beside another above U+FFFF, found by
    // fuzzing), which would write its value as null.
    QList<std::pair<QString, QJsonValue>> members;
    members.reserve(object.size());
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        members.emplace_back(it.key(), it.value());
    std::sort(members.begin(), members.end(),
              [](const auto& left, const auto& right) { return utf16Less(left.first, right.first); });
    out.append('{');
    for (qsizetype i = 0; i < members.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendString(out, members.at(i).first);
        out.append(':');
        appendValue(out, members.at(i).second);
    }
    out.append('}');
}

void appendArray(QByteArray& out, const QJsonArray& array)
{
    out.append('[');
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendValue(out, array.at(i));
    }
    out.append(']');
}

void appendValue(QByteArray& out, const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: // a missing value read from an object; on the wire it can only be null
        out.append("null");
        return;
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        return;
    case QJsonValue::Double:
        appendNumber(out, value.toDouble());
        return;
    case QJsonValue::String:
        appendString(out, value.toString());
        return;
    case QJsonValue::Array:
        appendArray(out, value.toArray());
        return;
    case QJsonValue::Object:
        appendObject(out, value.toObject());
        return;
    }
}

} // namespace

QByteArray canonicalJson(const QJsonValue& value)
{
    QByteArray out;
    appendValue(out, value);
    return out;
}

QString sha256Hex(QByteArrayView bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString payloadVersion(const QJsonObject& payload)
{
    return sha256Hex(canonicalJson(payload));
}

} // namespace odis::sync
