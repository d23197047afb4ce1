#include "libs/pg/purge.h"

#include <pqxx/pqxx>

#include "libs/pg/prepared.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

constexpr int kBatch = 10000;

}  // namespace

absl::StatusOr<int64_t> DeleteInBatches(Pool& pool, const std::string& delete_sql,
                                        absl::Duration older_than) {
  int64_t deleted = 0;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(
        int64_t n,
        WithTransactionResult<int64_t>(pool, [&](pqxx::work& tx) -> absl::StatusOr<int64_t> {
          return static_cast<int64_t>(
              pg::Exec0(tx, delete_sql, absl::ToInt64Milliseconds(older_than), kBatch)
                  .affected_rows());
        }));
    deleted += n;
    if (n < kBatch) {
      return deleted;
    }
  }
}

}  // namespace hotline::pg
