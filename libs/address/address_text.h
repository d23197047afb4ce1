#pragma once

// The one way addresses are compared: routing (dispatch), duplicate-repair
// detection (intake) and the outage matcher all look at address text through
// these functions, so two spellings that one of them takes for the same place
// are the same place for all of them. Pure; thread-safe.
//
// What counts as the same text (NormalizeAddressText):
//  - full-width ASCII forms (U+FF01-U+FF5E) are their ASCII letters, digits
//    and signs ("Ｆ１２" is "F12");
//  - ASCII letters compare without case;
//  - white space (ASCII, U+3000 ideographic space, U+00A0) and punctuation
//    (ASCII, and the Chinese marks ·、。‘’“”—…〈〉《》「」『』【】) are
//    left out, wherever they stand;
//  - nothing else changes: Chinese characters stay as written and no suffix
//    (区, 县, 镇, 村, 市 ...) is dropped: domain.md gives no such rule, and
//    "城关" and "城关镇" can be different places.
// An invalid UTF-8 byte counts as one U+FFFD character.
//
// Where an address is (AddressHolds): a territory's area path names the
// levels from the province down; an address may leave out upper levels
// (intake asks only for the county and the street). A part the address leaves
// empty is unknown and is not held against it; a part it gives must equal.

#include <array>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hotline/common/v1/common.pb.h"

namespace hotline::address {

// The comparable form of one part of an address, or of a feeder or
// transformer-area id ("" for text that is only spaces and punctuation).
std::string NormalizeAddressText(absl::string_view text);

// Province, city, county, township, village or community.
inline constexpr int kAreaLevels = 5;

// The area parts of an address, province first, each normalised ("" where
// the address gives none).
using AreaParts = std::array<std::string, kAreaLevels>;
AreaParts AreaPartsOf(const common::v1::Address& address);

// An address with only these area parts, as written (the reverse of
// AreaPartsOf, for areas read from files and for tests).
common::v1::Address AreaAddress(absl::string_view province, absl::string_view city = "",
                                absl::string_view county = "", absl::string_view township = "",
                                absl::string_view village_or_community = "");

// An area path as territories store it ("Province/City/County"), split at
// '/' and each part normalised; at most kAreaLevels parts are meaningful.
std::vector<std::string> SplitAreaPath(absl::string_view path);

// Whether the address lies in `area` (SplitAreaPath parts, province first):
// the address gives the area's deepest part and it is equal, and every part
// above it that the address gives is equal too. False for an empty area or
// one deeper than kAreaLevels.
bool AddressHolds(const std::vector<std::string>& area, const AreaParts& address);

// The same for an area given by its parts (AreaPartsOf of an area such as an
// outage notice's), which may leave out levels above its deepest part as an
// address does ("城关镇/东风村" without its county): the address gives the
// area's deepest part and it is equal, and every level above it that both
// give is equal. False for an area that gives no part.
bool AddressHolds(const AreaParts& area, const AreaParts& address);

// Whether two areas may be one place or one inside the other: they are equal
// on every level both name. Two areas that an address without its upper
// levels lies in, and that do not nest, are two different places: the
// address is ambiguous.
bool AreasNest(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace hotline::address
