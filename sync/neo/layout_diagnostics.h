#pragma once

// Diagnostics of a Neo page the agent could not read (neo_layout_changed): a PDF print of the page and
// an outline of its structure (resources/scripts/dom_outline.js: tags, ids, classes, test ids and the
// names of other attributes; never text or other values). Both are sealed with the field key ring
// (storage/field_cipher.h) and kept in the `diagnostics` table for 7 days, so that a field team can
// fix the selector profile without anyone copying clinic data around.
//
// Why a PDF and not a screenshot: the session's page has no view (QtWebEngine is confined to one
// view-less page, and sync does not link Qt Widgets), and an image grab needs a QWebEngineView whose
// compositor renders through OpenGL, which the offscreen platform of an unattended workstation or CI
// does not have. QWebEnginePage::printToPdf renders the same document in Chromium's print path,
// headless, with no view.

#include "storage/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QLatin1StringView>
#include <QString>

#include <chrono>
#include <functional>

namespace odis {
class Clock;
}
namespace odis::storage {
class CredentialStore;
class Database;
class FieldCipher;
} // namespace odis::storage

namespace odis::sync {

class NeoSession;

// What was captured of one page.
struct LayoutCapture
{
    QString pagePath;     // the page's path with record ids masked ("/consultations/#/details")
    QString errorCode;    // "neo_layout_changed"
    QString errorMessage; // names the page and the field, never a value
    QString outline;      // dom_outline.js; empty when the page could not be outlined
    QByteArray pdf;       // empty when printing failed
};

// The rows of the diagnostics table: kind, and what the sealed blob's purpose bytes are.
namespace diagnostics_kind {
inline constexpr QLatin1StringView kDomOutline{"dom_outline"}; // UTF-8 text
inline constexpr QLatin1StringView kPagePdf{"page_pdf"};       // application/pdf
} // namespace diagnostics_kind

inline constexpr std::chrono::days kDiagnosticsRetention{7};

// The purpose a diagnostics blob of `kind` is sealed for (FieldCipher::seal): opening it as another
// kind fails.
[[nodiscard]] QByteArray diagnosticsPurpose(QLatin1StringView kind);

// Captures and keeps diagnostics. Asynchronous; callbacks run later from the event loop.
class LayoutDiagnostics
{
public:
    using Done = std::function<void(Status)>;

    // `keys` gives the field key ring (loadOrCreateFieldKeys) only when something is kept.
    LayoutDiagnostics(storage::CredentialStore& keys, storage::Database& db, const Clock& clock);

    // Loads `pagePath` in the session's page again, outlines it and prints it, then keeps both under
    // `runId`. The callback's error says what could not be kept; the read's own error stands anyway.
    void capture(NeoSession& session, const QString& runId, const QString& pagePath, const Error& reason,
                 Done done);

    // Seals the capture's outline and PDF into two rows (expires_at = now + 7 days) in one transaction.
    // Errors: the cipher's and the store's.
    [[nodiscard]] Status keep(const storage::FieldCipher& cipher, const QString& runId,
                              const LayoutCapture& capture);

    // Deletes every row whose expires_at has passed; the number deleted. The run calls it once per run.
    [[nodiscard]] static Result<qint64> purgeExpired(storage::Database& db, const QDateTime& nowUtc);

private:
    storage::CredentialStore& m_keys;
    storage::Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::sync
