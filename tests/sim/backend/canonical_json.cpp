#include "tests/sim/backend/canonical_json.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QStringList>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace odis::sim::backend {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// The contract's escaping of UTF-8 text.
void appendUtf8(QByteArray& out, const QByteArray& utf8)
{
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out += kHex[u >> 4];
                out += kHex[u & 0xF];
            } else {
                out += c;
            }
        }
    }
}

// A lone surrogate has no UTF-8 form: the contract writes it as \uxxxx (lower-case hex).
void appendString(QByteArray& out, const QString& text)
{
    out += '"';
    QString run;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool paired = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        if (paired) {
            run += c;
            run += text.at(++i);
        } else if (c.isSurrogate()) {
            appendUtf8(out, run.toUtf8());
            run.clear();
            out += "\\u";
            for (const int shift : {12, 8, 4, 0})
                out += kHex[(c.unicode() >> shift) & 0xF];
        } else {
            run += c;
        }
    }
    appendUtf8(out, run.toUtf8());
    out += '"';
}

void appendNumber(QByteArray& out, double d)
{
    // 2^53: beyond it a double no longer holds every integer, so it is written as a double.
    if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) {
        out += QByteArray::number(static_cast<qint64>(d));
        return;
    }
    std::array<char, 32> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), d);
    out.append(buffer.data(), ec == std::errc() ? end - buffer.data() : 0);
}

void append(QByteArray& out, const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::Double:
        appendNumber(out, value.toDouble());
        return;
    case QJsonValue::String:
        appendString(out, value.toString());
        return;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue element : value.toArray()) {
            if (!first)
                out += ',';
            first = false;
            append(out, element);
        }
        out += ']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        // Iterated, not looked up by key: Qt 6.4's QJsonObject::value() misses some keys that are there.
        QList<QPair<QString, QJsonValue>> members;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            members.append({it.key(), it.value()});
        // QString's < compares UTF-16 code units
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto& [key, member] : std::as_const(members)) {
            if (!first)
                out += ',';
            first = false;
            appendString(out, key);
            out += ':';
            append(out, member);
        }
        out += '}';
        return;
    }
    }
}

} // namespace

QByteArray canonicalJson(const QJsonValue& value)
{
    QByteArray out;
    append(out, value);
    return out;
}

QString sha256Hex(QByteArrayView data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString payloadVersion(const QJsonObject& payload)
{
    return sha256Hex(canonicalJson(payload));
}

} // namespace odis::sim::backend
