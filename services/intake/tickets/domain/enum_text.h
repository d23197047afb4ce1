#pragma once

// The text form of the API's enum values, as stored in the intake schema and
// carried in event payloads: the value's name without its type prefix, in
// lower case ("TICKET_STATUS_IN_PROGRESS" -> "in_progress",
// "COMPLAINT_CATEGORY_SUPPLY_QUALITY" -> "supply_quality"). The zero value
// (XXX_UNSPECIFIED) is the empty text. Every proto3 enum of the API names its
// zero value <PREFIX>_UNSPECIFIED, which is where the prefix comes from.

#include <google/protobuf/generated_enum_reflection.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace hotline::intake {

// "" for zero or for a number the enum does not declare.
std::string EnumText(const google::protobuf::EnumDescriptor* descriptor, int value);

// The number for `text`; nullopt when no value has that text. "" is zero.
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

}  // namespace hotline::intake
