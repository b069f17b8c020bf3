#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace odis::sim::backend {

class BackendDatabase;

// Product analytics events received on the PostHog-compatible /batch/ endpoint. Each event is flagged
// when a property looks like personal data (an e-mail address, a phone number, or a key such as "name",
// "phone", "email", "notes"): the contract forbids those in analytics, so tests can assert none arrived.
class PosthogStore
{
public:
    explicit PosthogStore(BackendDatabase& db);

    Status add(const QJsonArray& events);
    Result<QJsonArray> events();

    [[nodiscard]] static bool looksPersonal(const QJsonObject& properties);

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
