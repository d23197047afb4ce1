#pragma once

// The routing rules (派单): which branch gets a ticket's order, or whether it
// waits for a dispatcher, or is not dispatched at all. Pure functions of the
// ticket's facts and the candidate branches; no clock, no I/O. Every answer
// carries the rule that decided and a readable reason.
//
// The rules, in order:
//  1. Urgings and unspecified types are never routed: a dispatcher looks.
//  2. A repair on customer-owned equipment is not dispatched (the customer
//     is advised, policy.customer_owned_advice) unless the customer asked for
//     a paid service; then it is routed as below, marked paid_service.
//     Unknown or unspecified ownership counts as the utility's (the branch
//     can return it with the customer's details).
//  3. A branch qualifies when it is a routing target (not a dispatch
//     centre), takes the ticket type, takes the work scope (WorkScopeOf; a
//     branch listing no scopes takes any), was not excluded (it returned the
//     order), and covers the place: one of its territory entries Covers the
//     address. Text is compared through libs/address (NormalizeAddressText:
//     width, case, spaces and punctuation do not matter), the same way
//     intake finds duplicate repairs.
//     An address may leave out upper levels (intake asks only for the county
//     and the street): an area entry covers it when the address gives the
//     entry's own (deepest) part and it is equal, and every upper part the
//     address gives is equal too; a part the address leaves out is unknown,
//     not a mismatch. So "county Futian, street ..." is covered by the
//     county entry ".../Futian" and by township entries below it only if the
//     address names the township; a city or province entry needs the
//     address to name that city or province.
//  4. The most specific match wins: transformer area, then feeder, then
//     village or community, township, county, city, province. Ties go to the
//     branch that lists the scope explicitly, then to the lower branch id
//     (and the reason says so: a tie is a data problem worth fixing).
//     When the winner is an area and the qualifying branches' entries at the
//     winning level that cover the address differ (a county name used in
//     two cities, and the address does not say which), the address is
//     ambiguous: the order waits for a dispatcher (ambiguous_address, the
//     reason names two of the places). A full address is never ambiguous.
//  5. No qualifying branch: the order waits for a dispatcher.
//
// After a return (RouteAfterReturn): a return as the customer's fault goes
// to a dispatcher; so does any return beyond policy.max_reroutes (orders must
// not bounce); otherwise the unit named in the return is tried first (when it
// is a known, qualifying branch, whatever its territory), then rule 3-5
// without every branch that returned the order.

#include <string>
#include <vector>

#include "hotline/common/v1/common.pb.h"
#include "services/dispatch/domain/branch.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::dispatch {

// What routing knows of a ticket (from its ticket.created event).
struct TicketFacts {
  TicketType type = common::v1::TICKET_TYPE_UNSPECIFIED;
  FaultScope fault_scope = common::v1::FAULT_SCOPE_UNSPECIFIED;
  EquipmentOwner equipment_owner = common::v1::EQUIPMENT_OWNER_UNSPECIFIED;
  bool wants_paid_service = false;
  std::string complaint_category;
  std::string report_subject;
  common::v1::Address address;
};

struct RoutingPolicy {
  // What a customer with a fault on their own equipment is told.
  std::string customer_owned_advice;
  // Returns that are rerouted to another branch; any further return goes to
  // a dispatcher.
  int max_reroutes = 2;
};

enum class Destination { kBranch, kDispatcher, kNotDispatched };

struct Route {
  Destination destination = Destination::kDispatcher;
  std::string branch_id;  // kBranch only
  // territory_match, named_by_return, no_match, ambiguous_address,
  // type_not_routed, customer_owned, returned_as_customers, too_many_returns.
  std::string rule;
  TerritoryLevel matched_level = v1::TERRITORY_LEVEL_UNSPECIFIED;
  std::string matched_value;
  std::string work_scope;
  std::vector<std::string> excluded;  // branches left out because they returned it
  int candidates = 0;                 // branches that qualified at any level
  bool paid_service = false;
  std::string advice;  // kNotDispatched: what the customer is told
  std::string reason;  // readable
};

// The work scope routing asks of a branch: for repairs the fault scope
// (public_network when unspecified: most repairs are "no power"); for
// complaints the level-one category; for reports the subject (misconduct or
// theft); "" (any) otherwise or when the category or subject is not a known
// scope.
std::string WorkScopeOf(const TicketFacts& facts);

// The keys a store finds candidate territory entries by, most specific
// first: the normalised transformer-area and feeder ids when given, then each
// area part the address gives (village or community up to the province),
// normalised, at its level. Gaps do not stop them: a part below a missing
// one is still a key. An entry can cover the address only if its
// (level, TerritoryMatchKey) is among them; Covers decides.
std::vector<Territory> TerritoryKeysOf(const common::v1::Address& address);

// The key a territory entry is found by: its normalised id (feeder,
// transformer area), or the normalised deepest part of its area path.
std::string TerritoryMatchKey(const Territory& entry);

// Whether the entry covers the address (rule 3 above).
bool Covers(const Territory& entry, const common::v1::Address& address);

// Routes a new ticket among `branches` (any superset of those that cover one
// of its territory keys).
Route RouteTicket(const TicketFacts& facts, const std::vector<Branch>& branches,
                  const RoutingPolicy& policy);

struct ReturnFacts {
  ReturnReason reason = v1::RETURN_REASON_UNSPECIFIED;
  std::string returned_by;
  std::string belongs_to;  // a branch id or a unit's name
  std::string customer_name;
  std::string customer_phone;
  int returns = 0;                           // including this one
  std::vector<std::string> returned_by_all;  // every branch that returned it, this one included
  bool paid_service = false;
};

// Routes an order that a branch just returned. `branches` must also hold the
// branch named by belongs_to, if it exists.
Route RouteAfterReturn(const TicketFacts& facts, const ReturnFacts& returned,
                       const std::vector<Branch>& branches, const RoutingPolicy& policy);

}  // namespace hotline::dispatch
