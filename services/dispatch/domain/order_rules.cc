#include "services/dispatch/domain/order_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::dispatch {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

}  // namespace

bool IsOpen(OrderStatus status) {
  return status == v1::ORDER_STATUS_DISPATCHED || status == v1::ORDER_STATUS_WITH_DISPATCHER ||
         status == v1::ORDER_STATUS_ACCEPTED || status == v1::ORDER_STATUS_IN_PROGRESS;
}

absl::Status CheckReturnable(OrderStatus status) {
  if (status == v1::ORDER_STATUS_DISPATCHED || status == v1::ORDER_STATUS_ACCEPTED ||
      status == v1::ORDER_STATUS_IN_PROGRESS) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat("return: the order is ", EnumText(status)));
}

absl::Status CheckReassignable(OrderStatus status) {
  if (status == v1::ORDER_STATUS_NOT_DISPATCHED) {
    return absl::FailedPreconditionError(
        "reassign: the order is not_dispatched: the customer was advised and the ticket is "
        "answered; a paid job for the customer is a new ticket");
  }
  if (IsOpen(status)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat("reassign: the order is ", EnumText(status)));
}

absl::Status ValidateReturn(const ReturnRequest& r) {
  if (EnumText(r.reason).empty()) {
    return Invalid("reason",
                   "required: not_our_territory, not_our_scope, customer_owned, "
                   "duplicate or other");
  }
  if (r.reason == v1::RETURN_REASON_CUSTOMER_OWNED) {
    if (Blank(r.customer_name) || r.customer_name.size() > 100) {
      return Invalid("customer_name", "required for a fault on the customer's side, at most 100");
    }
    if (!phone::IsPersonalPhone(r.customer_phone)) {
      return Invalid("customer_phone", absl::StrCat("required for a fault on the customer's side; ",
                                                    phone::kPersonalPhoneRule));
    }
  } else if (Blank(r.belongs_to) || r.belongs_to.size() > 200) {
    return Invalid("belongs_to", "required: the unit the order belongs to, at most 200");
  }
  if (r.note.size() > 2000) {
    return Invalid("note", "at most 2000 characters");
  }
  if (r.idempotency_key.size() > 200) {
    return Invalid("idempotency_key", "at most 200 characters");
  }
  return absl::OkStatus();
}

CallbackDecision DecideCallback(OrderStatus status, const std::string& branch_id,
                                const CallbackFacts& facts) {
  CallbackDecision d;
  if (facts.outcome != survey::v1::CALLBACK_OUTCOME_DISSATISFIED) {
    std::string outcome = EnumText(facts.outcome);
    d.reason = absl::StrCat("callback outcome ", outcome.empty() ? "unspecified" : outcome,
                            ": the order stays as it is");
    return d;
  }
  if (status != v1::ORDER_STATUS_RESOLVED) {
    std::string now = EnumText(status);
    d.reason = absl::StrCat("the order is ", now.empty() ? "unspecified" : now,
                            ": only a resolved order goes back to its branch");
    return d;
  }
  if (branch_id.empty()) {
    d.reason = "the order has no branch to go back to";
    return d;
  }
  std::vector<std::string> said;
  if (facts.satisfaction == survey::v1::SATISFACTION_DISSATISFIED || facts.solved) {
    said.push_back("customer dissatisfied");
  }
  if (!facts.solved) {
    said.push_back("problem not solved");
  }
  d.reopen = true;
  d.reason = absl::StrCat("callback: ", absl::StrJoin(said, ", "));
  const absl::string_view comment = absl::StripAsciiWhitespace(facts.comment);
  if (!comment.empty()) {
    absl::StrAppend(&d.reason, ": ", comment);
  }
  return d;
}

}  // namespace hotline::dispatch
