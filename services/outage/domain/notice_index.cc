#include "services/outage/domain/notice_index.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace hotline::outage {
namespace {

bool IsHeldState(v1::NoticeState state) {
  return state == v1::NOTICE_STATE_SCHEDULED || state == v1::NOTICE_STATE_ACTIVE;
}

// A held notice and its places that are not restored, normalised.
struct Entry {
  v1::OutageNotice notice;
  std::vector<address::AreaParts> areas;
  std::vector<std::string> transformer_areas;
  std::vector<std::string> feeders;
};

bool Before(const Entry* a, const Entry* b) {
  const google::protobuf::Timestamp& x = a->notice.planned_start();
  const google::protobuf::Timestamp& y = b->notice.planned_start();
  if (x.seconds() != y.seconds()) {
    return x.seconds() < y.seconds();
  }
  if (x.nanos() != y.nanos()) {
    return x.nanos() < y.nanos();
  }
  return a->notice.notice_id() < b->notice.notice_id();
}

bool IsEmptyArea(const address::AreaParts& parts) {
  return std::all_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
}

// The level of an area's deepest part; -1 for an area with none.
int DeepestLevel(const address::AreaParts& parts) {
  for (int level = address::kAreaLevels - 1; level >= 0; --level) {
    if (!parts[level].empty()) {
      return level;
    }
  }
  return -1;
}

void AddUnique(std::string key, std::vector<std::string>& out) {
  if (!key.empty() && std::find(out.begin(), out.end(), key) == out.end()) {
    out.push_back(std::move(key));
  }
}

// The notice with its reachable places; built outside the lock.
std::unique_ptr<Entry> EntryOf(const v1::OutageNotice& notice) {
  std::vector<address::AreaParts> restored_areas;
  std::vector<std::string> restored_ids;  // transformer areas
  std::vector<std::string> restored_feeders;
  for (const v1::PlaceRestore& place : notice.restored_places()) {
    if (place.has_area()) {
      restored_areas.push_back(address::AreaPartsOf(place.area()));
    }
    AddUnique(address::NormalizeAddressText(place.transformer_area()), restored_ids);
    AddUnique(address::NormalizeAddressText(place.feeder()), restored_feeders);
  }
  auto entry = std::make_unique<Entry>();
  entry->notice = notice;
  for (const common::v1::Address& area : notice.areas()) {
    address::AreaParts parts = address::AreaPartsOf(area);
    bool restored =
        std::find(restored_areas.begin(), restored_areas.end(), parts) != restored_areas.end();
    bool known = std::find(entry->areas.begin(), entry->areas.end(), parts) != entry->areas.end();
    if (!IsEmptyArea(parts) && !restored && !known) {
      entry->areas.push_back(std::move(parts));
    }
  }
  for (const std::string& id : notice.transformer_areas()) {
    std::string key = address::NormalizeAddressText(id);
    if (std::find(restored_ids.begin(), restored_ids.end(), key) == restored_ids.end()) {
      AddUnique(std::move(key), entry->transformer_areas);
    }
  }
  for (const std::string& id : notice.feeders()) {
    std::string key = address::NormalizeAddressText(id);
    if (std::find(restored_feeders.begin(), restored_feeders.end(), key) ==
        restored_feeders.end()) {
      AddUnique(std::move(key), entry->feeders);
    }
  }
  return entry;
}

}  // namespace

struct NoticeIndex::Held {
  // One of a notice's areas, filed under its deepest part.
  struct AreaRef {
    const Entry* entry;
    size_t area;
  };
  using IdMap = absl::flat_hash_map<std::string, std::vector<const Entry*>>;

  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> by_id;
  // The version of each notice removed since (not held now).
  absl::flat_hash_map<std::string, int64_t> removed_versions;
  // Per level: normalised part -> the areas whose deepest part it is.
  std::array<absl::flat_hash_map<std::string, std::vector<AreaRef>>, address::kAreaLevels>
      by_area_part;
  IdMap by_transformer_area;
  IdMap by_feeder;

  // Whether a put of `id` at `version` is newer than anything seen.
  bool Newer(const std::string& id, int64_t version) const {
    if (auto it = by_id.find(id); it != by_id.end() && version <= it->second->notice.version()) {
      return false;
    }
    auto it = removed_versions.find(id);
    return it == removed_versions.end() || version > it->second;
  }

  void Add(std::unique_ptr<Entry> entry) {
    const Entry* e = entry.get();
    for (size_t i = 0; i < e->areas.size(); ++i) {
      int level = DeepestLevel(e->areas[i]);
      by_area_part[level][e->areas[i][level]].push_back(AreaRef{e, i});
    }
    for (const std::string& key : e->transformer_areas) {
      by_transformer_area[key].push_back(e);
    }
    for (const std::string& key : e->feeders) {
      by_feeder[key].push_back(e);
    }
    removed_versions.erase(e->notice.notice_id());
    by_id[e->notice.notice_id()] = std::move(entry);
  }

  // Drops the held notice `id`, if any; returns its version (0 when none).
  int64_t Remove(const std::string& id) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      return 0;
    }
    const Entry* e = it->second.get();
    for (const address::AreaParts& parts : e->areas) {
      int level = DeepestLevel(parts);
      auto refs = by_area_part[level].find(parts[level]);
      if (refs != by_area_part[level].end()) {
        std::erase_if(refs->second, [e](const AreaRef& r) { return r.entry == e; });
        if (refs->second.empty()) {
          by_area_part[level].erase(refs);
        }
      }
    }
    Unfile(e->transformer_areas, e, by_transformer_area);
    Unfile(e->feeders, e, by_feeder);
    int64_t version = e->notice.version();
    by_id.erase(it);
    return version;
  }

  static void Unfile(const std::vector<std::string>& keys, const Entry* e, IdMap& map) {
    for (const std::string& key : keys) {
      auto it = map.find(key);
      if (it != map.end()) {
        std::erase(it->second, e);
        if (it->second.empty()) {
          map.erase(it);
        }
      }
    }
  }
};

PlaceQuery PlaceOf(const common::v1::Address& address) {
  PlaceQuery query;
  query.area = address::AreaPartsOf(address);
  query.transformer_area = address::NormalizeAddressText(address.transformer_area());
  query.feeder = address::NormalizeAddressText(address.feeder());
  return query;
}

PlaceQuery TransformerAreaPlace(const std::string& transformer_area) {
  PlaceQuery query;
  query.transformer_area = address::NormalizeAddressText(transformer_area);
  return query;
}

NoticeIndex::NoticeIndex() : held_(std::make_unique<Held>()) {}
NoticeIndex::~NoticeIndex() = default;

bool NoticeIndex::Put(const v1::OutageNotice& notice) {
  const std::string& id = notice.notice_id();
  if (id.empty()) {
    return false;
  }
  std::unique_ptr<Entry> entry;
  if (IsHeldState(notice.state())) {
    entry = EntryOf(notice);
  }
  absl::MutexLock lock(&mu_);
  if (!held_->Newer(id, notice.version())) {
    return false;
  }
  held_->Remove(id);
  if (entry != nullptr) {
    held_->Add(std::move(entry));
  } else {
    held_->removed_versions[id] = notice.version();
  }
  return true;
}

void NoticeIndex::Reset(const std::vector<v1::OutageNotice>& open_notices) {
  auto fresh = std::make_unique<Held>();
  for (const v1::OutageNotice& notice : open_notices) {
    const std::string& id = notice.notice_id();
    if (id.empty() || !fresh->Newer(id, notice.version())) {
      continue;
    }
    fresh->Remove(id);
    if (IsHeldState(notice.state())) {
      fresh->Add(EntryOf(notice));
    } else {
      fresh->removed_versions[id] = notice.version();
    }
  }
  absl::MutexLock lock(&mu_);
  // Versions seen stay floors for the notices the reload does not hold.
  for (const auto& [id, version] : held_->removed_versions) {
    if (!fresh->by_id.contains(id)) {
      int64_t& floor = fresh->removed_versions[id];
      floor = std::max(floor, version);
    }
  }
  for (const auto& [id, entry] : held_->by_id) {
    if (!fresh->by_id.contains(id)) {
      int64_t& floor = fresh->removed_versions[id];
      floor = std::max(floor, entry->notice.version());
    }
  }
  held_ = std::move(fresh);
}

std::vector<v1::OutageNotice> NoticeIndex::Covering(const PlaceQuery& query) const {
  std::vector<const Entry*> found;
  absl::ReaderMutexLock lock(&mu_);
  for (int level = 0; level < address::kAreaLevels; ++level) {
    const std::string& part = query.area[level];
    if (part.empty()) {
      continue;
    }
    auto it = held_->by_area_part[level].find(part);
    if (it == held_->by_area_part[level].end()) {
      continue;
    }
    for (const Held::AreaRef& ref : it->second) {
      if (address::AddressHolds(ref.entry->areas[ref.area], query.area)) {
        found.push_back(ref.entry);
      }
    }
  }
  auto add_all = [&found](const std::string& key, const Held::IdMap& map) {
    if (key.empty()) {
      return;
    }
    if (auto it = map.find(key); it != map.end()) {
      found.insert(found.end(), it->second.begin(), it->second.end());
    }
  };
  add_all(query.transformer_area, held_->by_transformer_area);
  add_all(query.feeder, held_->by_feeder);
  std::sort(found.begin(), found.end(), Before);
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<v1::OutageNotice> notices;
  notices.reserve(found.size());
  for (const Entry* e : found) {
    notices.push_back(e->notice);
  }
  return notices;
}

std::vector<v1::OutageNotice> NoticeIndex::All() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<const Entry*> all;
  all.reserve(held_->by_id.size());
  for (const auto& [id, entry] : held_->by_id) {
    all.push_back(entry.get());
  }
  std::sort(all.begin(), all.end(), Before);
  std::vector<v1::OutageNotice> notices;
  notices.reserve(all.size());
  for (const Entry* e : all) {
    notices.push_back(e->notice);
  }
  return notices;
}

size_t NoticeIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return held_->by_id.size();
}

}  // namespace hotline::outage
