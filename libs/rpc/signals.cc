#include "libs/rpc/signals.h"

#include <pthread.h>
#include <signal.h>

#include "libs/log/log.h"

namespace hotline::rpc {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  log::Info("rpc", "received ", signal == SIGTERM ? "SIGTERM" : "SIGINT", ", shutting down");
  return signal;
}

}  // namespace hotline::rpc
