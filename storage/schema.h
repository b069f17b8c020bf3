#pragma once

#include "storage/database.h"

#include <span>

namespace odis::storage {

// The agent's schema, as ordered migrations. Append new steps; never edit a released one.
std::span<const Migration> agentMigrations();

} // namespace odis::storage
