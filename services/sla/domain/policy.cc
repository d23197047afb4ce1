#include "services/sla/domain/policy.h"

#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/utf8.h"

namespace hotline::sla {
namespace {

using common::v1::AreaClass;
using common::v1::TicketType;

constexpr size_t kMaxBranchIdCharacters = 64;

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("policy.", field, ": ", message));
}

v1::Policy MakeDefault(v1::Stage stage, TicketType type, AreaClass area, v1::Measure measure,
                       absl::Duration limit) {
  v1::Policy policy;
  policy.set_stage(stage);
  policy.set_ticket_type(type);
  policy.set_area_class(area);
  policy.set_measure(measure);
  if (measure != v1::MEASURE_SAME_SHIFT) {
    *policy.mutable_limit() = ToProtoDuration(limit);
  }
  policy.set_version(1);
  policy.set_updated_by("default");
  return policy;
}

// A duration field of a policy file: "" leaves it unset.
absl::Status ParseDurationField(absl::string_view field, absl::string_view text,
                                google::protobuf::Duration* out, bool* set) {
  *set = false;
  if (text.empty()) {
    return absl::OkStatus();
  }
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d == absl::InfiniteDuration() ||
      d == -absl::InfiniteDuration() || !IsValidProtoDuration(ToProtoDuration(d))) {
    return Invalid(field, absl::StrCat("'", text, "' is not a duration (e.g. 45m, 48h, 1h30m)"));
  }
  *out = ToProtoDuration(d);
  *set = true;
  return absl::OkStatus();
}

template <typename E>
absl::Status ParseEnumField(absl::string_view field, absl::string_view text, absl::string_view what,
                            E* out) {
  std::optional<E> value = ParseEnumText<E>(text);
  if (!value.has_value()) {
    return Invalid(field, absl::StrCat("'", text, "' is not ", what));
  }
  *out = *value;
  return absl::OkStatus();
}

absl::StatusOr<v1::Policy> ParsePolicyRow(absl::string_view line) {
  std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
  if (fields.size() != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat(fields.size(), " fields, expected 8 (", kPolicyFileHeader, ")"));
  }
  for (absl::string_view& field : fields) {
    field = absl::StripAsciiWhitespace(field);
  }
  v1::Policy policy;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  TicketType type = common::v1::TICKET_TYPE_UNSPECIFIED;
  AreaClass area = common::v1::AREA_CLASS_UNSPECIFIED;
  v1::Measure measure = v1::MEASURE_UNSPECIFIED;
  if (absl::Status s = ParseEnumField("stage", fields[0], "a stage", &stage); !s.ok()) {
    return s;
  }
  if (absl::Status s = ParseEnumField("ticket_type", fields[1], "a ticket type", &type); !s.ok()) {
    return s;
  }
  if (absl::Status s = ParseEnumField("area_class", fields[2], "an area class", &area); !s.ok()) {
    return s;
  }
  if (absl::Status s = ParseEnumField("measure", fields[4], "a measure", &measure); !s.ok()) {
    return s;
  }
  policy.set_stage(stage);
  policy.set_ticket_type(type);
  policy.set_area_class(area);
  policy.set_branch_id(std::string(fields[3]));
  policy.set_measure(measure);
  google::protobuf::Duration limit;
  bool has_limit = false;
  if (absl::Status s = ParseDurationField("limit", fields[5], &limit, &has_limit); !s.ok()) {
    return s;
  }
  if (has_limit) {
    *policy.mutable_limit() = limit;
  }
  if (!fields[6].empty()) {
    std::vector<absl::string_view> fractions = absl::StrSplit(fields[6], ';');
    for (size_t i = 0; i < fractions.size(); ++i) {
      absl::string_view text = absl::StripAsciiWhitespace(fractions[i]);
      double fraction = 0;
      if (!absl::SimpleAtod(text, &fraction)) {
        return Invalid(absl::StrCat("warn_at[", i, "]"),
                       absl::StrCat("'", text, "' is not a number"));
      }
      policy.add_warn_at(fraction);
    }
  }
  google::protobuf::Duration supervise_after;
  bool has_supervise_after = false;
  if (absl::Status s =
          ParseDurationField("supervise_after", fields[7], &supervise_after, &has_supervise_after);
      !s.ok()) {
    return s;
  }
  if (has_supervise_after) {
    *policy.mutable_supervise_after() = supervise_after;
  }
  if (absl::Status s = ValidatePolicy(policy); !s.ok()) {
    return s;
  }
  policy.set_version(1);
  policy.set_updated_by("file");
  return policy;
}

}  // namespace

absl::Status ValidatePolicy(const v1::Policy& policy) {
  if (policy.stage() == v1::STAGE_UNSPECIFIED) {
    return Invalid("stage", "required");
  }
  if (!v1::Stage_IsValid(policy.stage())) {
    return Invalid("stage", absl::StrCat(policy.stage(), " is not a stage"));
  }
  if (!common::v1::TicketType_IsValid(policy.ticket_type())) {
    return Invalid("ticket_type", absl::StrCat(policy.ticket_type(), " is not a ticket type"));
  }
  if (!common::v1::AreaClass_IsValid(policy.area_class())) {
    return Invalid("area_class", absl::StrCat(policy.area_class(), " is not an area class"));
  }
  if (text::CountCharacters(policy.branch_id()) > kMaxBranchIdCharacters) {
    return Invalid("branch_id", absl::StrCat("at most ", kMaxBranchIdCharacters, " characters"));
  }
  if (policy.measure() == v1::MEASURE_UNSPECIFIED) {
    return Invalid("measure", "required");
  }
  if (!v1::Measure_IsValid(policy.measure())) {
    return Invalid("measure", absl::StrCat(policy.measure(), " is not a measure"));
  }
  if (policy.has_limit() && !IsValidProtoDuration(policy.limit())) {
    return Invalid("limit", "not a valid duration");
  }
  absl::Duration limit = FromProtoDuration(policy.limit());
  if (policy.measure() == v1::MEASURE_SAME_SHIFT) {
    if (limit != absl::ZeroDuration()) {
      return Invalid("limit",
                     "must be unset for a same_shift policy (the shift's end is the limit)");
    }
  } else if (limit <= absl::ZeroDuration()) {
    return Invalid("limit", "must be positive");
  }
  double before = 0;
  for (int i = 0; i < policy.warn_at_size(); ++i) {
    double fraction = policy.warn_at(i);
    if (!(fraction > 0 && fraction < 1 && fraction > before)) {
      return Invalid(absl::StrCat("warn_at[", i, "]"),
                     "must be in (0, 1) and above the one before");
    }
    before = fraction;
  }
  if (policy.has_supervise_after()) {
    if (!IsValidProtoDuration(policy.supervise_after())) {
      return Invalid("supervise_after", "not a valid duration");
    }
    if (FromProtoDuration(policy.supervise_after()) < absl::ZeroDuration()) {
      return Invalid("supervise_after", "must not be negative");
    }
  }
  return absl::OkStatus();
}

std::optional<v1::Policy> MatchPolicy(const std::vector<v1::Policy>& policies, v1::Stage stage,
                                      TicketType type, AreaClass area, const std::string& unit) {
  const v1::Policy* best = nullptr;
  int best_rank = -1;
  for (const v1::Policy& candidate : policies) {
    if (candidate.stage() != stage) {
      continue;
    }
    bool branch = !candidate.branch_id().empty();
    bool typed = candidate.ticket_type() != common::v1::TICKET_TYPE_UNSPECIFIED;
    bool classed = candidate.area_class() != common::v1::AREA_CLASS_UNSPECIFIED;
    if ((branch && candidate.branch_id() != unit) || (typed && candidate.ticket_type() != type) ||
        (classed && candidate.area_class() != area)) {
      continue;
    }
    int rank = (branch ? 4 : 0) + (typed ? 2 : 0) + (classed ? 1 : 0);
    if (rank > best_rank || (rank == best_rank && candidate.version() > best->version())) {
      best = &candidate;
      best_rank = rank;
    }
  }
  if (best == nullptr) {
    return std::nullopt;
  }
  return *best;
}

std::vector<double> WarnFractions(const v1::Policy& policy) {
  if (policy.warn_at_size() == 0) {
    return {0.5, 0.8};
  }
  return {policy.warn_at().begin(), policy.warn_at().end()};
}

std::vector<v1::Policy> DefaultPolicies() {
  using namespace common::v1;
  constexpr AreaClass kAny = AREA_CLASS_UNSPECIFIED;
  return {
      MakeDefault(v1::STAGE_DISPATCH, TICKET_TYPE_REPAIR, kAny, v1::MEASURE_ELAPSED,
                  absl::Minutes(5)),
      MakeDefault(v1::STAGE_CONSULTATION_DISPATCH, TICKET_TYPE_CONSULTATION, kAny,
                  v1::MEASURE_ELAPSED, absl::Minutes(5)),
      MakeDefault(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, v1::MEASURE_ELAPSED,
                  absl::Minutes(45)),
      MakeDefault(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_RURAL, v1::MEASURE_ELAPSED,
                  absl::Minutes(90)),
      MakeDefault(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_REMOTE, v1::MEASURE_ELAPSED,
                  absl::Minutes(120)),
      MakeDefault(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, kAny, v1::MEASURE_ELAPSED,
                  absl::Minutes(90)),
      MakeDefault(v1::STAGE_DEPARTMENT_ANSWER, TICKET_TYPE_CONSULTATION, kAny,
                  v1::MEASURE_WORKING_DAYS, absl::Hours(48)),
      MakeDefault(v1::STAGE_DEPARTMENT_ANSWER, TICKET_TYPE_QUERY, kAny, v1::MEASURE_WORKING_DAYS,
                  absl::Hours(48)),
      MakeDefault(v1::STAGE_CUSTOMER_REPLY, TICKET_TYPE_UNSPECIFIED, kAny, v1::MEASURE_WORKING_DAYS,
                  absl::Hours(24)),
      MakeDefault(v1::STAGE_COMPLAINT_RESULT, TICKET_TYPE_COMPLAINT, kAny, v1::MEASURE_WORKING_DAYS,
                  absl::Hours(48)),
      MakeDefault(v1::STAGE_REPORT_RESULT, TICKET_TYPE_REPORT, kAny, v1::MEASURE_ELAPSED,
                  absl::Hours(216)),
      MakeDefault(v1::STAGE_APPLICATION_CONTACT, TICKET_TYPE_APPLICATION, kAny,
                  v1::MEASURE_WORKING_DAYS, absl::Hours(72)),
      MakeDefault(v1::STAGE_VOICEMAIL, TICKET_TYPE_UNSPECIFIED, kAny, v1::MEASURE_SAME_SHIFT,
                  absl::ZeroDuration()),
  };
}

absl::StatusOr<std::vector<v1::Policy>> ParsePolicyFile(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) {  // a byte order mark, as spreadsheets write it
    text.remove_prefix(3);
  }
  std::vector<v1::Policy> policies;
  std::map<std::tuple<int, int, int, std::string>, int> line_of;
  bool header_seen = false;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::string where = absl::StrCat("line ", number, ": ");
    if (!header_seen) {
      std::vector<std::string> names = absl::StrSplit(line, ',');
      for (std::string& name : names) {
        absl::StripAsciiWhitespace(&name);
      }
      if (absl::StrJoin(names, ",") != kPolicyFileHeader) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "expected the header '", kPolicyFileHeader, "'"));
      }
      header_seen = true;
      continue;
    }
    absl::StatusOr<v1::Policy> policy = ParsePolicyRow(line);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, policy.status().message()));
    }
    auto [it, added] = line_of.emplace(
        std::make_tuple(static_cast<int>(policy->stage()), static_cast<int>(policy->ticket_type()),
                        static_cast<int>(policy->area_class()), policy->branch_id()),
        number);
    if (!added) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, "the same stage, ticket_type, area_class and branch_id as line ", it->second));
    }
    policies.push_back(*std::move(policy));
  }
  if (!header_seen) {
    return absl::InvalidArgumentError(
        absl::StrCat("line 1: expected the header '", kPolicyFileHeader, "'"));
  }
  return policies;
}

}  // namespace hotline::sla
