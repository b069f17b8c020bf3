#pragma once

#include "tests/sim/backend/agent_registry.h"
#include "tests/sim/backend/agent_reports.h"
#include "tests/sim/backend/audit_store.h"
#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/clinic_profiles.h"
#include "tests/sim/backend/command_queue.h"
#include "tests/sim/backend/idempotency_store.h"
#include "tests/sim/backend/item_store.h"
#include "tests/sim/backend/posthog_store.h"

#include <QString>

#include <memory>

namespace odis::sim::backend {

// Everything the backend double keeps, over one database.
struct BackendStores
{
    explicit BackendStores(std::unique_ptr<BackendDatabase> database)
        : db(std::move(database))
        , agents(*db)
        , profiles(*db)
        , idempotency(*db)
        , items(*db)
        , reports(*db)
        , commands(*db)
        , audit(*db)
        , posthog(*db)
    {}

    std::unique_ptr<BackendDatabase> db;
    AgentRegistry agents;
    ClinicProfiles profiles;
    IdempotencyStore idempotency;
    ItemStore items;
    AgentReports reports;
    CommandQueue commands;
    AuditStore audit;
    PosthogStore posthog;
};

// What the admin API can change while the double runs.
struct BackendLimits
{
    static constexpr qint64 kDefaultMaxBatchBytes = 2 * 1024 * 1024; // "2 MiB gzipped": bytes on the wire
    static constexpr int kDefaultMaxBatchItems = 500;

    qint64 maxBatchBytes = kDefaultMaxBatchBytes;
    int maxBatchItems = kDefaultMaxBatchItems;
    QString posthogApiKey; // empty: any non-empty api_key is accepted
};

} // namespace odis::sim::backend
