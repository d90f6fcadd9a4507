// The tutorial's XOR run (dense-layer-and-xor, section 4.1.2): the model summary, the loss every
// 1000 epochs and the truth table, plus the same model trained by the compiler, compared bit for bit.
// Also the learned surface as a text grid, and on request the loss curve (SVG) and history (CSV).
//
//   xor [--plot loss.svg] [--csv history.csv]

#include <cinttypes>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include <ctnn/plot.hpp>
#include <ctnn/report.hpp>

#include "xor_recipe.hpp"
#include "xor_trained_by_compiler.hpp"

// Trained while compiling this file, in stages; main() trains the same recipe in one fit() call.
constexpr const xor_recipe::Model& trained_by_compiler = xor_recipe::trained_by_compiler.model;

namespace {

constexpr const char* usage =
    "usage: xor [--plot FILE.svg] [--csv FILE.csv]\n"
    "  trains the tutorial's 2-3-1 XOR network (at runtime and, in the build, in the compiler)\n"
    "  --plot FILE  write the loss curve as SVG\n"
    "  --csv FILE   write the loss of every epoch as CSV (epoch,loss)\n";

struct Arguments {
  std::string plot;
  std::string csv;
};

// Returns false on an unknown argument or a missing file name.
bool parse(int argc, char** argv, Arguments& arguments)
{
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string* target = arg == "--plot" ? &arguments.plot : arg == "--csv" ? &arguments.csv : nullptr;
    if (target == nullptr || i + 1 == argc || argv[i + 1][0] == '\0') return false;
    *target = argv[++i];
  }
  return true;
}

}  // namespace

int main(int argc, char** argv)
{
  Arguments arguments;
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    std::fputs(usage, stdout);
    return 0;
  }
  if (!parse(argc, argv, arguments)) {
    std::fprintf(stderr, "xor: unknown or incomplete arguments\n%s", usage);
    return 2;
  }

  ctnn::summary(xor_recipe::Model{});
  std::printf("\n");

  // Epoch 1 and every 1000th epoch as a line; on a terminal, also a progress bar.
  ctnn::History history;
  const xor_recipe::Model model =
      xor_recipe::train(ctnn::callbacks(history, ctnn::Reporter{xor_recipe::epochs, {.summed_loss = true}})).model;

  std::printf("x0 XOR x1 => result\n");
  for (const auto& sample : ctnn::datasets::xor_gate().samples)
    std::printf("%2d XOR %2d => %.4f\n", static_cast<int>(sample.input[0]), static_cast<int>(sample.input[1]),
                model.predict(sample.input)[0]);

  std::printf("\nlearned surface: the model's output for x0, x1 in [0, 1]\n");
  ctnn::print_surface(model);

  const bool identical = bitwise_equal(model, trained_by_compiler);
  std::printf("\ncompile-time model: fingerprint %016" PRIx64 "\n", parameter_fingerprint(trained_by_compiler));
  std::printf("runtime model:      fingerprint %016" PRIx64 "\n", parameter_fingerprint(model));
  std::printf("bit-identical: %s\n", identical ? "yes" : "NO");

  try {
    if (!arguments.plot.empty()) {
      ctnn::write_loss_svg(history, arguments.plot, {.title = "XOR 2-3-1: training loss per epoch"});
      std::printf("loss curve: %s\n", arguments.plot.c_str());
    }
    if (!arguments.csv.empty()) {
      ctnn::write_history_csv(history, arguments.csv);
      std::printf("history:    %s\n", arguments.csv.c_str());
    }
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "xor: %s\n", error.what());
    return 1;
  }
  return identical ? 0 : 1;
}
