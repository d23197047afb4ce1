#pragma once

// Masking a tip-off reporter's identity for everyone but the discipline role
// (who sees what is decided in ticket_roles.h), with libs/text/masking.h.
// Pure.

#include <string>

#include "absl/strings/string_view.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::intake {

// Whether `ticket` is a report naming its reporter (not anonymous).
bool HasReporterIdentity(const v1::Ticket& ticket);

// Masks the reporter of a report in place (name and phone as above) and sets
// reporter_masked. No-op for other tickets and anonymous reports.
void MaskReporter(v1::Ticket& ticket);

}  // namespace hotline::intake
