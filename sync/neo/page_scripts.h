#pragma once

#include "storage/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringView>

namespace odis::sync {

// The page scripts are data (resources/scripts/*.js, compiled into the odis_resources target), so a
// field fix to a selector does not need new C++. Each script file is one JavaScript function
// expression `(function (args) { ... })` that takes a JSON object; these helpers turn it into the
// text runJavaScript runs. Arguments go in as a JSON literal, never spliced into code, so a password
// with quotes or "</script>" in it is just a string.
namespace page_scripts {

inline constexpr QStringView kBridge = u"neo_bridge.js";
inline constexpr QStringView kLoginSubmit = u"login_submit.js";
inline constexpr QStringView kLoginOutcome = u"login_outcome.js";
inline constexpr QStringView kFetch = u"neo_fetch.js";

// The text of :/odis/scripts/<name>; neo_script_failed when the resource is missing.
[[nodiscard]] Result<QString> source(QStringView name);

// The qwebchannel.js that ships with Qt WebChannel; neo_script_failed when missing.
[[nodiscard]] Result<QString> webChannelSource();

// Runs `function(args)` and evaluates to its (JSON-able) return value.
[[nodiscard]] QString syncInvocation(const QString& function, const QJsonObject& args);

// Hands `function(args)` to the bridge prelude (neo_bridge.js), which reports its (possibly
// asynchronous) result through PageBridge::deliver(callId, ...). Evaluates to true when the prelude
// took the call, false when the prelude or the channel is missing in this document.
[[nodiscard]] QString asyncInvocation(int callId, const QString& function, const QJsonObject& args);

} // namespace page_scripts

} // namespace odis::sync
