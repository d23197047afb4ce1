#pragma once

// Code-point helpers for the Chinese text the hotline carries (names, addresses):
// lengths are counted in characters, not bytes, and masking and address
// normalisation work character by character. Protobuf has already checked
// that API strings are valid UTF-8; an invalid byte is taken as one
// character of its own (U+FFFD), so nothing here fails.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hotline::text {

std::vector<char32_t> DecodeUtf8(absl::string_view text);
void AppendUtf8(char32_t code_point, std::string& out);
size_t CountCharacters(absl::string_view text);

}  // namespace hotline::text
