// hotlinectl notice publish | amend | restore and check-address: the outage
// service's notices.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "hotline/outage/v1/outage.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/table.h"
#include "tools/hotlinectl/values.h"

namespace hotline::ctl {
namespace {

namespace ov1 = hotline::outage::v1;

// The places of a notice (or of a restore) from --area, --transformer-area
// and --feeder.
template <typename Message>
absl::Status FillPlaces(const ParsedArgs& args, Message& m,
                        google::protobuf::RepeatedPtrField<common::v1::Address>* areas) {
  for (const std::string& area : args.GetAll("area")) {
    HOTLINE_ASSIGN_OR_RETURN(*areas->Add(), ParseAddressPath("area", area));
  }
  for (const std::string& t : args.GetAll("transformer-area")) {
    m.add_transformer_areas(t);
  }
  for (const std::string& f : args.GetAll("feeder")) {
    m.add_feeders(f);
  }
  return absl::OkStatus();
}

std::vector<FlagSpec> PlaceFlags(const std::string& what) {
  return {{"area", "PATH", what + " area: Province/City/County[/Township[/Village]]", true},
          {"transformer-area", "ID", what + " transformer area", true},
          {"feeder", "ID", what + " feeder", true}};
}

std::string Places(const ov1::OutageNotice& n) {
  std::vector<std::string> places;
  for (const common::v1::Address& a : n.areas()) {
    places.push_back(AddressText(a));
  }
  for (const std::string& t : n.transformer_areas()) {
    places.push_back("area " + t);
  }
  for (const std::string& f : n.feeders()) {
    places.push_back("feeder " + f);
  }
  return absl::StrJoin(places, "; ");
}

Fields NoticeFields(const ov1::OutageNotice& n, absl::TimeZone zone) {
  return {
      {"notice", n.notice_id()},
      {"kind", EnumText(n.kind())},
      {"state", EnumText(n.state())},
      {"places", Places(n)},
      {"working unit", n.working_unit()},
      {"work", n.work()},
      {"planned start", TimeCell(n.planned_start(), zone)},
      {"planned restore", TimeCell(n.planned_restore(), zone)},
      {"started", TimeCell(n.started_at(), zone)},
      {"restored", TimeCell(n.restored_at(), zone)},
      {"person in charge",
       absl::StrCat(n.person_in_charge(), n.phone().empty() ? "" : " ", n.phone())},
      {"late", n.timeliness().late()
                   ? absl::StrCat("yes, short by ", DurationCell(n.timeliness().shortfall()), ": ",
                                  n.timeliness().late_reason())
                   : ""},
      {"customers", n.customers_affected() > 0 ? absl::StrCat(n.customers_affected()) : ""},
      {"customer hours", n.customer_hours() > 0 ? absl::StrCat(n.customer_hours()) : ""},
      {"version", absl::StrCat(n.version())},
      {"published", TimeCell(n.published_at(), zone)},
      {"published by", n.published_by()},
      {"voice text", n.voice_text()},
  };
}

absl::StatusOr<std::optional<google::protobuf::Timestamp>> OptionalTime(const ParsedArgs& args,
                                                                        const std::string& flag) {
  if (!args.Has(flag)) {
    return std::nullopt;
  }
  HOTLINE_ASSIGN_OR_RETURN(absl::Time t, ParseTimeValue(flag, args.Get(flag), absl::Now()));
  return ToProtoTime(t);
}

absl::Status Publish(Session& session, const ParsedArgs& args) {
  ov1::PublishNoticeRequest request;
  request.set_idempotency_key(args.Get("idempotency-key", NewIdempotencyKey()));
  ov1::OutageNotice& n = *request.mutable_notice();
  if (!args.Has("kind") || !args.Has("start") || !args.Has("restore")) {
    return UsageError("notice publish: --kind, --start and --restore are required");
  }
  HOTLINE_ASSIGN_OR_RETURN(ov1::OutageKind kind,
                           ParseEnumFlag<ov1::OutageKind>("kind", args.Get("kind")));
  n.set_kind(kind);
  HOTLINE_RETURN_IF_ERROR(FillPlaces(args, n, n.mutable_areas()));
  n.set_working_unit(args.Get("working-unit"));
  n.set_work(args.Get("work"));
  HOTLINE_ASSIGN_OR_RETURN(auto start, OptionalTime(args, "start"));
  HOTLINE_ASSIGN_OR_RETURN(auto restore, OptionalTime(args, "restore"));
  *n.mutable_planned_start() = *start;
  *n.mutable_planned_restore() = *restore;
  n.set_person_in_charge(args.Get("person"));
  n.set_phone(args.Get("phone"));
  n.mutable_timeliness()->set_late_reason(args.Get("late-reason"));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<ov1::OutageNotices>("outage"));
  ov1::PublishNoticeResponse response;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->PublishNotice(call.get(), request, &response)));
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  Fields fields = {{"replayed", response.replayed() ? "yes (the key was used before)" : ""}};
  Fields notice = NoticeFields(response.notice(), session.zone());
  fields.insert(fields.end(), notice.begin(), notice.end());
  session.out() << RenderFields(fields);
  return absl::OkStatus();
}

absl::Status Amend(Session& session, const ParsedArgs& args) {
  ov1::AmendNoticeRequest request;
  request.set_notice_id(args.arguments()[0]);
  HOTLINE_ASSIGN_OR_RETURN(auto start, OptionalTime(args, "start"));
  HOTLINE_ASSIGN_OR_RETURN(auto restore, OptionalTime(args, "restore"));
  if (!start.has_value() && !restore.has_value()) {
    return UsageError("notice amend: give --start, --restore or both");
  }
  if (start.has_value()) {
    *request.mutable_planned_start() = *start;
  }
  if (restore.has_value()) {
    *request.mutable_planned_restore() = *restore;
  }
  request.set_reason(args.Get("reason"));
  if (args.Has("expected-version")) {
    HOTLINE_ASSIGN_OR_RETURN(int version,
                             ParseCount("expected-version", args.Get("expected-version")));
    request.set_expected_version(version);
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<ov1::OutageNotices>("outage"));
  ov1::AmendNoticeResponse response;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->AmendNotice(call.get(), request, &response)));
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  Fields fields = NoticeFields(response.notice(), session.zone());
  if (response.timeliness().late()) {
    fields.push_back({"amendment late",
                      absl::StrCat("short by ", DurationCell(response.timeliness().shortfall()))});
  }
  session.out() << RenderFields(fields);
  if (response.to_tell_size() > 0) {
    session.out() << "\ntell these customers directly:\n";
    Table table({"NAME", "ACCOUNT", "PHONE", "KVA"});
    for (const ov1::DirectCustomer& c : response.to_tell()) {
      table.AddRow({c.name(), c.account_number(), c.phone(),
                    c.capacity_kva() > 0 ? absl::StrCat(c.capacity_kva()) : ""});
    }
    session.out() << table.Render();
  }
  return absl::OkStatus();
}

absl::Status Restore(Session& session, const ParsedArgs& args) {
  ov1::RestoreNoticeRequest request;
  request.set_notice_id(args.arguments()[0]);
  HOTLINE_ASSIGN_OR_RETURN(auto at, OptionalTime(args, "at"));
  if (at.has_value()) {
    *request.mutable_restored_at() = *at;
  }
  HOTLINE_RETURN_IF_ERROR(FillPlaces(args, request, request.mutable_areas()));
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<ov1::OutageNotices>("outage"));
  ov1::NoticeResponse response;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->RestoreNotice(call.get(), request, &response)));
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  session.out() << RenderFields(NoticeFields(response.notice(), session.zone()));
  return absl::OkStatus();
}

absl::Status CheckAddress(Session& session, const ParsedArgs& args) {
  ov1::CheckAddressRequest request;
  if (!args.arguments().empty()) {
    HOTLINE_ASSIGN_OR_RETURN(*request.mutable_address(),
                             ParseAddressPath("ADDRESS", args.arguments()[0]));
    request.mutable_address()->set_feeder(args.Get("feeder"));
    request.mutable_address()->set_transformer_area(args.Get("transformer-area"));
  } else if (args.Has("account")) {
    request.set_account_number(args.Get("account"));
  } else if (args.Has("transformer-area")) {
    request.set_transformer_area(args.Get("transformer-area"));
  } else {
    return UsageError("check-address: give an ADDRESS, --account or --transformer-area");
  }
  HOTLINE_ASSIGN_OR_RETURN(auto at, OptionalTime(args, "at"));
  if (at.has_value()) {
    *request.mutable_at() = *at;
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stub, session.Stub<ov1::OutageNotices>("outage"));
  ov1::CheckAddressResponse response;
  auto call = session.NewCall();
  HOTLINE_RETURN_IF_ERROR(RpcError(stub->CheckAddress(call.get(), request, &response)));
  if (session.json()) {
    session.PrintJson(response);
    return absl::OkStatus();
  }
  Fields fields = {{"affected", response.affected() ? "yes" : "no"}};
  if (response.affected()) {
    Fields notice = NoticeFields(response.notice(), session.zone());
    fields.insert(fields.end(), notice.begin(), notice.end());
  }
  session.out() << RenderFields(fields);
  if (response.notices_size() > 0) {
    session.out() << "\nnotices covering it:\n";
    Table table({"NOTICE", "KIND", "STATE", "PLANNED START", "PLANNED RESTORE", "WORK"});
    for (const ov1::OutageNotice& n : response.notices()) {
      table.AddRow({n.notice_id(), EnumText(n.kind()), EnumText(n.state()),
                    TimeCell(n.planned_start(), session.zone()),
                    TimeCell(n.planned_restore(), session.zone()), n.work()});
    }
    session.out() << table.Render();
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> NoticeCommands() {
  Command publish;
  publish.name = "notice publish";
  publish.summary = "publish an outage notice (outage PublishNotice)";
  publish.details =
      "Example: a fault in one transformer area since ten minutes ago, back in three hours:\n"
      "  hotlinectl notice publish --kind fault --transformer-area TA-SX-0007 --start now-10m \\\n"
      "    --restore now+3h --work 'transformer burnt out' --person 'Li Lei' --phone 13811112222";
  publish.flags = {
      {"kind", "KIND", "planned, temporary, orderly_use, other_unplanned, fault (required)"},
      {"start", "TIME", "planned start (required)"},
      {"restore", "TIME", "planned restore (required)"},
      {"working-unit", "TEXT", "who does the work"},
      {"work", "TEXT", "what is done, or the fault"},
      {"person", "NAME", "the person in charge"},
      {"phone", "PHONE", "the person's phone"},
      {"late-reason", "TEXT", "why it is published later than its kind's lead time"},
      {"idempotency-key", "KEY", "default: a new random key"},
  };
  std::vector<FlagSpec> places = PlaceFlags("a covered");
  publish.flags.insert(publish.flags.end(), places.begin(), places.end());
  publish.default_role = "dispatcher";
  publish.run = Publish;

  Command amend;
  amend.name = "notice amend";
  amend.arguments = "NOTICE_ID";
  amend.summary = "move a notice's planned start or restore (outage AmendNotice)";
  amend.flags = {
      {"start", "TIME", "the new planned start"},
      {"restore", "TIME", "the new planned restore"},
      {"reason", "TEXT", "why (required for an earlier start or a later restore)"},
      {"expected-version", "N", "refused (ABORTED) when the notice has moved past version N"},
  };
  amend.default_role = "dispatcher";
  amend.min_arguments = amend.max_arguments = 1;
  amend.run = Amend;

  Command restore;
  restore.name = "notice restore";
  restore.arguments = "NOTICE_ID";
  restore.summary = "power is back: the whole notice or some places (outage RestoreNotice)";
  restore.flags = {{"at", "TIME", "when it came back (default now)"}};
  places = PlaceFlags("a restored");
  restore.flags.insert(restore.flags.end(), places.begin(), places.end());
  restore.default_role = "dispatcher";
  restore.min_arguments = restore.max_arguments = 1;
  restore.run = Restore;

  Command check;
  check.name = "check-address";
  check.arguments = "[ADDRESS]";
  check.summary = "is this address affected by an outage notice? (outage CheckAddress)";
  check.details =
      "ADDRESS is Province/City/County/Township/Village/Street; or ask by --account or\n"
      "--transformer-area alone.";
  check.flags = {
      {"transformer-area", "ID", "the address's transformer area (or alone: check it)"},
      {"feeder", "ID", "the address's feeder"},
      {"account", "NUMBER", "check a power account instead of an address"},
      {"at", "TIME", "at this time (default now)"},
  };
  check.default_role = "agent";
  check.max_arguments = 1;
  check.run = CheckAddress;
  return {publish, amend, restore, check};
}

}  // namespace hotline::ctl
