#pragma once

// Chromium, inside QtWebEngine, prints its own diagnostics straight to standard error (and from its
// renderer processes too): page URLs, network and script errors, words of the page. None of that passes
// the agent's redaction, so it is switched off before QtWebEngine starts: only a fatal message (the
// process is dying) can still appear. What QtWebEngine reports through Qt's own logging reaches the
// agent's redacted log as usual, and the page's console is read by NeoPage (never its words).

namespace odis::sync {

// Adds --disable-logging and --log-level=3 to QTWEBENGINE_CHROMIUM_FLAGS, keeping the flags already
// there. Call before the application object (and QtWebEngine) exists.
void quietChromiumLogging();

} // namespace odis::sync
