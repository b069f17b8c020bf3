#include "tests/sim/neo/neo_test_support.h"

namespace odis::sim::neo::test {

namespace {

QDateTime pdt(int hour, int minute)
{
    return QDateTime(QDate(2026, 3, 10), QTime(hour, minute), Qt::UTC).addSecs(7 * 3600);
}

SimAppointment visit(qint64 id, QTime start, QTime end, const QString& column, const QString& type)
{
    SimAppointment a;
    a.appointmentId = id;
    a.calendarEventId = id + 1000000;
    a.date = QDate(2026, 3, 10);
    a.start = start;
    a.end = end;
    a.resourceId = column;
    a.typeDescription = type;
    a.status = QStringLiteral("Scheduled");
    a.provider = SimProvider{101, QStringLiteral("Dr. Ana Ruiz"), QStringLiteral("ana@clinic.test"),
                             QStringLiteral("CA-12345"), QStringLiteral("Vet")};
    return a;
}

} // namespace

ClinicModel tinyClinic()
{
    ClinicOptions options;
    options.seed = 11;
    options.days = 2;
    options.firstDay = QDate(2026, 3, 9);
    ClinicModel model(options);
    model.addProvider(SimProvider{101, QStringLiteral("Dr. Ana Ruiz"), QStringLiteral("ana@clinic.test"),
                                  QStringLiteral("CA-12345"), QStringLiteral("Vet")});
    model.addColumn(QStringLiteral("9"), QStringLiteral("Exam 1"));
    model.addColumn(QStringLiteral("10"), QStringLiteral("Exam 2"));
    model.setCredentials(kCompanyId, kUsername, kPassword);

    SimAppointment finished =
        visit(kFinishedAppointment, QTime(9, 15), QTime(9, 45), QStringLiteral("9"), QStringLiteral("Exam"));
    finished.reason = QStringLiteral("Limping on the left hind leg");
    finished.patient =
        SimPatient{51234, QStringLiteral("BISCUIT"), QStringLiteral("Canine"), QStringLiteral("Beagle")};
    finished.client = SimClient{40001,
                                QStringLiteral("Jane"),
                                QStringLiteral("Doe García"),
                                QStringLiteral("jane@example.test"),
                                SimPhone::valid(QStringLiteral("415-201-3344"),
                                                QStringLiteral("+14152013344"), SimPhoneKind::MobileOrFixed),
                                SimPhone::valid(QStringLiteral("(415) 201-9999"),
                                                QStringLiteral("+14152019999"), SimPhoneKind::MobileOrFixed)};
    model.addAppointment(finished);
    SimChange checkIn;
    checkIn.atUtc = pdt(9, 20);
    checkIn.status = QStringLiteral("Checked In");
    checkIn.consultationId = kFinishedConsultation;
    model.addChange(kFinishedAppointment, checkIn);
    SimChange done;
    done.atUtc = pdt(10, 0);
    done.status = QStringLiteral("Finalized");
    done.notesHtml = QStringLiteral("<p>Exam normal. <b>Rimadyl</b> for 5 days.</p>");
    done.dischargeSummary = QStringLiteral("Rest for a week.");
    done.lines = QList<SimProductLine>{{1, QStringLiteral("Exam"), 1, false},
                                       {2, QStringLiteral("Rimadyl 75mg"), 10, true}};
    model.addChange(kFinishedAppointment, done);

    SimAppointment block =
        visit(kBlockAppointment, QTime(12, 0), QTime(13, 0), QStringLiteral("9"), QStringLiteral("Block"));
    block.isBlock = true;
    block.blockText = QStringLiteral("Dr out 12:00pm-1:00pm");
    block.provider = {};
    model.addAppointment(block);

    SimAppointment future = visit(kFutureAppointment, QTime(15, 0), QTime(15, 30), QStringLiteral("10"),
                                  QStringLiteral("Vaccines"));
    future.reason = QStringLiteral("Annual vaccines");
    future.patient =
        SimPatient{51235, QStringLiteral("MISO"), QStringLiteral("Feline"), QStringLiteral("DSH")};
    future.client = SimClient{40002,
                              QStringLiteral("Kenji"),
                              QStringLiteral("Tanaka"),
                              {},
                              {},
                              SimPhone::valid(QStringLiteral("4152013345"), QStringLiteral("+14152013345"),
                                              SimPhoneKind::MobileOrFixed)};
    future.schedulePhoneHidden = true;
    model.addAppointment(future);
    SimChange futureCheckIn;
    futureCheckIn.atUtc = pdt(15, 5);
    futureCheckIn.status = QStringLiteral("Checked In");
    futureCheckIn.consultationId = kFutureConsultation;
    model.addChange(kFutureAppointment, futureCheckIn);
    return model;
}

NeoFixture::NeoFixture(std::optional<NeoServerConfig> config)
{
    if (!config) {
        config = NeoServerConfig{tinyClinic()};
        config->startUtc = kNoon;
        config->secondFactorCode = kSecondFactorCode;
    }
    auto pki = TestPki::loadOrCreate(m_dir.path() + QStringLiteral("/pki"));
    auto server = NeoServer::create(std::move(*config));
    if (!pki || !server) {
        return;
    }
    m_pki = *pki;
    m_server = std::move(*server);
    m_server->useTls(*m_pki);
    if (auto base = m_server->start(); base) {
        m_base = *base;
    }
    m_client = newClient();
}

QUrl NeoFixture::url(const QString& pathAndQuery) const
{
    return QUrl(m_base.toString() + pathAndQuery);
}

std::unique_ptr<SimTestClient> NeoFixture::newClient() const
{
    return std::make_unique<SimTestClient>(m_pki ? std::optional(m_pki->clientConfiguration())
                                                 : std::nullopt);
}

QStringList keysOf(const QJsonObject& object)
{
    return sorted(object.keys());
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QJsonObject byId(const QJsonArray& items, const QString& idKey, qint64 id)
{
    for (const QJsonValue v : items) {
        if (v.toObject().value(idKey).toInteger() == id) {
            return v.toObject();
        }
    }
    return {};
}

QByteArray formBody(const QList<QPair<QString, QString>>& fields)
{
    QByteArray body;
    for (const auto& [name, value] : fields) {
        // As a browser encodes a form: a space as '+', a '+' as %2B.
        QByteArray encoded = QUrl::toPercentEncoding(value);
        encoded.replace("%20", "+");
        body += (body.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(name) + '=' + encoded;
    }
    return body;
}

HttpResult NeoFixture::postLogin(SimTestClient& client, const QString& companyId, const QString& username,
                                 const QString& password, const QByteArray& usernameField)
{
    QList<QPair<QString, QString>> fields;
    if (!companyId.isNull()) {
        fields.append({QStringLiteral("company_id"), companyId});
    }
    fields.append({QString::fromLatin1(usernameField), username});
    fields.append({QStringLiteral("password"), password});
    return client.send("POST", url(QStringLiteral("/login")), formBody(fields),
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
}

HttpResult NeoFixture::logIn(SimTestClient& client)
{
    return postLogin(client, kCompanyId, kUsername, kPassword);
}

HttpResult NeoFixture::getJson(SimTestClient& client, const QString& pathAndQuery)
{
    return client.get(url(pathAndQuery),
                      {{"Accept", "application/json"}, {"X-Requested-With", "XMLHttpRequest"}});
}

HttpResult NeoFixture::admin(const QByteArray& method, const QString& path, const QJsonObject& body)
{
    return m_client->sendJson(method, url(QStringLiteral("/__admin") + path), body);
}

} // namespace odis::sim::neo::test
