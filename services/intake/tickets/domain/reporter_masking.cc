#include "services/intake/tickets/domain/reporter_masking.h"

#include <vector>

#include "libs/text/masking.h"

namespace hotline::intake {

bool HasReporterIdentity(const v1::Ticket& ticket) {
  if (!ticket.details().has_report()) {
    return false;
  }
  const v1::ReportDetails& report = ticket.details().report();
  return !report.anonymous() &&
         (!report.reporter().name().empty() || !report.reporter().phone().empty());
}

void MaskReporter(v1::Ticket& ticket) {
  if (!HasReporterIdentity(ticket)) {
    return;
  }
  v1::Reporter* reporter = ticket.mutable_details()->mutable_report()->mutable_reporter();
  reporter->set_name(text::MaskName(reporter->name()));
  reporter->set_phone(text::MaskPhone(reporter->phone()));
  ticket.set_reporter_masked(true);
}

}  // namespace hotline::intake
