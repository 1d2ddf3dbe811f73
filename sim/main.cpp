// uketsuke-sim: simulators for development, demo and tests. The work is in the `sim` library
// (sim/cli.cpp parses the command line); this file only hands over argv.

#include "sim/cli.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    return uketsuke::sim::runCli(args, std::cout, std::cerr);
}
