// survey's requests, as its handlers take them: parsed, cleaned and checked
// (services/survey/domain/survey_requests.h). The first byte chooses; the
// rest is the request's wire form.

#include <cstddef>
#include <cstdint>

#include "services/survey/domain/survey_requests.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::survey {
namespace {

using fuzz::CheckRequest;

void Check(uint8_t choice, absl::string_view bytes) {
  switch (choice % 5) {
    case 0:
      CheckRequest<v1::ScheduleCallbackRequest>(bytes, ValidateSchedule);
      break;
    case 1:
      CheckRequest<v1::RecordAttemptRequest>(bytes, ValidateAttempt);
      break;
    case 2:
      CheckRequest<v1::RecordAnswerRequest>(bytes, ValidateAnswer);
      break;
    case 3:
      CheckRequest<v1::GetCallbackRequest>(bytes, ValidateGet);
      break;
    default:
      CheckRequest<v1::GetSurveyStatsRequest>(bytes, ValidateStats);
      break;
  }
}

}  // namespace
}  // namespace hotline::survey

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    hotline::survey::Check(choice, rest);
  }
  return 0;
}
