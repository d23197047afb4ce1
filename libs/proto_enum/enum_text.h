#pragma once

// The one text form of the API's enum values, used by every service in its
// schema, its event payloads, CSV files and reasons: the value's name without its type prefix, in
// lower case ("TICKET_STATUS_IN_PROGRESS" -> "in_progress",
// "COMPLAINT_CATEGORY_SUPPLY_QUALITY" -> "supply_quality"). The zero value
// (XXX_UNSPECIFIED) is the empty text. Every proto3 enum of the API names its
// zero value <PREFIX>_UNSPECIFIED, which is where the prefix comes from.

#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace hotline {

// "" for zero or for a number the enum does not declare.
std::string EnumText(const google::protobuf::EnumDescriptor* descriptor, int value);

// The number for `text`; nullopt when no value has that text (names are
// lower case: "In_Progress" is refused). "" is zero.
std::optional<int> ParseEnumNumber(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text);

template <typename E>
std::string EnumText(E value) {
  return EnumText(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
std::optional<E> ParseEnumText(absl::string_view text) {
  std::optional<int> number = ParseEnumNumber(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!number.has_value()) {
    return std::nullopt;
  }
  return static_cast<E>(*number);
}

// The same for a required value: "" is refused (nullopt) like an unknown text.
template <typename E>
std::optional<E> ParseRequiredEnumText(absl::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return ParseEnumText<E>(text);
}

}  // namespace hotline
