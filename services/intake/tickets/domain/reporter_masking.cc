#include "services/intake/tickets/domain/reporter_masking.h"

#include <vector>

#include "libs/text/utf8.h"

namespace hotline::intake {

std::string MaskName(absl::string_view name) {
  std::vector<char32_t> chars = text::DecodeUtf8(name);
  if (chars.empty()) {
    return "";
  }
  if (chars.size() == 1) {
    return "*";
  }
  std::string out;
  text::AppendUtf8(chars[0], out);
  out.append(chars.size() - 1, '*');
  return out;
}

std::string MaskPhone(absl::string_view phone) {
  constexpr size_t kHead = 3;
  constexpr size_t kTail = 4;
  std::vector<char32_t> chars = text::DecodeUtf8(phone);
  if (chars.size() < kHead + kTail + 1) {
    return std::string(chars.size(), '*');
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < kHead || i >= chars.size() - kTail) {
      text::AppendUtf8(chars[i], out);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

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
  reporter->set_name(MaskName(reporter->name()));
  reporter->set_phone(MaskPhone(reporter->phone()));
  ticket.set_reporter_masked(true);
}

}  // namespace hotline::intake
