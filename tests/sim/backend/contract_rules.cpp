#include "tests/sim/backend/contract_rules.h"

namespace odis::sim::backend::contract {

using namespace rules;

const QStringList& itemKinds()
{
    static const QStringList v{QStringLiteral("appointment"), QStringLiteral("consultation"),
                               QStringLiteral("discharge_call")};
    return v;
}

const QStringList& appointmentStatuses()
{
    static const QStringList v{QStringLiteral("scheduled"),   QStringLiteral("checked_in"),
                               QStringLiteral("in_progress"), QStringLiteral("completed"),
                               QStringLiteral("no_show"),     QStringLiteral("cancelled"),
                               QStringLiteral("unknown")};
    return v;
}

const QStringList& runTriggers()
{
    static const QStringList v{QStringLiteral("schedule"), QStringLiteral("manual"), QStringLiteral("remote"),
                               QStringLiteral("catch_up"), QStringLiteral("startup")};
    return v;
}

const QStringList& runStatuses()
{
    static const QStringList v{QStringLiteral("running"), QStringLiteral("completed"),
                               QStringLiteral("partial"), QStringLiteral("failed"),
                               QStringLiteral("interrupted")};
    return v;
}

const QStringList& runWarningCodes()
{
    static const QStringList v{QStringLiteral("neo_layout_changed"),
                               QStringLiteral("neo_value_too_long"),
                               QStringLiteral("neo_invalid_utf8"),
                               QStringLiteral("neo_field_drift"),
                               QStringLiteral("neo_volume_collapse"),
                               QStringLiteral("held_back"),
                               QStringLiteral("neo_drift")};
    return v;
}

const QStringList& heldBackKinds()
{
    static const QStringList v{QStringLiteral("removal"), QStringLiteral("notes_emptied"),
                               QStringLiteral("summary_emptied"), QStringLiteral("phone_removed"),
                               QStringLiteral("status_unfinished")};
    return v;
}

const QStringList& credentialStates()
{
    static const QStringList v{QStringLiteral("not_configured"), QStringLiteral("valid"),
                               QStringLiteral("invalid"), QStringLiteral("needs_second_factor")};
    return v;
}

const QStringList& commandTypes()
{
    static const QStringList v{QStringLiteral("sync_now"), QStringLiteral("pause"), QStringLiteral("resume"),
                               QStringLiteral("deprovision"), QStringLiteral("collect_diagnostics")};
    return v;
}

const QStringList& dischargeDecisions()
{
    static const QStringList v{QStringLiteral("planned"), QStringLiteral("waiting_for_notes"),
                               QStringLiteral("excluded"), QStringLiteral("cancelled"),
                               QStringLiteral("grouped")};
    return v;
}

const QStringList& posthogEvents()
{
    static const QStringList v{QStringLiteral("sync.started"), QStringLiteral("sync.completed"),
                               QStringLiteral("sync.failed"), QStringLiteral("discharge.scheduled"),
                               QStringLiteral("credential.validated")};
    return v;
}

const QList<Field>& enrollRequest()
{
    static const QList<Field> v{string(QStringLiteral("enrollment_code"), Format::NonEmpty),
                                string(QStringLiteral("hostname"), Format::NonEmpty),
                                string(QStringLiteral("os"), Format::NonEmpty),
                                string(QStringLiteral("agent_version"), Format::NonEmpty)};
    return v;
}

const QList<Field>& batchEnvelope()
{
    static const QList<Field> v{string(QStringLiteral("batch_id"), Format::Uuid),
                                string(QStringLiteral("run_id"), Format::NonEmpty),
                                string(QStringLiteral("clinic_id"), Format::NonEmpty),
                                string(QStringLiteral("sent_at"), Format::InstantMs),
                                arrayOf(QStringLiteral("items"), JsonType::Object)};
    return v;
}

const QList<Field>& itemEnvelope()
{
    static const QList<Field> v{
        oneOf(QStringLiteral("kind"), itemKinds()), string(QStringLiteral("key"), Format::NonEmpty),
        string(QStringLiteral("version"), Format::Sha256Hex),
        string(QStringLiteral("observed_at"), Format::InstantMs), anyObject(QStringLiteral("payload"))};
    return v;
}

const QList<Field>& appointmentPayload()
{
    static const QList<Field> v{
        string(QStringLiteral("neo_appointment_id"), Format::DigitsId),
        nullableString(QStringLiteral("neo_consultation_id"), Format::DigitsId),
        string(QStringLiteral("date"), Format::Date),
        string(QStringLiteral("start_time"), Format::TimeHm),
        string(QStringLiteral("end_time"), Format::TimeHm),
        string(QStringLiteral("timezone"), Format::IanaZone),
        oneOf(QStringLiteral("status"), appointmentStatuses()),
        string(QStringLiteral("status_raw")),
        string(QStringLiteral("appointment_type")),
        string(QStringLiteral("reason")),
        boolean(QStringLiteral("is_block")),
        object(QStringLiteral("provider"),
               {nullableString(QStringLiteral("id"), Format::DigitsId), string(QStringLiteral("name"))}),
        nullableString(QStringLiteral("room_id")),
        object(QStringLiteral("patient"),
               {nullableString(QStringLiteral("id"), Format::DigitsId), string(QStringLiteral("name")),
                nullableString(QStringLiteral("species"))}),
        object(QStringLiteral("client"),
               {nullableString(QStringLiteral("id"), Format::DigitsId), string(QStringLiteral("first_name")),
                string(QStringLiteral("last_name")), nullableString(QStringLiteral("email")),
                nullableString(QStringLiteral("phone_e164"), Format::E164),
                nullableString(QStringLiteral("phone_raw"))}),
        boolean(QStringLiteral("removed")),
        optional(oneOf(QStringLiteral("removed_reason"), {QStringLiteral("removed_from_pims")})),
    };
    return v;
}

const QList<Field>& consultationPayload()
{
    static const QList<Field> lines{string(QStringLiteral("name")), number(QStringLiteral("quantity"))};
    static const QList<Field> v{
        string(QStringLiteral("neo_consultation_id"), Format::DigitsId),
        nullableString(QStringLiteral("neo_appointment_id"), Format::DigitsId),
        string(QStringLiteral("date"), Format::Date),
        string(QStringLiteral("status")),
        string(QStringLiteral("reason")),
        string(QStringLiteral("notes_html")),
        string(QStringLiteral("notes_text")),
        string(QStringLiteral("discharge_summary")),
        boolean(QStringLiteral("has_notes")),
        arrayOfObjects(QStringLiteral("products_services"), lines),
        arrayOfObjects(QStringLiteral("declined_products_services"), lines),
        arrayOfObjects(QStringLiteral("providers"),
                       {nullableString(QStringLiteral("id"), Format::DigitsId),
                        string(QStringLiteral("name")), string(QStringLiteral("role"))}),
    };
    return v;
}

const QList<Field>& dischargeCallPayload()
{
    static const QList<Field> v{
        string(QStringLiteral("neo_appointment_id"), Format::DigitsId),
        nullableString(QStringLiteral("neo_consultation_id"), Format::DigitsId),
        oneOf(QStringLiteral("decision"), dischargeDecisions()),
        string(QStringLiteral("reason"), Format::NonEmpty),
        nullableString(QStringLiteral("scheduled_for"), Format::Instant),
        nullableString(QStringLiteral("scheduled_for_local"), Format::LocalInstant),
        nullableString(QStringLiteral("customer_phone"), Format::E164),
        arrayOf(QStringLiteral("rule_trace"), JsonType::String, Format::NonEmpty),
        optional(arrayOf(QStringLiteral("group"), JsonType::String, Format::DigitsId)),
        optional(string(QStringLiteral("grouped_into"), Format::DigitsId)),
    };
    return v;
}

// What a run could not trust in Neo's answers (docs/backend-api.md, `warnings`): in run reports and, for
// the newest finished run, in heartbeats.
namespace {
Field runWarnings()
{
    return arrayOfObjects(
        QStringLiteral("warnings"),
        {oneOf(QStringLiteral("code"), runWarningCodes()), nullableString(QStringLiteral("endpoint")),
         nullableString(QStringLiteral("field")), nullable(oneOf(QStringLiteral("kind"), heldBackKinds())),
         nullableString(QStringLiteral("detail")), integer(QStringLiteral("count"))});
}
} // namespace

const QList<Field>& runReport()
{
    static const QList<Field> v{
        string(QStringLiteral("run_id"), Format::NonEmpty),
        oneOf(QStringLiteral("trigger"), runTriggers()),
        string(QStringLiteral("started_at"), Format::InstantMs),
        nullableString(QStringLiteral("finished_at"), Format::InstantMs),
        oneOf(QStringLiteral("status"), runStatuses()),
        nullableString(QStringLiteral("step")),
        object(QStringLiteral("counts"),
               {integer(QStringLiteral("appointments_seen")),
                integer(QStringLiteral("consultations_fetched")), integer(QStringLiteral("notes_found")),
                integer(QStringLiteral("items_queued")), integer(QStringLiteral("items_uploaded")),
                integer(QStringLiteral("calls_planned")), integer(QStringLiteral("calls_excluded")),
                integer(QStringLiteral("failed"))}),
        nullableObject(QStringLiteral("error"),
                       {string(QStringLiteral("code"), Format::NonEmpty), string(QStringLiteral("message"))}),
        integer(QStringLiteral("duration_ms")),
        number(QStringLiteral("peak_rss_mb")),
        // Absent from agents that predate it: no warnings.
        optional(runWarnings()),
    };
    return v;
}

const QList<Field>& heartbeat()
{
    static const QList<Field> v{
        string(QStringLiteral("state"), Format::NonEmpty),
        string(QStringLiteral("version"), Format::NonEmpty),
        nullableString(QStringLiteral("last_success_at"), Format::InstantMs),
        nullableString(QStringLiteral("next_sync_at"), Format::InstantMs),
        integer(QStringLiteral("outbox_depth")),
        integer(QStringLiteral("failed_items")),
        oneOf(QStringLiteral("credential_state"), credentialStates()),
        nullableString(QStringLiteral("paused_until"), Format::InstantMs),
        arrayOf(QStringLiteral("alerts"), JsonType::Any),
        // The newest finished run, so operations see its warnings between run reports; absent from agents
        // that predate it, null before the first run ends.
        optional(nullableObject(
            QStringLiteral("last_run"),
            {string(QStringLiteral("run_id"), Format::NonEmpty),
             oneOf(QStringLiteral("trigger"), runTriggers()), oneOf(QStringLiteral("status"), runStatuses()),
             string(QStringLiteral("finished_at"), Format::InstantMs),
             nullableString(QStringLiteral("error_code"), Format::NonEmpty), runWarnings()})),
    };
    return v;
}

const QList<Field>& commandAck()
{
    static const QList<Field> v{anyObject(QStringLiteral("result"))};
    return v;
}

const QList<Field>& auditBatch()
{
    static const QList<Field> v{arrayOfObjects(
        QStringLiteral("entries"),
        {integer(QStringLiteral("seq"), 1), string(QStringLiteral("at"), Format::InstantMs),
         string(QStringLiteral("actor"), Format::NonEmpty),
         string(QStringLiteral("action"), Format::NonEmpty), string(QStringLiteral("target")),
         string(QStringLiteral("outcome"), Format::NonEmpty), string(QStringLiteral("prev_hash")),
         string(QStringLiteral("hash"), Format::NonEmpty)})};
    return v;
}

const QList<Field>& posthogBatch()
{
    static const QList<Field> v{
        string(QStringLiteral("api_key"), Format::NonEmpty),
        arrayOfObjects(QStringLiteral("batch"), {oneOf(QStringLiteral("event"), posthogEvents()),
                                                 string(QStringLiteral("distinct_id"), Format::NonEmpty),
                                                 string(QStringLiteral("timestamp"), Format::InstantMs),
                                                 string(QStringLiteral("uuid"), Format::Uuid),
                                                 anyObject(QStringLiteral("properties"))}),
    };
    return v;
}

} // namespace odis::sim::backend::contract
