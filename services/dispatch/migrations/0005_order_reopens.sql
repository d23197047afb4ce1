-- A resolved order sent back to the branch that resolved it, because the
-- customer said on the callback (survey's callback.completed) that they are
-- dissatisfied or the problem is not solved: how often, why and when the last
-- time. The reopening is also a routing record (order_routes, rule
-- reopened_by_callback) and a line of the order's progress (order_progress,
-- step reopened); the steps reported before it stay there.
ALTER TABLE orders
  ADD COLUMN reopens integer NOT NULL DEFAULT 0,
  ADD COLUMN reopened_reason text NOT NULL DEFAULT '',
  ADD COLUMN reopened_at timestamptz;
