#pragma once
// Fixture of tst_layering_rejects (never compiled): a header owned by the fixture's odis_sync_backend.
