#pragma once

// No duplicate dispatch (杜绝重复派发): a repair call about the same place as
// an open repair within a window is recorded as an urging of that repair, not
// dispatched again. "The same place" is the same normalised address or the
// same transformer area (台区). Pure; the store finds the candidates and the
// service holds a lock on the place (PlaceLockNames) while it decides, so two
// calls at the same moment cannot both become new repairs.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"

namespace hotline::intake {

// The address as a comparable key: city, county, township, village or
// community and street, each normalised the way routing compares addresses
// (libs/address NormalizeAddressText: full-width forms folded to ASCII,
// ASCII letters in lower case, white space and punctuation removed), joined
// by '|'. The landmark and the province are left out (callers describe the
// landmark differently; the city already places it). "" when the street is
// empty after normalising: such an address matches nothing.
std::string PlaceKey(const common::v1::Address& address);

// The transformer-area id normalised as routing compares it
// (NormalizeAddressText; "" when unknown).
std::string TransformerAreaKey(const common::v1::Address& address);

// Where a new repair call is about.
struct RepairPlace {
  std::string place_key;
  std::string transformer_area;
};

// An open repair that the store found near the new call.
struct OpenRepair {
  std::string ticket_id;
  std::string place_key;
  std::string transformer_area;
  absl::Time created_at;
};

// The earliest of `open` that the call at `place`, made at `now`, repeats: same
// non-empty place key or same non-empty transformer area, created no longer
// than `window` before `now`. nullopt: the call is a new repair.
std::optional<OpenRepair> FindRepeatedRepair(const RepairPlace& place,
                                             const std::vector<OpenRepair>& open, absl::Time now,
                                             absl::Duration window);

// Names of the locks to hold while deciding for `place`, sorted (so that
// every caller takes them in the same order): "repair-place:<key>" and
// "repair-transformer-area:<id>", for the non-empty ones.
std::vector<std::string> PlaceLockNames(const RepairPlace& place);

}  // namespace hotline::intake
