// Deadline policies: validation, the most specific match, the defaults and
// the policy file.

#include "services/sla/domain/policy.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::sla {
namespace {

using common::v1::AreaClass;
using common::v1::TicketType;
using ::testing::ElementsAre;

std::string ReadSourceFile(const std::string& path) {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  std::ifstream in(absl::StrCat(dir != nullptr ? dir : HOTLINE_SOURCE_DIR, "/", path));
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

v1::Policy Make(v1::Stage stage, TicketType type, AreaClass area, std::string branch,
                absl::Duration limit, int64_t version = 1) {
  v1::Policy p;
  p.set_stage(stage);
  p.set_ticket_type(type);
  p.set_area_class(area);
  p.set_branch_id(std::move(branch));
  p.set_measure(v1::MEASURE_ELAPSED);
  *p.mutable_limit() = ToProtoDuration(limit);
  p.set_version(version);
  return p;
}

v1::Policy Valid() {
  return Make(v1::STAGE_ARRIVAL, common::v1::TICKET_TYPE_REPAIR, common::v1::AREA_CLASS_URBAN, "",
              absl::Minutes(45));
}

TEST(PolicyValidate, TheDefaultsAreValid) {
  for (const v1::Policy& p : DefaultPolicies()) {
    EXPECT_TRUE(ValidatePolicy(p).ok()) << ValidatePolicy(p) << " " << p.ShortDebugString();
    EXPECT_EQ(p.version(), 1);
    EXPECT_EQ(p.updated_by(), "default");
  }
  EXPECT_TRUE(ValidatePolicy(Valid()).ok());
}

TEST(PolicyValidate, ErrorsNameTheField) {
  struct Case {
    std::function<void(v1::Policy&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](v1::Policy& p) { p.clear_stage(); }, "policy.stage: required"},
      {[](v1::Policy& p) { p.set_stage(static_cast<v1::Stage>(42)); },
       "policy.stage: 42 is not a stage"},
      {[](v1::Policy& p) { p.clear_measure(); }, "policy.measure: required"},
      {[](v1::Policy& p) { p.set_measure(static_cast<v1::Measure>(9)); },
       "policy.measure: 9 is not a measure"},
      {[](v1::Policy& p) { p.set_ticket_type(static_cast<TicketType>(99)); },
       "policy.ticket_type: 99 is not a ticket type"},
      {[](v1::Policy& p) { p.set_area_class(static_cast<AreaClass>(-1)); },
       "policy.area_class: -1 is not an area class"},
      {[](v1::Policy& p) { p.set_branch_id(std::string(65, 'b')); },
       "policy.branch_id: at most 64 characters"},
      {[](v1::Policy& p) { p.clear_limit(); }, "policy.limit: must be positive"},
      {[](v1::Policy& p) { *p.mutable_limit() = ToProtoDuration(absl::ZeroDuration()); },
       "policy.limit: must be positive"},
      {[](v1::Policy& p) { *p.mutable_limit() = ToProtoDuration(-absl::Minutes(5)); },
       "policy.limit: must be positive"},
      {[](v1::Policy& p) {
         p.mutable_limit()->set_seconds(5);
         p.mutable_limit()->set_nanos(-1);
       },
       "policy.limit: not a valid duration"},
      {[](v1::Policy& p) { p.set_measure(v1::MEASURE_SAME_SHIFT); },
       "policy.limit: must be unset for a same_shift policy (the shift's end is the limit)"},
      {[](v1::Policy& p) {
         p.add_warn_at(0.5);
         p.add_warn_at(0.5);
       },
       "policy.warn_at[1]: must be in (0, 1) and above the one before"},
      {[](v1::Policy& p) { p.add_warn_at(1); },
       "policy.warn_at[0]: must be in (0, 1) and above the one before"},
      {[](v1::Policy& p) { p.add_warn_at(0); },
       "policy.warn_at[0]: must be in (0, 1) and above the one before"},
      {[](v1::Policy& p) {
         p.add_warn_at(0.8);
         p.add_warn_at(0.9);
         p.add_warn_at(0.7);
       },
       "policy.warn_at[2]: must be in (0, 1) and above the one before"},
      {[](v1::Policy& p) { *p.mutable_supervise_after() = ToProtoDuration(-absl::Seconds(1)); },
       "policy.supervise_after: must not be negative"},
  };
  for (const Case& c : cases) {
    v1::Policy p = Valid();
    c.edit(p);
    absl::Status s = ValidatePolicy(p);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST(PolicyValidate, WhatIsAllowed) {
  v1::Policy same_shift = Valid();
  same_shift.set_measure(v1::MEASURE_SAME_SHIFT);
  same_shift.clear_limit();
  EXPECT_TRUE(ValidatePolicy(same_shift).ok());
  v1::Policy p = Valid();
  p.add_warn_at(0.25);
  p.add_warn_at(0.9);
  *p.mutable_supervise_after() = ToProtoDuration(absl::ZeroDuration());
  p.set_branch_id(std::string(64, 'b'));
  EXPECT_TRUE(ValidatePolicy(p).ok());
  p.set_branch_id("供电所-" + std::string(60, 'x'));  // 64 characters, more bytes
  EXPECT_TRUE(ValidatePolicy(p).ok());
}

TEST(PolicyMatch, TheMostSpecificPolicyWins) {
  using namespace common::v1;
  const std::vector<v1::Policy> policies = {
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_UNSPECIFIED, AREA_CLASS_UNSPECIFIED, "",
           absl::Minutes(100)),
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_UNSPECIFIED, AREA_CLASS_RURAL, "", absl::Minutes(90)),
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_UNSPECIFIED, "", absl::Minutes(80)),
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, "", absl::Minutes(45)),
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_UNSPECIFIED, AREA_CLASS_UNSPECIFIED, "SS-1",
           absl::Minutes(30)),
      Make(v1::STAGE_ARRIVAL, TICKET_TYPE_UNSPECIFIED, AREA_CLASS_REMOTE, "SS-2",
           absl::Minutes(150)),
      Make(v1::STAGE_DISPATCH, TICKET_TYPE_REPAIR, AREA_CLASS_UNSPECIFIED, "", absl::Minutes(5)),
  };
  auto limit = [&](v1::Stage stage, TicketType type, AreaClass area, const std::string& unit) {
    std::optional<v1::Policy> p = MatchPolicy(policies, stage, type, area, unit);
    return p.has_value() ? FromProtoDuration(p->limit()) : absl::ZeroDuration();
  };
  // Type and area class both given: the most specific of all.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, "X"), absl::Minutes(45));
  // A type match outranks an area-class match.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_RURAL, "X"), absl::Minutes(80));
  // An area-class match outranks the general rule.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_COMPLAINT, AREA_CLASS_RURAL, "X"),
            absl::Minutes(90));
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_COMPLAINT, AREA_CLASS_URBAN, "X"),
            absl::Minutes(100));
  // A branch match outranks a type and an area-class match.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, "SS-1"),
            absl::Minutes(30));
  // A branch's rule for another area class does not match.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, "SS-2"),
            absl::Minutes(45));
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_REMOTE, "SS-2"),
            absl::Minutes(150));
  // The ticket's own clock (unit "") never takes a branch's rule.
  EXPECT_EQ(limit(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, ""), absl::Minutes(45));
  // Other stages do not match.
  EXPECT_EQ(limit(v1::STAGE_DISPATCH, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, ""), absl::Minutes(5));
  EXPECT_FALSE(MatchPolicy(policies, v1::STAGE_DISPATCH, TICKET_TYPE_QUERY, AREA_CLASS_URBAN, "")
                   .has_value());
  EXPECT_FALSE(MatchPolicy(policies, v1::STAGE_VOICEMAIL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN, "")
                   .has_value());
}

TEST(PolicyMatch, TheDefaultsGiveDomainsLimits) {
  using namespace common::v1;
  const std::vector<v1::Policy> policies = DefaultPolicies();
  auto match = [&](v1::Stage stage, TicketType type, AreaClass area) {
    std::optional<v1::Policy> p = MatchPolicy(policies, stage, type, area, "SS-1");
    EXPECT_TRUE(p.has_value()) << v1::Stage_Name(stage) << " " << TicketType_Name(type);
    return p.value_or(v1::Policy());
  };
  EXPECT_EQ(
      FromProtoDuration(match(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN).limit()),
      absl::Minutes(45));
  EXPECT_EQ(
      FromProtoDuration(match(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_RURAL).limit()),
      absl::Minutes(90));
  EXPECT_EQ(
      FromProtoDuration(match(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_REMOTE).limit()),
      absl::Minutes(120));
  EXPECT_EQ(FromProtoDuration(
                match(v1::STAGE_ARRIVAL, TICKET_TYPE_REPAIR, AREA_CLASS_UNSPECIFIED).limit()),
            absl::Minutes(90));
  v1::Policy answer = match(v1::STAGE_DEPARTMENT_ANSWER, TICKET_TYPE_QUERY, AREA_CLASS_RURAL);
  EXPECT_EQ(answer.measure(), v1::MEASURE_WORKING_DAYS);
  EXPECT_EQ(FromProtoDuration(answer.limit()), absl::Hours(48));
  v1::Policy reply = match(v1::STAGE_CUSTOMER_REPLY, TICKET_TYPE_COMPLAINT, AREA_CLASS_URBAN);
  EXPECT_EQ(reply.measure(), v1::MEASURE_WORKING_DAYS);
  EXPECT_EQ(FromProtoDuration(reply.limit()), absl::Hours(24));
  EXPECT_EQ(FromProtoDuration(
                match(v1::STAGE_REPORT_RESULT, TICKET_TYPE_REPORT, AREA_CLASS_URBAN).limit()),
            absl::Hours(216));
  EXPECT_EQ(match(v1::STAGE_VOICEMAIL, TICKET_TYPE_REPAIR, AREA_CLASS_URBAN).measure(),
            v1::MEASURE_SAME_SHIFT);
}

TEST(PolicyWarnings, DefaultFractionsWhenThePolicyHasNone) {
  v1::Policy p = Valid();
  EXPECT_THAT(WarnFractions(p), ElementsAre(0.5, 0.8));
  p.add_warn_at(0.75);
  EXPECT_THAT(WarnFractions(p), ElementsAre(0.75));
}

TEST(PolicyFile, TheDeployedFileHoldsTheDefaults) {
  absl::StatusOr<std::vector<v1::Policy>> parsed =
      ParsePolicyFile(ReadSourceFile("deploy/sla/policies.csv"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::vector<v1::Policy> defaults = DefaultPolicies();
  ASSERT_EQ(parsed->size(), defaults.size());
  for (size_t i = 0; i < defaults.size(); ++i) {
    v1::Policy from_file = (*parsed)[i];
    EXPECT_EQ(from_file.updated_by(), "file");
    from_file.set_updated_by("default");
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_file, defaults[i]))
        << "line of " << EnumText(defaults[i].stage()) << ": " << from_file.ShortDebugString()
        << " vs " << defaults[i].ShortDebugString();
  }
}

TEST(PolicyFile, ARowWithEveryField) {
  absl::StatusOr<std::vector<v1::Policy>> parsed = ParsePolicyFile(
      "stage, ticket_type, area_class, branch_id, measure, limit, warn_at, supervise_after\r\n"
      "arrival,repair,urban,SS-1,elapsed,45m,0.5;0.8,30m\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 1u);
  const v1::Policy& p = (*parsed)[0];
  EXPECT_EQ(p.stage(), v1::STAGE_ARRIVAL);
  EXPECT_EQ(p.ticket_type(), common::v1::TICKET_TYPE_REPAIR);
  EXPECT_EQ(p.area_class(), common::v1::AREA_CLASS_URBAN);
  EXPECT_EQ(p.branch_id(), "SS-1");
  EXPECT_EQ(p.measure(), v1::MEASURE_ELAPSED);
  EXPECT_EQ(FromProtoDuration(p.limit()), absl::Minutes(45));
  EXPECT_THAT(p.warn_at(), ElementsAre(0.5, 0.8));
  EXPECT_EQ(FromProtoDuration(p.supervise_after()), absl::Minutes(30));
  EXPECT_EQ(p.version(), 1);
  EXPECT_EQ(p.updated_by(), "file");
}

TEST(PolicyFile, ErrorsNameTheLine) {
  const std::string header = std::string(kPolicyFileHeader) + "\n";
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"stage,limit\n", absl::StrCat("line 1: expected the header '", kPolicyFileHeader, "'")},
      {"# nothing\n", absl::StrCat("line 1: expected the header '", kPolicyFileHeader, "'")},
      {header +
           "dispatch,repair,,,elapsed,5m,,\n# a comment\n\narrival,repair,urban,,elapsed,0s,,\n",
       "line 5: policy.limit: must be positive"},
      {header + "arrival,repair,urban,,elapsed,-45m,,\n", "line 2: policy.limit: must be positive"},
      {header + "arrival,repair,urban,,elapsed,45 min,,\n",
       "line 2: policy.limit: '45 min' is not a duration (e.g. 45m, 48h, 1h30m)"},
      {header + "arrivals,repair,urban,,elapsed,45m,,\n",
       "line 2: policy.stage: 'arrivals' is not a stage"},
      {header + ",repair,urban,,elapsed,45m,,\n", "line 2: policy.stage: required"},
      {header + "arrival,Repair,urban,,elapsed,45m,,\n",
       "line 2: policy.ticket_type: 'Repair' is not a ticket type"},
      {header + "arrival,repair,city,,elapsed,45m,,\n",
       "line 2: policy.area_class: 'city' is not an area class"},
      {header + "arrival,repair,urban,,wall,45m,,\n",
       "line 2: policy.measure: 'wall' is not a measure"},
      {header + "arrival,repair,urban,,,45m,,\n", "line 2: policy.measure: required"},
      {header + "arrival,repair,urban,,elapsed,45m,0.8;0.5,\n",
       "line 2: policy.warn_at[1]: must be in (0, 1) and above the one before"},
      {header + "arrival,repair,urban,,elapsed,45m,0.5;half,\n",
       "line 2: policy.warn_at[1]: 'half' is not a number"},
      {header + "arrival,repair,urban,,elapsed,45m,,-30m\n",
       "line 2: policy.supervise_after: must not be negative"},
      {header + "voicemail,,,,same_shift,8h,,\n",
       "line 2: policy.limit: must be unset for a same_shift policy (the shift's end is the "
       "limit)"},
      {header + "arrival,repair,urban,,elapsed,45m,,\n", ""},  // valid, as a control
      {header + "arrival,repair,urban,,elapsed,45m\n",
       absl::StrCat("line 2: 6 fields, expected 8 (", kPolicyFileHeader, ")")},
      {header + "arrival,repair,urban,,elapsed,45m,,\narrival,repair,urban,,elapsed,50m,,\n",
       "line 3: the same stage, ticket_type, area_class and branch_id as line 2"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::vector<v1::Policy>> parsed = ParsePolicyFile(c.text);
    if (c.message.empty()) {
      EXPECT_TRUE(parsed.ok()) << parsed.status();
      continue;
    }
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
}

TEST(PolicyDurations, ProtoRoundTrip) {
  for (absl::Duration d : {absl::ZeroDuration(), absl::Minutes(45), -absl::Minutes(5),
                           absl::Milliseconds(1500), -absl::Milliseconds(1500)}) {
    google::protobuf::Duration proto = ToProtoDuration(d);
    EXPECT_TRUE(IsValidProtoDuration(proto)) << d;
    EXPECT_EQ(FromProtoDuration(proto), d);
  }
}

}  // namespace
}  // namespace hotline::sla
