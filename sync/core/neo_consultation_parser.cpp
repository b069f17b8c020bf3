#include "sync/core/neo_consultation_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kStatusField{L1("status")};

// The contract has checked the answer (neo_contract.h): the objects below are there and every field
// read is of a type and form the table allows, or an Optional one that may be absent.
NeoObjectReader nested(const NeoObjectReader& parent, L1 key)
{
    return {parent.object(key, Need::Optional).value_or(QJsonObject()), parent.fieldPath(key), parent.log()};
}

template <typename Read> void forEachObject(const NeoObjectReader& parent, L1 key, Read read)
{
    const QJsonArray array = parent.array(key, Need::Optional).value_or(QJsonArray());
    const QString path = parent.fieldPath(key) + QStringLiteral("[]");
    for (const QJsonValue element : array)
        read(NeoObjectReader(element.toObject(), path, parent.log()));
}

void readCommonConsultation(const NeoObjectReader& c, NeoConsultation& out)
{
    out.reason = c.text(L1("reason"), Need::Optional);
    out.notesHtml = c.text(L1("notes"), Need::Optional);
    out.dateRaw = c.text(L1("date"), Need::Optional);
    if (!out.dateRaw.isEmpty()) {
        if (Result<LocalDateTime> date = parseLocalDateTime(out.dateRaw, true))
            out.date = *date;
    }
    const NeoStatusField status = readStatus(c, kStatusField, Need::Required);
    out.statusRaw = status.raw;
    out.status = status.status;
    if (c.hasValue(L1("dischargeSummary"))) {
        out.dischargeSummaryHtml = c.text(L1("dischargeSummary"), Need::Optional);
        out.summarySource = NeoSummarySource::DischargeSummary;
    }
}

void readProviders(const NeoObjectReader& pageData, QList<NeoProvider>& out)
{
    forEachObject(pageData, L1("providers"), [&](const NeoObjectReader& p) {
        out.append({p.id(L1("id"), Need::Optional).value, p.name(L1("name"), Need::Optional),
                    p.text(L1("userType"), Need::Optional)});
    });
}

// Product lines are kept even without an id: an end-of-life line ("Cremation") must reach the rules.
void readLines(const NeoObjectReader& root, QList<NeoProductLine>& out)
{
    forEachObject(root, L1("consultationLines"), [&](const NeoObjectReader& l) {
        NeoProductLine line;
        line.name = l.text(L1("productService"), Need::Optional);
        if (const std::optional<double> quantity = l.number(L1("quantity"), Need::Optional))
            line.quantity = *quantity;
        if (line.quantity < 0)
            l.log().warn(l.fieldPath(L1("quantity")), QStringLiteral("negative"));
        line.declined = l.flag(L1("isDeclined"), Need::Optional);
        out.append(std::move(line));
    });
}

void readCurrent(const NeoObjectReader& root, NeoConsultation& out, QList<NeoId>& ids)
{
    out.shape = NeoConsultationShape::Current;
    const NeoObjectReader c = nested(root, L1("consultation"));
    ids.append(c.id(L1("id"), Need::Optional));
    readCommonConsultation(c, out);
    const bool summaryKey = c.has(L1("dischargeSummary"));
    bool notesKey = false;
    if (const std::optional<QJsonObject> notes = root.object(L1("consultationNotes"), Need::Optional)) {
        const NeoObjectReader n(*notes, root.fieldPath(L1("consultationNotes")), root.log());
        notesKey = true;
        if (out.summarySource == NeoSummarySource::None && n.hasValue(L1("notes"))) {
            out.dischargeSummaryHtml = n.text(L1("notes"), Need::Optional);
            out.summarySource = NeoSummarySource::ConsultationNotes;
        }
    }
    out.summaryGiven = summaryKey || notesKey;
    const NeoObjectReader patient = nested(root, L1("patient"));
    out.patient.id = patient.id(L1("id"), Need::Optional).value;
    out.patient.species = patient.text(L1("species"), Need::Optional);
    const NeoObjectReader client = nested(root, L1("client"));
    out.client.phoneGiven = client.has(L1("phone"));
    out.client.phone = client.text(L1("phone"), Need::Optional);
    readProviders(nested(root, L1("pageData")), out.providers);
    readLines(root, out.lines);
}

void readOlder(const NeoObjectReader& root, NeoConsultation& out, QList<NeoId>& ids)
{
    out.shape = NeoConsultationShape::Older;
    const NeoObjectReader pageData = nested(root, L1("pageData"));
    const NeoObjectReader c = nested(pageData, L1("consultation"));
    // Which of the two is the consultation's own id is not documented (`id` may be the visit's); the
    // requested id must be one of them.
    ids << c.id(L1("id"), Need::Optional) << c.id(L1("consultationId"), Need::Optional);
    readCommonConsultation(c, out);
    const NeoObjectReader patient = nested(pageData, L1("patient"));
    out.patient.id = patient.id(L1("id"), Need::Optional).value;
    out.patient.species = patient.text(L1("species"), Need::Optional);
    out.client.phone = nested(pageData, L1("client")).text(L1("phone"), Need::Optional);
    readProviders(pageData, out.providers);
}

} // namespace

Result<Parsed<NeoConsultation>> parseNeoConsultation(const NeoResponse& response, QStringView requestedId,
                                                     NeoAnswerCheck* check)
{
    const QString endpoint(neo_endpoint::kConsultation);
    const Result<QString> requested = normaliseNeoId(QJsonValue(requestedId.toString()));
    if (!requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the requested id is not a Neo id"));
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc && doc.error().code == neo_refusal::kValueTooLong) {
        // Too large to read at all (a note of megabytes): this consultation is refused, as a value over
        // its field's limit is, and read again next run.
        if (check)
            check->refusals.append(
                NeoItemRefusal{0, doc.error().code, QString(kWholeAnswerField),
                               QStringLiteral("more than %1 bytes, not read").arg(response.tooLargeBytes)});
        return std::unexpected(doc.error());
    }
    if (!doc && doc.error().code == neo_error::kUnexpectedShape) // a JSON scalar
        return std::unexpected(
            unknownShapeError(neo_endpoint::kConsultation, QStringLiteral("a JSON scalar")));
    if (!doc)
        return propagate(doc);

    const QJsonObject root = doc->object();
    const bool current = doc->isObject() && root.value(L1("consultation")).isObject();
    const bool older = doc->isObject() && !current &&
                       root.value(L1("pageData")).toObject().value(L1("consultation")).isObject();
    if (!current && !older)
        return std::unexpected(unknownShapeError(
            neo_endpoint::kConsultation, doc->isObject() ? keysText(root) : QStringLiteral("an array")));

    NeoContractCheck checker(
        neoShapeContract(current ? NeoShapeId::ConsultationCurrent : NeoShapeId::ConsultationOlder),
        response.invalidUtf8);
    checker.check(root);
    if (check)
        *check = checker.result();
    if (!checker.valid())
        return std::unexpected(checker.error());

    DriftLog log(endpoint);
    for (const DriftWarning& w : checker.unknownFields())
        for (int n = 0; n < w.occurrences; ++n)
            log.unknownField(w.field);
    const NeoObjectReader reader(root, QString(), log);
    NeoConsultation consultation;
    QList<NeoId> ids;
    if (current)
        readCurrent(reader, consultation, ids);
    else
        readOlder(reader, consultation, ids);

    bool matches = false;
    for (const NeoId& id : std::as_const(ids))
        matches = matches || (id.isValid() && id.value == *requested);
    if (!matches)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the answer is about another consultation than ") +
                        *requested);
    if (!checker.refusals().isEmpty()) {
        const NeoItemRefusal& refusal = checker.refusals().first();
        return fail(refusal.code, endpoint + u' ' + refusal.field + QStringLiteral(": ") + refusal.detail);
    }
    consultation.id = *requested;
    return Parsed<NeoConsultation>{std::move(consultation), log.take()};
}

} // namespace odis::sync
