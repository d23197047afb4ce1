// intake's TicketIntake requests, as the handler takes them: parsed, cleaned,
// validated (services/intake/tickets/domain/ticket_validation.h). The first
// byte chooses the request; the rest is its wire form.

#include <cstddef>
#include <cstdint>

#include "services/intake/tickets/domain/ticket_validation.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::intake {
namespace {

using fuzz::CheckRequest;

void Check(uint8_t choice, absl::string_view bytes) {
  switch (choice % 7) {
    case 0:
      CheckRequest<v1::CreateTicketRequest>(
          bytes, [](const auto& r) { return ValidateCreateTicket(r, fuzz::kNow); });
      break;
    case 1:
      CheckRequest<v1::GetTicketRequest>(bytes, [](const auto& r) { return ValidateGetTicket(r); });
      break;
    case 2:
      CheckRequest<v1::ListTicketsRequest>(bytes,
                                           [](const auto& r) { return ValidateListTickets(r); });
      break;
    case 3:
      CheckRequest<v1::AddNoteRequest>(bytes, [](const auto& r) { return ValidateAddNote(r); });
      break;
    case 4:
      CheckRequest<v1::UrgeTicketRequest>(bytes,
                                          [](const auto& r) { return ValidateUrgeTicket(r); });
      break;
    case 5:
      CheckRequest<v1::CancelTicketRequest>(bytes,
                                            [](const auto& r) { return ValidateCancelTicket(r); });
      break;
    default:
      CheckRequest<v1::GetHistoryRequest>(bytes,
                                          [](const auto& r) { return ValidateGetHistory(r); });
      break;
  }
}

}  // namespace
}  // namespace hotline::intake

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    hotline::intake::Check(choice, rest);
  }
  return 0;
}
