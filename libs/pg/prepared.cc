#include "libs/pg/prepared.h"

#include <functional>
#include <pqxx/connection_base>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace hotline::pg {

std::string PreparedName(pqxx::transaction_base& tx, const std::string& sql) {
  // A 64-bit hash of the text names it; two of the program's few hundred
  // statements sharing one is not a practical risk, and libpqxx would refuse
  // the second definition rather than run the wrong statement.
  std::string name = absl::StrCat("hotline_", absl::Hex(std::hash<std::string_view>{}(sql)));
  // Declaring the same text under the same name again is a no-op in libpqxx.
  tx.conn().prepare(name, sql);
  return name;
}

}  // namespace hotline::pg
