#include "sync/core/retry_after.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QTime>

#include <array>
#include <limits>

namespace odis::sync {

namespace {

constexpr std::array<QByteArrayView, 7> kShortDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<QByteArrayView, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
constexpr std::array<QByteArrayView, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool isDigits(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// A fixed-width decimal field; -1 when it is not exactly `width` digits.
int number(QByteArrayView text, qsizetype width)
{
    if (text.size() != width || !isDigits(text))
        return -1;
    int value = 0;
    for (char c : text)
        value = value * 10 + (c - '0');
    return value;
}

int monthNumber(QByteArrayView name)
{
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (name == kMonths[i])
            return static_cast<int>(i) + 1;
    }
    return 0;
}

template <std::size_t N> bool isOneOf(QByteArrayView name, const std::array<QByteArrayView, N>& names)
{
    for (const QByteArrayView candidate : names) {
        if (name == candidate)
            return true;
    }
    return false;
}

// "08:49:37"; an invalid QTime otherwise (60 seconds included: HTTP dates have no leap second).
QTime clockTime(QByteArrayView text)
{
    if (text.size() != 8 || text[2] != ':' || text[5] != ':')
        return {};
    const int h = number(text.sliced(0, 2), 2);
    const int m = number(text.sliced(3, 2), 2);
    const int s = number(text.sliced(6, 2), 2);
    if (h < 0 || m < 0 || s < 0)
        return {};
    return QTime(h, m, s); // invalid when out of range
}

QDateTime utc(int year, int month, int day, QTime time)
{
    const QDate date(year, month, day); // invalid for 31 Feb and the like
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

QList<QByteArrayView> words(QByteArrayView text)
{
    QList<QByteArrayView> out;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const bool space = i == text.size() || text[i] == ' ';
        if (space && start >= 0) {
            out.append(text.sliced(start, i - start));
            start = -1;
        } else if (!space && start < 0) {
            start = i;
        }
    }
    return out;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
QDateTime imfFixdate(const QList<QByteArrayView>& w)
{
    if (w.size() != 6 || !w[0].endsWith(',') || !isOneOf(w[0].chopped(1), kShortDays) || w[5] != "GMT")
        return {};
    const int day = number(w[1], 2);
    const int year = number(w[3], 4);
    const int month = monthNumber(w[2]);
    if (day < 0 || year < 0 || month == 0)
        return {};
    return utc(year, month, day, clockTime(w[4]));
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
QDateTime rfc850(const QList<QByteArrayView>& w, const QDateTime& nowUtc)
{
    if (w.size() != 4 || !w[0].endsWith(',') || !isOneOf(w[0].chopped(1), kLongDays) || w[3] != "GMT")
        return {};
    const QByteArrayView date = w[1];
    if (date.size() != 9 || date[2] != '-' || date[6] != '-')
        return {};
    const int day = number(date.sliced(0, 2), 2);
    const int month = monthNumber(date.sliced(3, 3));
    const int yy = number(date.sliced(7, 2), 2);
    if (day < 0 || month == 0 || yy < 0)
        return {};
    const int nowYear = nowUtc.toUTC().date().year();
    int year = nowYear - nowYear % 100 + yy;
    if (year > nowYear + 50)
        year -= 100;
    return utc(year, month, day, clockTime(w[2]));
}

// "Sun Nov  6 08:49:37 1994" (the day is space-padded: the double space collapses in words()).
QDateTime asctime(const QList<QByteArrayView>& w)
{
    if (w.size() != 5 || !isOneOf(w[0], kShortDays))
        return {};
    const int month = monthNumber(w[1]);
    const int day = w[2].size() == 1 ? number(w[2], 1) : number(w[2], 2);
    const int year = number(w[4], 4);
    if (month == 0 || day < 0 || year < 0)
        return {};
    return utc(year, month, day, clockTime(w[3]));
}

} // namespace

QDateTime parseHttpDate(QByteArrayView value, const QDateTime& nowUtc)
{
    const QList<QByteArrayView> w = words(value.trimmed());
    if (w.isEmpty())
        return {};
    if (w[0].endsWith(',') && w[0].size() == 4)
        return imfFixdate(w);
    if (w[0].endsWith(','))
        return rfc850(w, nowUtc);
    return asctime(w);
}

std::optional<std::chrono::seconds> parseRetryAfter(QByteArrayView value, const QDateTime& nowUtc)
{
    const QByteArrayView trimmed = value.trimmed();
    if (isDigits(trimmed)) {
        // Leading zeros are allowed; anything past kMaxRetryAfter only needs to be known as "too long".
        qint64 seconds = 0;
        for (char c : trimmed) {
            seconds = seconds * 10 + (c - '0');
            if (seconds > kMaxRetryAfter.count())
                return kMaxRetryAfter;
        }
        return std::chrono::seconds(seconds);
    }
    const QDateTime at = parseHttpDate(trimmed, nowUtc);
    if (!at.isValid() || !nowUtc.isValid())
        return std::nullopt;
    const qint64 ms = nowUtc.msecsTo(at);
    if (ms <= 0)
        return std::chrono::seconds::zero();
    const qint64 seconds = (ms + 999) / 1000;
    return std::chrono::seconds(std::min<qint64>(seconds, kMaxRetryAfter.count()));
}

} // namespace odis::sync
