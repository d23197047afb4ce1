#include "tools/hotlinectl/command.h"

namespace hotline::ctl {

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto part :
       {TicketCommands, OrderCommands, NoticeCommands, SlaCommands, CallCenterCommands}) {
    std::vector<Command> commands = part();
    all.insert(all.end(), commands.begin(), commands.end());
  }
  return all;
}

}  // namespace hotline::ctl
