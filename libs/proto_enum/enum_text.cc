#include "libs/proto_enum/enum_text.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace hotline {
namespace {

constexpr absl::string_view kZeroSuffix = "UNSPECIFIED";

// "TICKET_STATUS_" for TicketStatus, from the name of its zero value.
absl::string_view Prefix(const google::protobuf::EnumDescriptor* descriptor) {
  const google::protobuf::EnumValueDescriptor* zero = descriptor->FindValueByNumber(0);
  if (zero == nullptr || !absl::EndsWith(zero->name(), kZeroSuffix)) {
    return "";
  }
  absl::string_view name = zero->name();
  name.remove_suffix(kZeroSuffix.size());
  return name;
}

}  // namespace

std::string EnumText(const google::protobuf::EnumDescriptor* descriptor, int value) {
  if (value == 0) {
    return "";
  }
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByNumber(value);
  if (found == nullptr) {
    return "";
  }
  return absl::AsciiStrToLower(absl::StripPrefix(found->name(), Prefix(descriptor)));
}

std::optional<int> ParseEnumNumber(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text) {
  if (text.empty()) {
    return 0;
  }
  if (text != absl::AsciiStrToLower(text)) {
    return std::nullopt;
  }
  std::string name = absl::StrCat(Prefix(descriptor), absl::AsciiStrToUpper(text));
  const google::protobuf::EnumValueDescriptor* found = descriptor->FindValueByName(name);
  if (found == nullptr || found->number() == 0) {
    return std::nullopt;
  }
  return found->number();
}

}  // namespace hotline
