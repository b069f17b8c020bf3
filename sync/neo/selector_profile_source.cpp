#include "sync/neo/selector_profile_source.h"

#include <QFile>

namespace odis::sync {

Result<SelectorProfile> loadSelectorProfile(const QString& path)
{
    const QString source = path.isEmpty() ? QString(kBuiltInSelectorProfile) : path;
    QFile file(source);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(
            QString(kSelectorProfileUnreadable),
            QStringLiteral("the selector profile %1 cannot be read: %2").arg(source, file.errorString()));
    }
    // A profile is a few kilobytes; anything huge is not one.
    constexpr qint64 kMaxSize = 1 << 20;
    if (file.size() > kMaxSize) {
        return fail(QString(kSelectorProfileInvalid),
                    QStringLiteral("the selector profile %1 is too large").arg(source));
    }
    auto profile = parseSelectorProfile(file.readAll());
    if (!profile) {
        return fail(profile.error().code, source + QStringLiteral(": ") + profile.error().message);
    }
    return profile;
}

} // namespace odis::sync
