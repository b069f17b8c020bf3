#pragma once

// Helpers shared by the Neo parser tests: responses as an in-page fetch hands them over, and drift
// warning look-ups with readable failure messages.

#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "tests/support/fixtures.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace odis::test {

inline sync::NeoResponse jsonResponse(QByteArray body, int status = 200,
                                      QByteArray contentType = QByteArrayLiteral("application/json"))
{
    return {status, std::move(contentType), std::move(body)};
}

inline sync::NeoResponse neoFixture(const QString& name)
{
    return jsonResponse(readFixture(QStringLiteral("neo/") + name));
}

// The warning for `field` whose detail starts with `detail`; nullptr when there is none.
inline const sync::DriftWarning* findWarning(const QList<sync::DriftWarning>& warnings, const QString& field,
                                             const QString& detail = {})
{
    for (const sync::DriftWarning& w : warnings) {
        if (w.field == field && w.detail.startsWith(detail))
            return &w;
    }
    return nullptr;
}

inline QByteArray describe(const QList<sync::DriftWarning>& warnings)
{
    QStringList lines;
    for (const sync::DriftWarning& w : warnings)
        lines << w.toString();
    return (QStringLiteral("warnings:\n  ") + lines.join(QStringLiteral("\n  "))).toUtf8();
}

} // namespace odis::test

// Fails the test with the whole warning list when the expected warning is not there.
#define QVERIFY_WARNING(warnings, field, detail)                                                             \
    QVERIFY2(odis::test::findWarning((warnings), (field), (detail)) != nullptr,                              \
             odis::test::describe(warnings).constData())

#define QVERIFY_NO_WARNINGS(warnings)                                                                        \
    QVERIFY2((warnings).isEmpty(), odis::test::describe(warnings).constData())
