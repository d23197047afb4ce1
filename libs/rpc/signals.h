#pragma once

// Waiting for SIGTERM/SIGINT without a signal handler.
//
// Usage, in main:
//   int main(int argc, char** argv) {
//     hotline::rpc::BlockTerminationSignals();  // first, before any thread starts
//     ... start the server and other threads ...
//     hotline::rpc::WaitForTerminationSignal();
//     server->Shutdown();
//   }
//
// Blocking first matters: a thread inherits the signal mask of the thread
// that creates it, so every later thread (gRPC's included) has the signals
// blocked and the kernel keeps them pending for sigwait instead of running
// the default action (killing the process) on some random thread.

namespace hotline::rpc {

// Blocks SIGTERM and SIGINT in the calling thread (and so in the threads it
// starts afterwards). Call first thing in main.
void BlockTerminationSignals();

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
// Requires BlockTerminationSignals() to have been called as described above.
int WaitForTerminationSignal();

}  // namespace hotline::rpc
