// parley-server: see --help.
#include <exception>
#include <iostream>

#include "server.hpp"

int main(int argc, char** argv) {
  auto parsed = parley::server::parse_command_line(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  try {
    parley::server::Server server(*parsed.config);
    server.run();
  } catch (const std::exception& e) {
    std::cerr << "parley-server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
