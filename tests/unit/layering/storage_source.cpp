// Fixture of tst_layering_rejects (never compiled): a storage source including a sync/backend header.
#include "tests/unit/layering/backend_header.h"
