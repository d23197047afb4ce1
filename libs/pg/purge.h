#pragma once

// Deleting old rows in batches, each in its own short transaction, so a purge
// of a large table never holds locks or a connection for long.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

// Runs `delete_sql` until it deletes fewer than a batch. The statement takes
// $1, the age in milliseconds of the newest row to delete, and $2, the batch
// size, and must delete at most $2 rows. Returns how many went.
absl::StatusOr<int64_t> DeleteInBatches(Pool& pool, const std::string& delete_sql,
                                        absl::Duration older_than);

}  // namespace hotline::pg
