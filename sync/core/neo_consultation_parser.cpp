#include "sync/core/neo_consultation_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kCurrentRootFields{L1("consultation"),     L1("patient"),      L1("client"),
                                        L1("pageData"),         L1("clientBranch"), L1("consultationNotes"),
                                        L1("consultationLines")};
constexpr std::array kCurrentConsultationFields{L1("id"),   L1("reason"), L1("notes"), L1("dischargeSummary"),
                                                L1("date"), L1("status")};
constexpr std::array kCurrentPatientFields{L1("id"), L1("name"), L1("species"), L1("breed")};
constexpr std::array kCurrentClientFields{L1("id"), L1("firstName"), L1("lastName"), L1("phone"),
                                          L1("email")};
constexpr std::array kCurrentPageDataFields{L1("providers")};
constexpr std::array kProviderFields{L1("id"),       L1("name"),     L1("email"), L1("licenseNumber"),
                                     L1("userType"), L1("companyId")};
constexpr std::array kBranchFields{L1("id"), L1("name")};
constexpr std::array kNotesFields{L1("notes")};
constexpr std::array kLineFields{L1("id"), L1("productService"), L1("quantity"), L1("isDeclined")};

constexpr std::array kOlderRootFields{L1("pageData")};
constexpr std::array kOlderPageDataFields{L1("providers"), L1("patient"), L1("client"), L1("consultation"),
                                          L1("clinic")};
constexpr std::array kOlderConsultationFields{L1("id"),    L1("consultationId"),   L1("reason"),
                                              L1("notes"), L1("dischargeSummary"), L1("date"),
                                              L1("status")};
constexpr std::array kOlderPatientFields{L1("id"),          L1("name"), L1("species"), L1("breed"),
                                         L1("dateOfBirth"), L1("sex"),  L1("weight")};
constexpr std::array kOlderClientFields{L1("id"), L1("name"), L1("phone"), L1("email"), L1("address")};
constexpr std::array kOlderClinicFields{L1("id"), L1("name"), L1("phone"), L1("email"), L1("companyId")};

constexpr std::array kStatusField{L1("status")};

// A nested object's reader; when the object is not there, one that reads every field as absent, so
// the object's absence is one warning rather than one per field.
NeoObjectReader nested(const NeoObjectReader& parent, L1 key, Need need)
{
    const std::optional<QJsonObject> object = parent.object(key, need);
    if (!object)
        return NeoObjectReader::absent(parent.fieldPath(key), parent.log());
    return {*object, parent.fieldPath(key), parent.log()};
}

// Runs `read` on each object element of the array `key`; other elements are drift.
template <typename Read> void forEachObject(const NeoObjectReader& parent, L1 key, Need need, Read read)
{
    const QJsonArray array = parent.array(key, need).value_or(QJsonArray());
    const QString path = parent.fieldPath(key) + QStringLiteral("[]");
    for (const QJsonValue element : array) {
        if (!element.isObject()) {
            parent.log().warn(path,
                              QStringLiteral("%1 instead of an object, skipped").arg(jsonTypeName(element)));
            continue;
        }
        read(NeoObjectReader(element.toObject(), path, parent.log()));
    }
}

void readCommonConsultation(const NeoObjectReader& c, NeoConsultation& out)
{
    out.reason = c.text(L1("reason"), Need::Required);
    out.notesHtml = c.text(L1("notes"), Need::Required, kMaxLongText);
    out.dateRaw = c.text(L1("date"), Need::Required);
    if (!out.dateRaw.isEmpty()) {
        Result<LocalDateTime> date = parseLocalDateTime(out.dateRaw, true);
        if (date)
            out.date = *date;
        else
            c.log().warn(c.fieldPath(L1("date")), date.error().message);
    }
    const NeoStatusField status = readStatus(c, kStatusField, Need::Required);
    out.statusRaw = status.raw;
    out.status = status.status;
    if (c.hasValue(L1("dischargeSummary"))) {
        out.dischargeSummaryHtml = c.text(L1("dischargeSummary"), Need::Optional, kMaxLongText);
        out.summarySource = NeoSummarySource::DischargeSummary;
    }
}

NeoConsultationPatient readPatient(const NeoObjectReader& p)
{
    return {p.id(L1("id"), Need::Required).value, p.name(L1("name"), Need::Required),
            p.text(L1("species"), Need::Required), p.text(L1("breed"), Need::Required)};
}

void readProviders(const NeoObjectReader& pageData, QList<NeoProvider>& out)
{
    forEachObject(pageData, L1("providers"), Need::Required, [&](const NeoObjectReader& p) {
        p.reportUnknownKeys(kProviderFields);
        out.append({p.id(L1("id"), Need::Required).value, p.name(L1("name"), Need::Required),
                    p.text(L1("email"), Need::Required).trimmed(),
                    p.text(L1("licenseNumber"), Need::Required), p.text(L1("userType"), Need::Required)});
    });
}

std::optional<NeoBranch> readBranch(const NeoObjectReader& parent, L1 key,
                                    std::span<const QLatin1StringView> known)
{
    const std::optional<QJsonObject> object = parent.object(key, Need::Optional);
    if (!object)
        return std::nullopt;
    const NeoObjectReader b(*object, parent.fieldPath(key), parent.log());
    b.reportUnknownKeys(known);
    return NeoBranch{b.keyText(L1("id"), Need::Required), b.text(L1("name"), Need::Required)};
}

// Product lines are kept even without an id: an end-of-life line ("Cremation") must reach the rules.
void readLines(const NeoObjectReader& root, QList<NeoProductLine>& out)
{
    forEachObject(root, L1("consultationLines"), Need::Required, [&](const NeoObjectReader& l) {
        l.reportUnknownKeys(kLineFields);
        NeoProductLine line;
        line.id = l.id(L1("id"), Need::Required).value;
        line.name = l.text(L1("productService"), Need::Required);
        if (const std::optional<double> quantity = l.number(L1("quantity"), Need::Required))
            line.quantity = *quantity;
        if (line.quantity < 0)
            l.log().warn(l.fieldPath(L1("quantity")), QStringLiteral("negative"));
        line.declined = l.flag(L1("isDeclined"), Need::Required);
        out.append(std::move(line));
    });
}

void readCurrent(const NeoObjectReader& root, NeoConsultation& out, QList<NeoId>& ids)
{
    out.shape = NeoConsultationShape::Current;
    root.reportUnknownKeys(kCurrentRootFields);

    const NeoObjectReader c = nested(root, L1("consultation"), Need::Required);
    c.reportUnknownKeys(kCurrentConsultationFields);
    ids.append(c.id(L1("id"), Need::Required));
    readCommonConsultation(c, out);
    if (out.summarySource == NeoSummarySource::None) {
        const std::optional<QJsonObject> notes = root.object(L1("consultationNotes"), Need::Optional);
        if (notes) {
            const NeoObjectReader n(*notes, root.fieldPath(L1("consultationNotes")), root.log());
            n.reportUnknownKeys(kNotesFields);
            if (n.hasValue(L1("notes"))) {
                out.dischargeSummaryHtml = n.text(L1("notes"), Need::Optional, kMaxLongText);
                out.summarySource = NeoSummarySource::ConsultationNotes;
            }
        }
    }

    const NeoObjectReader p = nested(root, L1("patient"), Need::Required);
    p.reportUnknownKeys(kCurrentPatientFields);
    out.patient = readPatient(p);

    const NeoObjectReader cl = nested(root, L1("client"), Need::Required);
    cl.reportUnknownKeys(kCurrentClientFields);
    out.client.id = cl.id(L1("id"), Need::Required).value;
    out.client.firstName = cl.name(L1("firstName"), Need::Required);
    out.client.lastName = cl.name(L1("lastName"), Need::Required);
    out.client.phone = cl.text(L1("phone"), Need::Optional);
    out.client.email = cl.text(L1("email"), Need::Optional).trimmed();

    const NeoObjectReader pageData = nested(root, L1("pageData"), Need::Required);
    pageData.reportUnknownKeys(kCurrentPageDataFields);
    readProviders(pageData, out.providers);
    out.branch = readBranch(root, L1("clientBranch"), kBranchFields);
    readLines(root, out.lines);
}

void readOlder(const NeoObjectReader& root, NeoConsultation& out, QList<NeoId>& ids)
{
    out.shape = NeoConsultationShape::Older;
    root.reportUnknownKeys(kOlderRootFields);
    const NeoObjectReader pageData = nested(root, L1("pageData"), Need::Required);
    pageData.reportUnknownKeys(kOlderPageDataFields);

    const NeoObjectReader c = nested(pageData, L1("consultation"), Need::Required);
    c.reportUnknownKeys(kOlderConsultationFields);
    // Which of the two is the consultation's own id is not documented (`id` may be the visit's); the
    // requested id must be one of them.
    ids << c.id(L1("id"), Need::Required) << c.id(L1("consultationId"), Need::Optional);
    readCommonConsultation(c, out);

    const NeoObjectReader p = nested(pageData, L1("patient"), Need::Required);
    p.reportUnknownKeys(kOlderPatientFields);
    out.patient = readPatient(p);

    const NeoObjectReader cl = nested(pageData, L1("client"), Need::Required);
    cl.reportUnknownKeys(kOlderClientFields);
    out.client.id = cl.id(L1("id"), Need::Required).value;
    out.client.nameRaw = cl.text(L1("name"), Need::Required);
    const SplitName name = splitClientName(out.client.nameRaw);
    out.client.firstName = name.first;
    out.client.lastName = name.last;
    out.client.phone = cl.text(L1("phone"), Need::Optional);
    out.client.email = cl.text(L1("email"), Need::Optional).trimmed();

    readProviders(pageData, out.providers);
    out.branch = readBranch(pageData, L1("clinic"), kOlderClinicFields);
}

} // namespace

Result<Parsed<NeoConsultation>> parseNeoConsultation(const NeoResponse& response, QStringView requestedId)
{
    const QString endpoint(neo_endpoint::kConsultation);
    const Result<QString> requested = normaliseNeoId(QJsonValue(requestedId.toString()));
    if (!requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the requested id is not a Neo id"));
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc)
        return std::unexpected(doc.error());

    const QJsonObject root = doc->object();
    const bool current = doc->isObject() && root.value(L1("consultation")).isObject();
    const bool older = doc->isObject() && !current &&
                       root.value(L1("pageData")).toObject().value(L1("consultation")).isObject();
    if (!current && !older)
        return fail(QString(neo_error::kUnexpectedShape),
                    endpoint +
                        QStringLiteral(": neither consultation nor pageData.consultation is an object"));

    DriftLog log(endpoint);
    const NeoObjectReader reader(root, QString(), log);
    NeoConsultation consultation;
    QList<NeoId> ids;
    if (current)
        readCurrent(reader, consultation, ids);
    else
        readOlder(reader, consultation, ids);

    bool anyId = false;
    bool matches = false;
    for (const NeoId& id : std::as_const(ids)) {
        anyId = anyId || id.isValid();
        matches = matches || (id.isValid() && id.value == *requested);
    }
    if (anyId && !matches)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the answer is about another consultation than ") +
                        *requested);
    consultation.id = *requested;
    return Parsed<NeoConsultation>{std::move(consultation), log.take()};
}

} // namespace odis::sync
