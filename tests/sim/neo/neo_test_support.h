#pragma once

// Shared by the Neo simulator's tests: a tiny hand-built clinic whose every value a test can name, an
// in-process HTTPS NeoServer, and a signed-in client.

#include "tests/sim/common/test_pki.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/neo_server.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>
#include <optional>

namespace odis::sim::neo::test {

using odis::sim::test::HttpResult;
using odis::sim::test::SimTestClient;

// The tiny clinic (America/Los_Angeles, PDT = UTC-7 on these days):
//   482913  2026-03-10 09:15-09:45 column 9, Exam, BISCUIT / Jane Doe García, mobile "(415) 201-9999";
//           Checked In at 09:20 local (consultation 700001), Finalized at 10:00 with notes, a discharge
//           summary and two product lines (the second declined).
//   482915  2026-03-10 12:00-13:00 column 9, a block "Dr out 12:00pm-1:00pm".
//   482914  2026-03-10 15:00-15:30 column 10, Vaccines, MISO / Kenji Tanaka, phone hidden on the schedule;
//           Checked In at 15:05 local (consultation 700002).
// kNoon (19:00Z = 12:00 local) is after the first visit and before the second.
inline const QDateTime kNoon = QDateTime(QDate(2026, 3, 10), QTime(19, 0), Qt::UTC);
constexpr qint64 kFinishedAppointment = 482913;
constexpr qint64 kFutureAppointment = 482914;
constexpr qint64 kBlockAppointment = 482915;
constexpr qint64 kFinishedConsultation = 700001;
constexpr qint64 kFutureConsultation = 700002;
inline const QString kCompanyId = QStringLiteral("4821");
inline const QString kUsername = QStringLiteral("frontdesk@clinic.test");
inline const QString kPassword = QStringLiteral("s3cret Pass+word");
inline const QString kSecondFactorCode = QStringLiteral("246810");

[[nodiscard]] ClinicModel tinyClinic();

// A NeoServer over HTTPS on 127.0.0.1 with its test PKI in a temporary directory, and a client that
// trusts that CA.
class NeoFixture
{
public:
    // The tiny clinic at kNoon unless a config is given.
    explicit NeoFixture(std::optional<NeoServerConfig> config = std::nullopt);

    [[nodiscard]] bool isUp() const { return m_server && m_base.isValid(); }
    [[nodiscard]] NeoServer& server() { return *m_server; }
    [[nodiscard]] NeoState& state() { return m_server->state(); }
    [[nodiscard]] QUrl url(const QString& pathAndQuery) const;
    [[nodiscard]] const TestPki& pki() const { return *m_pki; }

    // A new client: its own cookie jar, like a fresh browser.
    [[nodiscard]] std::unique_ptr<SimTestClient> newClient() const;
    SimTestClient& client() { return *m_client; }

    // POST /login with the given fields (form-encoded; an empty name leaves the field out).
    HttpResult postLogin(SimTestClient& client, const QString& companyId, const QString& username,
                         const QString& password, const QByteArray& usernameField = "username");
    HttpResult logIn(SimTestClient& client); // the right credentials
    // A JSON call as the agent makes it (Accept: application/json, X-Requested-With: XMLHttpRequest).
    HttpResult getJson(SimTestClient& client, const QString& pathAndQuery);
    HttpResult admin(const QByteArray& method, const QString& path, const QJsonObject& body = {});

private:
    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<NeoServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
    QUrl m_base;
};

// The schedule of 2026-03-10, the tiny clinic's day.
inline const QString kDay =
    QStringLiteral("/appointments/getCalendarEventData?start=2026-03-10+00:00:00&end=2026-03-10+23:59:59");

// An object's keys, sorted; a list, sorted: for exact field-set comparisons.
[[nodiscard]] QStringList keysOf(const QJsonObject& object);
[[nodiscard]] QStringList sorted(QStringList list);
// The element of `items` whose `idKey` is `id`; empty when none.
[[nodiscard]] QJsonObject byId(const QJsonArray& items, const QString& idKey, qint64 id);

[[nodiscard]] QByteArray formBody(const QList<QPair<QString, QString>>& fields);

} // namespace odis::sim::neo::test
