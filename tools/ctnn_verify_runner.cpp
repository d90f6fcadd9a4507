// The C++ half of tools/ctnn-verify: loads a ctnn model file into the network type the driver compiled
// it for (CTNN_VERIFY_NETWORK, e.g. ACAS Xu's Network<Dense<5, 50, ReLU, float>, ...>), reads the
// property text the driver wrote from VNN-LIB, runs verify (two strategies on two threads), and prints
// the result.
//
//   ctnn_verify_runner MODEL.ctnn PROPERTY.txt TIMEOUT_SECONDS [THREADS]
//
// THREADS: 2 (default) runs verify_portfolio (both split strategies, one thread each), 1 plain verify,
// 0 verify_parallel on two threads (pieces shared out, one strategy).
//
// Property text: `inputs N`, `outputs M`, then one or more regions:
//   region                      followed by N lines `lower upper` (hexadecimal or decimal floats)
//   cases K                     followed by K blocks: `case C`, then C lines `c_0 ... c_{M-1} <= d` (or `<`)
// The violation is: some region, some case, all of the case's constraints. Output (stdout):
//   result holds|violated|unknown|timeout
//   pieces P / margin M / seconds S, and for violated `x i value` and `y j value` lines (hexadecimal).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <ctnn/model_file.hpp>
#include <ctnn/verify_parallel.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifndef CTNN_VERIFY_NETWORK
#define CTNN_VERIFY_NETWORK                                                                     \
  ctnn::Network<ctnn::Dense<5, 50, ctnn::ReLU, float>, ctnn::Dense<50, 50, ctnn::ReLU, float>,  \
                ctnn::Dense<50, 50, ctnn::ReLU, float>, ctnn::Dense<50, 50, ctnn::ReLU, float>, \
                ctnn::Dense<50, 50, ctnn::ReLU, float>, ctnn::Dense<50, 50, ctnn::ReLU, float>, \
                ctnn::Dense<50, 5, ctnn::Identity, float>>
#endif

namespace {

using Net = CTNN_VERIFY_NETWORK;
using T = Net::scalar_type;
constexpr std::size_t In = Net::inputs, Out = Net::outputs;
using Property = ctnn::Property<T, In, Out, 64>;

using Clock = std::chrono::steady_clock;
struct Deadline {
  Clock::time_point end;
};

[[noreturn]] void fail(const std::string& message)
{
  std::cout << "result error\n";
  std::cerr << "ctnn_verify_runner: " << message << "\n";
  std::exit(2);
}

T read_value(std::istream& in)
{
  std::string word;
  if (!(in >> word)) fail("the property text ends early");
  return static_cast<T>(std::strtod(word.c_str(), nullptr));  // hexadecimal floats are exact
}

std::vector<Property> read_properties(const std::string& path)
{
  std::ifstream in(path);
  if (!in) fail("cannot read " + path);
  std::string word;
  std::size_t n = 0, m = 0;
  in >> word >> n;
  if (word != "inputs" || n != In)
    fail("the property has " + std::to_string(n) + " inputs, the network " + std::to_string(In));
  in >> word >> m;
  if (word != "outputs" || m != Out)
    fail("the property has " + std::to_string(m) + " outputs, the network " + std::to_string(Out));
  std::vector<Property> properties;
  while (in >> word) {
    if (word != "region") fail("expected `region`, read `" + word + "`");
    Property p{};
    for (std::size_t i = 0; i < In; ++i) p.region.lower[i] = read_value(in), p.region.upper[i] = read_value(in);
    std::size_t cases = 0;
    in >> word >> cases;
    if (word != "cases") fail("expected `cases`");
    for (std::size_t k = 0; k < cases; ++k) {
      std::size_t count = 0;
      in >> word >> count;
      if (word != "case") fail("expected `case`");
      p.new_case();
      for (std::size_t c = 0; c < count; ++c) {
        ctnn::OutputConstraint<T, Out> constraint{};
        for (std::size_t j = 0; j < Out; ++j) constraint.coefficients[j] = read_value(in);
        in >> word;
        if (word != "<=" && word != "<") fail("expected `<=` or `<`, read `" + word + "`");
        constraint.strict = word == "<";
        constraint.bound = read_value(in);
        p.add_constraint(constraint);
      }
    }
    if (p.count > 64 || p.cases > 64) fail("more than 64 constraints or cases in one region");
    properties.push_back(p);
  }
  if (properties.empty()) fail("the property has no region");
  return properties;
}

}  // namespace

int main(int argc, char** argv)
{
  if (argc < 4)
    fail(
        "usage: ctnn_verify_runner MODEL.ctnn PROPERTY.txt TIMEOUT_SECONDS [THREADS [RELU_SPLIT_BELOW "
        "[RANDOM_SAMPLES]]]");
  const auto start = Clock::now();
  const double timeout = std::strtod(argv[3], nullptr);
  const std::size_t threads = argc > 4 ? static_cast<std::size_t>(std::strtoul(argv[4], nullptr, 10)) : 2;
  auto net = std::make_unique<Net>();
  try {
    ctnn::load_into(*net, argv[1]);
  } catch (const std::exception& error) {
    fail(error.what());
  }
  const auto properties = read_properties(argv[2]);
  const Deadline deadline{start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout))};
  ctnn::VerifyOptions options{};
  options.max_pieces = static_cast<std::size_t>(-1);
  options.max_depth = 64;
  options.relu_split_below = argc > 5 ? static_cast<std::size_t>(std::strtoul(argv[5], nullptr, 10)) : 0;
  options.random_samples = argc > 6 ? static_cast<std::size_t>(std::strtoul(argv[6], nullptr, 10)) : 0;
  options.time_context = &deadline;
  options.out_of_time = [](const void* d) { return Clock::now() > static_cast<const Deadline*>(d)->end; };

  std::string verdict = "holds";
  std::size_t pieces = 0;
  T margin = ctnn::detail::interval::infinity<T>;
  ctnn::VerifyResult<T, In> violation{};
  for (const auto& property : properties) {
    const auto result = threads >= 2   ? ctnn::verify_portfolio(*net, property, options)
                        : threads == 1 ? ctnn::verify(*net, property, options)
                                       : ctnn::verify_parallel(*net, property, options, 2);
    pieces += result.pieces;
    if (result.verdict == ctnn::Verdict::violated) {
      verdict = "violated";
      violation = result;
      break;
    }
    if (result.verdict == ctnn::Verdict::holds) {
      margin = std::min(margin, result.margin);
      continue;
    }
    verdict = result.out_of_time ? "timeout" : "unknown";
    if (result.out_of_time) break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_seconds = static_cast<double>(std::clock()) / CLOCKS_PER_SEC;  // all threads
  std::printf("result %s\npieces %zu\nmargin %a\nseconds %.3f\ncpu_seconds %.3f\n", verdict.c_str(), pieces,
              static_cast<double>(verdict == "violated" ? violation.margin : margin), seconds, cpu_seconds);
  if (verdict == "violated") {
    typename Net::input_type x{};
    for (std::size_t i = 0; i < In; ++i) x.values[i] = violation.counterexample[i];
    const auto y = net->predict(x);
    for (std::size_t i = 0; i < In; ++i) std::printf("x %zu %a\n", i, static_cast<double>(x.values[i]));
    for (std::size_t j = 0; j < Out; ++j) std::printf("y %zu %a\n", j, static_cast<double>(y.values[j]));
  }
  return 0;
}
