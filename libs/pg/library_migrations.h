#pragma once

// This library's own tables, created in every service schema by Migrate
// (recorded under component "hotline.pg"). Services do not copy this SQL.
//
//   outbox: events to deliver to other services (libs/pg/outbox.h,
//           libs/pg/outbox_relay.h), pending rows indexed by id and by
//           destination, with the lease of the relay sending them;
//   inbox:  event ids already applied by this service (libs/pg/inbox.h).
//
// Append new versions; never edit an applied one.

#include <vector>

#include "libs/pg/migrations.h"

namespace hotline::pg {

const std::vector<Migration>& LibraryMigrations();

}  // namespace hotline::pg
