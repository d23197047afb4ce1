# `tools/dev up/down/reset/status`: the local backend. Sourced, not run.
cmd_up() { die "up: not built yet"; }
cmd_down() { die "down: not built yet"; }
cmd_reset() { die "reset: not built yet"; }
cmd_status() { die "status: not built yet"; }
