// uketsuke-desk: the reception-desk service. This file only parses the arguments; the program
// itself is runDesk() (desk/app.hpp).

#include "desk/app.hpp"
#include "desk/options.hpp"
#include "desk/user_command.hpp"

#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

int main(int argc, char** argv)
{
    using namespace uketsuke::desk;
    auto invocation = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!invocation) {
        std::cerr << "uketsuke-desk: " << invocation.error().message << std::endl;
        return 2;
    }
    switch (invocation->action) {
    case Action::Help:
        std::cout << usage();
        return 0;
    case Action::Version:
        std::cout << "uketsuke-desk " << UKETSUKE_VERSION << std::endl;
        return 0;
    case Action::Export:
        return runExport(invocation->options, std::cout, std::cerr);
    case Action::User:
        return runUserCommand(invocation->user, invocation->options, std::cin,
                              ::isatty(STDIN_FILENO) == 1, std::cout, std::cerr);
    case Action::PairCode:
        return runPairCode(invocation->options, invocation->pairTerminal, std::cout, std::cerr);
    case Action::Run:
        break;
    }
    return runDesk(invocation->options, std::cout, std::cerr);
}
