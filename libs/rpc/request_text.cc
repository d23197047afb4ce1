#include "libs/rpc/request_text.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "hotline/common/v1/text.pb.h"

namespace hotline::rpc {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Decodes the code point at text[*i] and moves *i past it; false for a byte
// sequence that is not UTF-8.
bool NextCodePoint(absl::string_view text, size_t* i, char32_t* out) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(*i);
  size_t length;
  char32_t cp;
  char32_t min;
  if (lead < 0x80) {
    *out = lead;
    ++*i;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (*i + length > text.size()) {
    return false;
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      return false;
    }
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  *out = cp;
  *i += length;
  return true;
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// The length in bytes of the white space `text` starts with (front) or ends
// with (back): ASCII white space, U+00A0, U+3000.
size_t SpaceAt(absl::string_view text, bool front) {
  static constexpr absl::string_view kWide[] = {"\xC2\xA0", "\xE3\x80\x80"};
  if (text.empty()) {
    return 0;
  }
  const char c = front ? text.front() : text.back();
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
    return 1;
  }
  for (absl::string_view wide : kWide) {
    if (front ? absl::StartsWith(text, wide) : absl::EndsWith(text, wide)) {
      return wide.size();
    }
  }
  return 0;
}

absl::string_view Trimmed(absl::string_view text) {
  while (size_t n = SpaceAt(text, true)) {
    text.remove_prefix(n);
  }
  while (size_t n = SpaceAt(text, false)) {
    text.remove_suffix(n);
  }
  return text;
}

// Trims `text` and, when that changed it, stores it through `set`.
template <typename Set>
void SetTrimmed(std::string& text, Set set) {
  absl::string_view trimmed = Trimmed(text);
  if (trimmed.size() != text.size()) {
    text = std::string(trimmed);
    set(text);
  }
}

absl::Status CheckString(absl::string_view path, absl::string_view text, bool multiline) {
  const size_t max = multiline ? kMaxMultilineCharacters : kMaxLineCharacters;
  size_t characters = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    if (!NextCodePoint(text, &i, &cp)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": not valid UTF-8 (at character ", characters + 1, ")"));
    }
    ++characters;
    if (IsControl(cp) && !(multiline && (cp == '\n' || cp == '\t'))) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: must not hold control characters (U+%04X%s at character %d)%s", path,
          static_cast<uint32_t>(cp), cp == 0 ? ", NUL," : "", characters,
          (cp == '\n' || cp == '\t') ? "; line breaks and tabs only in free-text fields" : ""));
    }
    if (characters > max) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": at most ", max, " characters"));
    }
  }
  return absl::OkStatus();
}

std::string MapKeyText(const Message& entry) {
  const FieldDescriptor* key = entry.GetDescriptor()->map_key();
  const Reflection* r = entry.GetReflection();
  switch (key->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return absl::StrCat("\"", absl::CHexEscape(r->GetString(entry, key)), "\"");
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(entry, key));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(entry, key));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(entry, key));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(entry, key));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(entry, key) ? "true" : "false";
    default:
      return "?";
  }
}

absl::Status Clean(Message& message, const std::string& prefix);

// A map entry: the key is checked as it is, the value cleaned.
absl::Status CleanMapEntry(Message& entry, const std::string& path) {
  const FieldDescriptor* key = entry.GetDescriptor()->map_key();
  const FieldDescriptor* value = entry.GetDescriptor()->map_value();
  const Reflection* r = entry.GetReflection();
  if (key->type() == FieldDescriptor::TYPE_STRING) {
    absl::Status s = CheckString(path, r->GetString(entry, key), /*multiline=*/false);
    if (!s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("a key of ", s.message()));
    }
  }
  const std::string value_path = absl::StrCat(path, "[", MapKeyText(entry), "]");
  if (value->type() == FieldDescriptor::TYPE_STRING) {
    std::string text = r->GetString(entry, value);
    SetTrimmed(text, [&](std::string t) { r->SetString(&entry, value, std::move(t)); });
    return CheckString(value_path, text, value->options().GetExtension(common::v1::multiline));
  }
  if (value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && r->HasField(entry, value)) {
    return Clean(*r->MutableMessage(&entry, value), absl::StrCat(value_path, "."));
  }
  return absl::OkStatus();
}

absl::Status Clean(Message& message, const std::string& prefix) {
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);  // the fields that are set, in number order
  for (const FieldDescriptor* field : fields) {
    const std::string path = absl::StrCat(prefix, field->name());
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      const bool multiline = field->options().GetExtension(common::v1::multiline);
      if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          std::string text = r->GetRepeatedString(message, field, i);
          SetTrimmed(text, [&](std::string t) { r->SetRepeatedString(&message, field, i, t); });
          if (absl::Status s = CheckString(absl::StrCat(path, "[", i, "]"), text, multiline);
              !s.ok()) {
            return s;
          }
        }
      } else {
        std::string text = r->GetString(message, field);
        SetTrimmed(text, [&](std::string t) { r->SetString(&message, field, std::move(t)); });
        if (absl::Status s = CheckString(path, text, multiline); !s.ok()) {
          return s;
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_map()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          if (absl::Status s = CleanMapEntry(*r->MutableRepeatedMessage(&message, field, i), path);
              !s.ok()) {
            return s;
          }
        }
      } else if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          if (absl::Status s = Clean(*r->MutableRepeatedMessage(&message, field, i),
                                     absl::StrCat(path, "[", i, "]."));
              !s.ok()) {
            return s;
          }
        }
      } else if (absl::Status s = Clean(*r->MutableMessage(&message, field), path + "."); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CleanText(Message& message) { return Clean(message, ""); }

absl::Status CleanRequest(const Message* request) {
  if (request == nullptr) {
    return absl::OkStatus();
  }
  return CleanText(*const_cast<Message*>(request));
}

}  // namespace hotline::rpc
