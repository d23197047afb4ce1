#include "services/outage/outage_parts.h"

#include "absl/strings/str_cat.h"
#include "libs/config/settings.h"
#include "libs/events/event_sink_service.h"
#include "libs/rpc/wake_feed.h"
#include "libs/status/status.h"
#include "services/outage/api/outage_notices_service.h"
#include "services/outage/desk/notice_desk.h"
#include "services/outage/desk/notice_keeper.h"
#include "services/outage/desk/notice_mirror.h"
#include "services/outage/desk/outage_metrics.h"
#include "services/outage/domain/reliability.h"
#include "services/outage/store/notice_store.h"

namespace hotline::outage {
namespace {

// The reference files' rows, read and checked before the service starts.
struct Reference {
  std::vector<TransformerArea> areas;
  std::vector<AccountPlace> accounts;
};

absl::StatusOr<Reference> LoadReference(const OutageSettings& settings) {
  Reference reference;
  if (!settings.transformer_area_file.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(
        std::string text,
        config::ReadSettingFile(settings.transformer_area_file, "transformer-area-file"));
    absl::StatusOr<std::vector<TransformerArea>> rows = ParseTransformerAreas(text);
    if (!rows.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("setting --transformer-area-file: ", settings.transformer_area_file, ": ",
                       rows.status().message()));
    }
    reference.areas = std::move(*rows);
  }
  if (!settings.account_file.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(std::string text,
                             config::ReadSettingFile(settings.account_file, "account-file"));
    absl::StatusOr<std::vector<AccountPlace>> rows = ParseAccounts(text);
    if (!rows.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --account-file: ", settings.account_file, ": ", rows.status().message()));
    }
    reference.accounts = std::move(*rows);
  }
  return reference;
}

// Owns what the gRPC services share, and runs the keeper.
class OutageCore final : public runtime::BackgroundWorker {
 public:
  OutageCore(runtime::ServiceContext& context, const OutageSettings& settings, Reference reference)
      : reference_(std::move(reference)),
        metrics_(*context.metrics()),
        mirror_(context.pool()),
        desk_(context.pool(), settings, context.clock(), metrics_, mirror_),
        keeper_(context.pool(), mirror_, metrics_, feed_, context.clock(), settings.mirror_interval,
                [this] { return desk_.SeedReference(reference_.areas, reference_.accounts); }) {
    // A change committed by any replica (this one too) catches the index up
    // and wakes the WatchNotices streams.
    context.notifications().Listen(store::kNoticesChannel,
                                   [this](const std::string&) { keeper_.Wake(); });
  }

  void Start() override { keeper_.Start(); }
  void Stop() override { keeper_.Stop(); }

  NoticeDesk& desk() { return desk_; }
  rpc::WakeFeed& feed() { return feed_; }
  const NoticeMirror& mirror() const { return mirror_; }

 private:
  const Reference reference_;
  OutageMetrics metrics_;
  rpc::WakeFeed feed_;
  NoticeMirror mirror_;
  NoticeDesk desk_;
  NoticeKeeper keeper_;
};

}  // namespace

absl::Status AddOutageParts(runtime::ServiceContext& context, const OutageSettings& settings,
                            runtime::ServiceParts& parts) {
  HOTLINE_RETURN_IF_ERROR(settings.Validate());
  HOTLINE_ASSIGN_OR_RETURN(Reference reference, LoadReference(settings));
  auto core = std::make_unique<OutageCore>(context, settings, std::move(reference));
  NoticeDesk& desk = core->desk();
  // CheckAddress answers from the index: not SERVING (so no traffic is sent
  // here) until it has been loaded.
  parts.readiness.emplace_back("notice index", [&mirror = core->mirror()] {
    return mirror.ready() ? absl::OkStatus()
                          : absl::UnavailableError("notice index not loaded yet");
  });

  parts.services.push_back(std::make_unique<OutageNoticesService>(
      desk, context.pool(), core->feed(), context.tokens(), settings, context.handlers()));

  auto sink = std::make_unique<events::EventSinkService>(context.pool(), context.schema(),
                                                         context.tokens(), context.handlers());
  // Grouping a call into a suspected outage takes the one lock of the notice
  // events: each call in its own transaction, so it is not held across others.
  sink->SetEventsTogether(1);
  // Repair calls, for grouping into suspected fault outages.
  for (const char* topic : {"ticket.created", "ticket.urged"}) {
    sink->Subscribe(topic, [&desk](pqxx::work& tx, const common::v1::Event& event) {
      return desk.ApplyEvent(tx, event);
    });
  }
  parts.services.push_back(std::move(sink));

  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<runtime::BackgroundWorker> relay,
                           context.MakeOutboxWorker({"intake"}));
  parts.workers.push_back(std::move(core));
  parts.workers.push_back(std::move(relay));
  return absl::OkStatus();
}

}  // namespace hotline::outage
