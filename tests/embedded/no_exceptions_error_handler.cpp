// Built with -fno-exceptions -fno-rtti. "handler": a runtime error reaches the installed handler with
// its message (the handler prints it and ends the program, as a handler must not return). "default":
// without a handler, the message goes to stderr and the program aborts.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common.hpp"

int main(int argc, char** argv)
{
  if (argc == 2 && std::strcmp(argv[1], "handler") == 0) {
    ctnn::set_error_handler([](const char* message) {
      std::printf("handled: %s\n", message);
      std::fflush(stdout);
      std::_Exit(0);
    });
    embedded::Net net{};
    volatile std::size_t epochs = 0;
    ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::SGD{0.1}, {.epochs = epochs});
    std::printf("the handler was not called\n");
    return 1;
  }
  const ctnn::Vector<double, 2> v{{1.0, 2.0}};
  volatile std::size_t index = 7;
  std::printf("%f\n", v.at(index));
  return 1;
}
