#pragma once

// SQL on the outage schema's reference data (transformer areas with their
// customers, power accounts) and on the interruptions restores write. Every
// function runs inside the caller's transaction; errors are the Status of
// libs/pg/errors.h.

#include <cstdint>
#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/outage/domain/reliability.h"

namespace hotline::outage::store {

// Adds or replaces the rows (by normalised transformer area / account).
absl::Status UpsertTransformerAreas(pqxx::work& tx, const std::vector<TransformerArea>& rows);
absl::Status UpsertAccounts(pqxx::work& tx, const std::vector<AccountPlace>& rows);

absl::StatusOr<std::vector<TransformerArea>> LoadTransformerAreas(pqxx::work& tx);
// The transformer area (as the reference data writes it) of an account.
absl::StatusOr<std::optional<std::string>> TransformerAreaOfAccount(
    pqxx::work& tx, const std::string& account_number);

// Records the interruptions; one already recorded for a notice and
// transformer area stays. Returns the customer-hours of those added.
absl::StatusOr<double> AddInterruptions(pqxx::work& tx,
                                        const std::vector<Interruption>& interruptions);
// Interruptions with time inside [from, to), of these transformer areas
// (normalised ids); all when `transformer_areas` is empty and `all` is set.
absl::StatusOr<std::vector<Interruption>> InterruptionsBetween(
    pqxx::work& tx, absl::Time from, absl::Time to,
    const std::vector<std::string>& transformer_areas, bool all);

}  // namespace hotline::outage::store
