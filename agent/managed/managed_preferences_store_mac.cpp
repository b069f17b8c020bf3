#include "agent/managed/managed_preferences_store.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QVariantList>

#include <CoreFoundation/CoreFoundation.h>

namespace odis::agent::managed {

namespace {

CFStringRef toCFString(const QString& text)
{
    return text.toCFString();
}

QVariant fromCF(CFPropertyListRef value)
{
    if (value == nullptr)
        return {};
    const CFTypeID type = CFGetTypeID(value);
    if (type == CFStringGetTypeID())
        return QString::fromCFString(static_cast<CFStringRef>(value));
    if (type == CFBooleanGetTypeID())
        return bool(CFBooleanGetValue(static_cast<CFBooleanRef>(value)));
    if (type == CFNumberGetTypeID()) {
        const auto number = static_cast<CFNumberRef>(value);
        if (CFNumberIsFloatType(number)) {
            double real = 0;
            CFNumberGetValue(number, kCFNumberDoubleType, &real);
            return real;
        }
        long long integer = 0;
        CFNumberGetValue(number, kCFNumberLongLongType, &integer);
        return qlonglong(integer);
    }
    if (type == CFArrayGetTypeID()) {
        QVariantList list;
        const auto array = static_cast<CFArrayRef>(value);
        for (CFIndex i = 0; i < CFArrayGetCount(array); ++i)
            list << fromCF(CFArrayGetValueAtIndex(array, i));
        return list;
    }
    return QVariant(QByteArray()); // a date or data: no managed key takes one, the reader refuses it
}

// The keys of one managed-preferences file (written by the system from installed profiles).
QStringList keysOf(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    CFDataRef data = CFDataCreate(nullptr, reinterpret_cast<const UInt8*>(bytes.constData()), bytes.size());
    CFPropertyListRef plist =
        CFPropertyListCreateWithData(nullptr, data, kCFPropertyListImmutable, nullptr, nullptr);
    CFRelease(data);
    QStringList keys;
    if (plist != nullptr && CFGetTypeID(plist) == CFDictionaryGetTypeID()) {
        const auto dict = static_cast<CFDictionaryRef>(plist);
        const CFIndex count = CFDictionaryGetCount(dict);
        QList<const void*> raw(count);
        CFDictionaryGetKeysAndValues(dict, raw.data(), nullptr);
        for (const void* key : raw) {
            if (CFGetTypeID(key) == CFStringGetTypeID())
                keys << QString::fromCFString(static_cast<CFStringRef>(key));
        }
    }
    if (plist != nullptr)
        CFRelease(plist);
    return keys;
}

} // namespace

QString ManagedPreferencesStore::description() const
{
    return QStringLiteral("managed preferences %1").arg(kMacManagedDomain);
}

Result<QStringList> ManagedPreferencesStore::names() const
{
    // CFPreferences cannot list only the forced keys: the profiles' files can (machine-wide, then the
    // user's); a key there that the agent does not know is refused by the reader.
    const QString dir = QStringLiteral("/Library/Managed Preferences");
    const QString file = QString(kMacManagedDomain) + QStringLiteral(".plist");
    QSet<QString> keys;
    for (const QString& path :
         {dir + QLatin1Char('/') + file,
          dir + QLatin1Char('/') + qEnvironmentVariable("USER") + QLatin1Char('/') + file}) {
        for (const QString& key : keysOf(path))
            keys.insert(key);
    }
    return QStringList(keys.begin(), keys.end());
}

Result<std::optional<QVariant>> ManagedPreferencesStore::value(const QString& name) const
{
    const CFStringRef domain = toCFString(QString(kMacManagedDomain));
    const CFStringRef key = toCFString(name);
    std::optional<QVariant> result;
    if (CFPreferencesAppValueIsForced(key, domain)) {
        CFPropertyListRef value = CFPreferencesCopyAppValue(key, domain);
        if (value != nullptr) {
            result = fromCF(value);
            CFRelease(value);
        }
    }
    CFRelease(key);
    CFRelease(domain);
    return result;
}

} // namespace odis::agent::managed
