#include "sync/neo/layout_diagnostics.h"

#include "storage/clock.h"
#include "storage/codes/neo_codes.h"
#include "storage/database.h"
#include "storage/field_cipher.h"
#include "storage/key_provisioning.h"
#include "sync/core/local_time.h"
#include "sync/neo/neo_session.h"

#include <QJsonObject>
#include <QLoggingCategory>

#include <memory>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcDiagnostics, "odis.sync.neo.diagnostics")

QString outlineText(const LayoutCapture& capture)
{
    return QStringLiteral("# Odis Clinic Agent: layout diagnostics of an IDEXX Neo page\n# page: ") +
           capture.pagePath + QStringLiteral("\n# error: ") + capture.errorCode + QStringLiteral(": ") +
           capture.errorMessage + QLatin1Char('\n') + capture.outline + QLatin1Char('\n');
}
} // namespace

QByteArray diagnosticsPurpose(QLatin1StringView kind)
{
    return QByteArrayLiteral("odis-diagnostics/") + QByteArray(kind.data(), kind.size());
}

LayoutDiagnostics::LayoutDiagnostics(storage::CredentialStore& keys, storage::Database& db,
                                     const Clock& clock)
    : m_keys(keys)
    , m_db(db)
    , m_clock(clock)
{}

void LayoutDiagnostics::capture(NeoSession& session, const QString& runId, const QString& pagePath,
                                const Error& reason, Done done)
{
    PageVisitRequest request{
        pagePath, QStringLiteral("dom_outline.js"),
        QJsonObject{{QStringLiteral("maxNodes"), 4000}, {QStringLiteral("maxDepth"), 40}}, true};
    session.visit(request, [this, runId, reason, done = std::move(done)](Result<PageVisitResult> visited) {
        if (!visited) {
            done(propagate(visited));
            return;
        }
        const QJsonObject outline = visited->value.toObject();
        auto capture = std::make_shared<LayoutCapture>();
        capture->pagePath = outline.value(QStringLiteral("path")).toString();
        capture->errorCode = reason.code;
        capture->errorMessage = reason.message;
        capture->outline = outline.value(QStringLiteral("outline")).toString();
        if (outline.value(QStringLiteral("truncated")).toBool()) {
            capture->outline += QStringLiteral("\n# (outline truncated)");
        }
        capture->pdf = visited->pdf;
        if (capture->outline.isEmpty() && capture->pdf.isEmpty()) {
            done(fail(codes::kDiagnosticsEmpty,
                      QStringLiteral("the page could be neither outlined nor printed (HTTP %1)")
                          .arg(visited->httpStatus)));
            return;
        }
        storage::loadOrCreateFieldKeys(
            m_keys, [this, runId, capture, done](Result<storage::FieldKeyRing> ring) {
                if (!ring) {
                    done(propagate(ring));
                    return;
                }
                done(keep(storage::FieldCipher(std::move(*ring)), runId, *capture));
            });
    });
}

Status LayoutDiagnostics::keep(const storage::FieldCipher& cipher, const QString& runId,
                               const LayoutCapture& capture)
{
    const QDateTime now = m_clock.nowUtc();
    const QString createdAt = formatUtcInstant(now);
    const QString expiresAt = formatUtcInstant(now.addDays(kDiagnosticsRetention.count()));
    struct Blob
    {
        QLatin1StringView kind;
        QByteArray plaintext;
    };
    QList<Blob> blobs{{diagnostics_kind::kDomOutline, outlineText(capture).toUtf8()}};
    if (!capture.pdf.isEmpty()) {
        blobs.append({diagnostics_kind::kPagePdf, capture.pdf});
    }
    QList<QByteArray> sealed;
    for (const Blob& blob : blobs) {
        auto s = cipher.seal(blob.plaintext, diagnosticsPurpose(blob.kind));
        if (!s) {
            return propagate(s);
        }
        sealed.append(*s);
    }
    const Status stored = m_db.transaction([&]() -> Status {
        for (qsizetype i = 0; i < blobs.size(); ++i) {
            auto inserted = m_db.execute(
                QStringLiteral("INSERT INTO diagnostics (run_id, kind, created_at, expires_at, sealed) "
                               "VALUES (?, ?, ?, ?, ?)"),
                {runId, QString(blobs.at(i).kind), createdAt, expiresAt, sealed.at(i)});
            if (!inserted) {
                return propagate(inserted);
            }
        }
        return ok();
    });
    if (stored) {
        qCInfo(lcDiagnostics) << "kept" << blobs.size() << "sealed diagnostics for run" << runId;
    }
    return stored;
}

Result<qint64> LayoutDiagnostics::purgeExpired(storage::Database& db, const QDateTime& nowUtc)
{
    // The text form sorts like the instants it holds (fixed-width UTC).
    return db.execute(QStringLiteral("DELETE FROM diagnostics WHERE expires_at <= ?"),
                      {formatUtcInstant(nowUtc)});
}

} // namespace odis::sync
