#pragma once

// Statements run as prepared statements of the connection they run on.
//
//   pqxx::result r = pg::Exec(tx, kSelectTicket, ticket_id);
//   pg::Exec0(tx, kInsertHistory, ticket_id, at, actor);   // expects no rows
//   pqxx::row one = pg::Exec1(tx, kNextNumber);             // expects one row
//
// The first run of a statement text on a connection prepares it there
// (PostgreSQL parses and analyses it once); every later run sends only the
// name and the parameters, and after a few runs PostgreSQL keeps a generic
// plan instead of planning anew. Parsing and planning each statement on every
// call were a third of PostgreSQL's CPU under load (docs/benchmarks.md).
//
// The text must be one of the program's fixed statements (values go in as
// parameters, never into the text): each distinct text stays prepared on its
// connection for the connection's life. Texts assembled from fixed parts (a
// schema name, a column list) are fine. A statement run once (a migration)
// gains nothing and may use exec_params as before.
//
// Errors are libpqxx's exceptions, as with exec_params (pg::WithTransaction
// turns them into absl::Status).

#include <pqxx/result>
#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>
#include <utility>

namespace hotline::pg {

// The name under which `sql` is prepared on tx's connection, declaring it to
// libpqxx on first use (libpqxx sends the PREPARE with the first run).
std::string PreparedName(pqxx::transaction_base& tx, const std::string& sql);

template <typename... Args>
pqxx::result Exec(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  return tx.exec_prepared(PreparedName(tx, sql), std::forward<Args>(args)...);
}

template <typename... Args>
pqxx::result Exec0(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  return tx.exec_prepared0(PreparedName(tx, sql), std::forward<Args>(args)...);
}

template <typename... Args>
pqxx::row Exec1(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  return tx.exec_prepared1(PreparedName(tx, sql), std::forward<Args>(args)...);
}

}  // namespace hotline::pg
