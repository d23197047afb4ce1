#pragma once

// Masking a tip-off reporter's identity for everyone but the discipline role
// (who sees what is decided in ticket_roles.h). Pure.

#include <string>

#include "absl/strings/string_view.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::intake {

// The first character, then one '*' per further character: "张三丰" -> "张**".
// A one-character name becomes "*" (showing it would show all of it); "" stays "".
std::string MaskName(absl::string_view name);

// The first 3 and the last 4 characters, '*' for each one between:
// "13812345678" -> "138****5678", "010-12345678" -> "010*****5678". Numbers of
// fewer than 8 characters are all '*'; "" stays "".
std::string MaskPhone(absl::string_view phone);

// Whether `ticket` is a report naming its reporter (not anonymous).
bool HasReporterIdentity(const v1::Ticket& ticket);

// Masks the reporter of a report in place (name and phone as above) and sets
// reporter_masked. No-op for other tickets and anonymous reports.
void MaskReporter(v1::Ticket& ticket);

}  // namespace hotline::intake
