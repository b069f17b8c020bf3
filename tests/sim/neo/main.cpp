// odis-neo-sim: a simulated IDEXX Neo clinic on 127.0.0.1 for the agent's tests and for people.
//   odis-neo-sim --seed 7 --days 7 [--providers 3] [--start-date YYYY-MM-DD] [--now <UTC ISO 8601>]
//                [--clock-speed F] [--clinic-profile FILE] [--second-factor code|otp|placeholder]
//                [--username-field username|email] [--phone-changes]
//                [--port N] [--plain-http] [--tls-dir DIR]
// Prints the login credentials and the CA path (stderr), then `READY <base url>` (stdout); stops on
// SIGTERM/SIGINT with exit code 0.

#include "tests/sim/common/sim_main.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/neo_server.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <cstdio>

using namespace odis::sim;
using namespace odis::sim::neo;

namespace {

const QCommandLineOption kDays(QStringLiteral("days"),
                               QStringLiteral("Calendar days to generate (default 7)."), QStringLiteral("n"),
                               QStringLiteral("7"));
const QCommandLineOption kProviders(QStringLiteral("providers"), QStringLiteral("Vets, 1-20 (default 3)."),
                                    QStringLiteral("n"), QStringLiteral("3"));
const QCommandLineOption
    kStartDate(QStringLiteral("start-date"),
               QStringLiteral("First generated day, clinic-local YYYY-MM-DD (default 2026-03-09)."),
               QStringLiteral("date"));
const QCommandLineOption
    kPhoneChanges(QStringLiteral("phone-changes"),
                  QStringLiteral("Some owners change their mobile number around a visit."));
const QCommandLineOption
    kNow(QStringLiteral("now"),
         QStringLiteral("Simulated time at start, UTC ISO 8601 (default: noon of the third day)."),
         QStringLiteral("utc"));
const QCommandLineOption
    kSpeed(QStringLiteral("clock-speed"),
           QStringLiteral("Simulated seconds per real second; 0 stops the clock (default 0)."),
           QStringLiteral("factor"), QStringLiteral("0"));
const QCommandLineOption
    kProfile(QStringLiteral("clinic-profile"),
             QStringLiteral("Clinic profile JSON (default: tests/sim/common/default-clinic-profile.json)."),
             QStringLiteral("file"));
const QCommandLineOption kUsernameField(
    QStringLiteral("username-field"),
    QStringLiteral("The login's user name input: username (default) or email (an e-mail address "
                   "is then the user name)."),
    QStringLiteral("variant"));
const QCommandLineOption
    kSecondFactor(QStringLiteral("second-factor"),
                  QStringLiteral("Ask for a second factor: code, otp or placeholder (default off)."),
                  QStringLiteral("variant"));

odis::Result<QJsonObject> readProfile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return odis::fail(QStringLiteral("bad_usage"),
                          QStringLiteral("cannot read the clinic profile ") + path);
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    if (!doc.isObject()) {
        return odis::fail(QStringLiteral("bad_usage"),
                          QStringLiteral("the clinic profile is not a JSON object"));
    }
    return doc.object();
}

odis::Result<NeoServerConfig> configFrom(const SimOptions& options, const QCommandLineParser& parser)
{
    bool daysOk = false;
    bool providersOk = false;
    bool speedOk = false;
    ClinicOptions clinic;
    clinic.seed = static_cast<quint32>(options.seed);
    clinic.days = parser.value(kDays).toInt(&daysOk);
    clinic.providers = parser.value(kProviders).toInt(&providersOk);
    const double speed = parser.value(kSpeed).toDouble(&speedOk);
    if (!daysOk || clinic.days < 1 || !providersOk || !speedOk || speed < 0) {
        return odis::fail(
            QStringLiteral("bad_usage"),
            QStringLiteral("--days and --providers take positive integers, --clock-speed a number >= 0"));
    }
    clinic.phoneChanges = parser.isSet(kPhoneChanges);
    if (parser.isSet(kStartDate)) {
        clinic.firstDay = QDate::fromString(parser.value(kStartDate), Qt::ISODate);
        if (!clinic.firstDay.isValid()) {
            return odis::fail(QStringLiteral("bad_usage"), QStringLiteral("--start-date takes YYYY-MM-DD"));
        }
    }
    if (parser.isSet(kProfile)) {
        auto profile = readProfile(parser.value(kProfile));
        if (!profile) {
            return std::unexpected(profile.error());
        }
        clinic.clinicProfile = *profile;
        // The clinic lives where its profile says: the generated days and the ground truth share its zone.
        const QTimeZone zone(profile->value(QStringLiteral("timezone")).toString().toUtf8());
        if (!zone.isValid()) {
            return odis::fail(QStringLiteral("bad_usage"),
                              QStringLiteral("the clinic profile's timezone is unknown"));
        }
        clinic.zone = zone;
    }
    NeoServerConfig config{ClinicModel::generate(clinic)};
    config.clinicProfile = clinic.clinicProfile;
    config.clockSpeed = speed;
    config.faultSeed = options.seed;
    config.startUtc =
        localToUtc(clinic.firstDay.addDays(qMin(2, clinic.days - 1)), QTime(12, 0), clinic.zone);
    if (parser.isSet(kNow)) {
        config.startUtc = QDateTime::fromString(parser.value(kNow), Qt::ISODate);
        if (!config.startUtc.isValid() || config.startUtc.timeSpec() == Qt::LocalTime) {
            return odis::fail(QStringLiteral("bad_usage"),
                              QStringLiteral("--now takes a UTC instant, e.g. 2026-03-11T20:00:00Z"));
        }
    }
    QJsonObject login;
    if (parser.isSet(kSecondFactor))
        login.insert(QStringLiteral("second_factor"), parser.value(kSecondFactor));
    if (parser.isSet(kUsernameField))
        login.insert(QStringLiteral("username_field"), parser.value(kUsernameField));
    if (!login.isEmpty()) {
        auto variants = config.variants.merged(QJsonObject{{QStringLiteral("login"), login}});
        if (!variants) {
            return odis::fail(QStringLiteral("bad_usage"), variants.error().message);
        }
        config.variants = *variants;
    }
    return config;
}

// For the person at the keyboard: what to type into the login page. A test simulator's made-up account,
// never a real secret.
void printCredentials(const NeoState& state)
{
    const NeoAccount& account = state.login.account();
    std::fprintf(stderr, "odis-neo-sim: clinic seed %u, %d days from %s, simulated now %s\n",
                 state.model.options().seed, state.model.options().days,
                 qPrintable(state.model.options().firstDay.toString(Qt::ISODate)),
                 qPrintable(isoUtc(state.now())));
    std::fprintf(stderr, "odis-neo-sim: login company id: %s\n",
                 state.companyIdShown() ? qPrintable(account.companyId) : "(not asked)");
    std::fprintf(stderr, "odis-neo-sim: login user name:  %s\n", qPrintable(account.username));
    std::fprintf(stderr, "odis-neo-sim: login password:   %s\n", qPrintable(account.password));
    if (state.secondFactorOn()) {
        std::fprintf(stderr, "odis-neo-sim: second factor code: %s\n", qPrintable(account.secondFactorCode));
    }
}

} // namespace

int main(int argc, char** argv)
{
    SimProgram program;
    program.name = QStringLiteral("odis-neo-sim");
    program.description =
        QStringLiteral("Simulated IDEXX Neo clinic (login, schedule, consultations, admin API).");
    program.extraOptions = {kDays,    kProviders,    kStartDate,     kNow,         kSpeed,
                            kProfile, kSecondFactor, kUsernameField, kPhoneChanges};
    program.create = [](const SimOptions& options,
                        const QCommandLineParser& parser) -> odis::Result<std::unique_ptr<SimHttpServer>> {
        auto config = configFrom(options, parser);
        if (!config) {
            return std::unexpected(config.error());
        }
        auto server = NeoServer::create(std::move(*config));
        if (!server) {
            return std::unexpected(server.error());
        }
        printCredentials((*server)->state());
        return std::unique_ptr<SimHttpServer>(std::move(*server));
    };
    program.started = [](SimHttpServer& server) {
        std::fprintf(
            stderr,
            "odis-neo-sim: open %s/login in a browser (trust the CA above); admin API under %s/__admin\n",
            qPrintable(server.baseUrl().toString()), qPrintable(server.baseUrl().toString()));
    };
    return runSimulator(argc, argv, program);
}
