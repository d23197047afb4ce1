// outage's requests, as its handlers take them: parsed, cleaned and checked
// (services/outage/domain/notice_requests.h), a publication with its lead
// times against a fixed clock. The first byte chooses; the rest is the
// request's wire form.

#include <cstddef>
#include <cstdint>

#include "services/outage/domain/notice_requests.h"
#include "services/outage/domain/notice_rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::outage {
namespace {

using fuzz::CheckRequest;

void Check(uint8_t choice, absl::string_view bytes) {
  switch (choice % 10) {
    case 0:
      CheckRequest<v1::PublishNoticeRequest>(bytes, [](const v1::PublishNoticeRequest& r) {
        return ValidatePublish(r, NoticeRules(), fuzz::kNow);
      });
      break;
    case 1:
      CheckRequest<v1::AmendNoticeRequest>(bytes, ValidateAmend);
      break;
    case 2:
      CheckRequest<v1::CancelNoticeRequest>(bytes, ValidateCancel);
      break;
    case 3:
      CheckRequest<v1::StartNoticeRequest>(bytes, ValidateStart);
      break;
    case 4:
      CheckRequest<v1::RestoreNoticeRequest>(bytes, ValidateRestore);
      break;
    case 5:
      CheckRequest<v1::ConfirmNoticeRequest>(bytes, ValidateConfirm);
      break;
    case 6:
      CheckRequest<v1::GetNoticeRequest>(bytes, ValidateGet);
      break;
    case 7:
      CheckRequest<v1::CheckAddressRequest>(bytes, ValidateCheck);
      break;
    case 8:
      CheckRequest<v1::ListNoticesRequest>(bytes, ValidateList);
      break;
    default:
      CheckRequest<v1::GetReliabilityRequest>(bytes, ValidateReliability);
      break;
  }
}

}  // namespace
}  // namespace hotline::outage

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    hotline::outage::Check(choice, rest);
  }
  return 0;
}
