#pragma once

// Validation of TicketIntake requests: pure functions of the request (and,
// where time matters, `now`). Each returns OK or the first rule broken as
// INVALID_ARGUMENT "<field path>: <rule>", the path as in the proto
// ("customer.phone: must be a Chinese mobile or landline number",
// "details.repair.symptom: required"). Lengths count characters, not bytes.
// An enum's UNSPECIFIED is never a value; numbers the enum does not declare
// are refused too.
//
// What each type needs (beyond idempotency_key, type and channel):
//
//   type          customer        address                    description  details
//   repair        name, phone     county, street, area_class -            repair (1)
//   consultation  phone           -                          -            consultation
//   query         phone           -                          -            query
//   complaint     name, phone     -                          required     complaint
//   report        must be empty   -                          required     report (2)
//   suggestion    -               -                          required     none
//   praise        -               -                          required     none
//   application   name, phone (3) county, street             -            application
//   urging        phone           -                          -            urging
//
// (1) every field but wants_paid_service, which only a customer-owned fault
//     may set; (2) the reporter goes in details.report.reporter; (3) and the
//     account number for kinds on an existing account.
//
// Fields that are given are always checked (formats, lengths, enum values).

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/intake/v1/intake.pb.h"
#include "libs/text/uuid.h"

namespace hotline::intake {

// Length limits (characters) and the clock tolerance for fault times.
struct ValidationLimits {
  size_t idempotency_key = 128;
  size_t name = 50;
  size_t account_number_min = 6;
  size_t account_number_max = 20;
  size_t address_part = 100;
  size_t landmark = 200;
  size_t description = 2000;
  size_t topic = 100;
  size_t answer = 2000;
  size_t note = 2000;
  size_t reason = 500;
  size_t ticket_number = 40;
  // A fault time may lie at most this far after `now` (clocks differ).
  absl::Duration fault_time_future_tolerance = absl::Minutes(5);
};

absl::Status ValidateCreateTicket(const v1::CreateTicketRequest& request, absl::Time now,
                                  const ValidationLimits& limits = ValidationLimits());
absl::Status ValidateGetTicket(const v1::GetTicketRequest& request,
                               const ValidationLimits& limits = ValidationLimits());
// The cursor is checked where it is decoded (ticket_cursor.h).
absl::Status ValidateListTickets(const v1::ListTicketsRequest& request);
absl::Status ValidateAddNote(const v1::AddNoteRequest& request,
                             const ValidationLimits& limits = ValidationLimits());
absl::Status ValidateUrgeTicket(const v1::UrgeTicketRequest& request,
                                const ValidationLimits& limits = ValidationLimits());
absl::Status ValidateCancelTicket(const v1::CancelTicketRequest& request,
                                  const ValidationLimits& limits = ValidationLimits());
absl::Status ValidateGetHistory(const v1::GetHistoryRequest& request);

// Page sizes of ListTickets.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// A canonical UUID text (8-4-4-4-12 hex digits): libs/text's.
using text::IsUuid;

}  // namespace hotline::intake
