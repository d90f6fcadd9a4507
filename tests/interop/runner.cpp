// Runs every model of one generated cases header (make_cases.py) at run time on its 1000 inputs and
// compares ctnn's predict with the source framework's outputs: each difference, relative to
// max(1, |expected|), must be within the model's tolerance. Each model's header has already
// static_asserted its --check inputs at compile time and its parameters' fingerprint. ctnn::load reads
// the model file ctnn-export wrote for each model, which must hold the header's parameters bit for bit.

#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>
#include <type_traits>

#include <ctnn/model_file.hpp>

#include CTNN_INTEROP_CASES_HEADER

template <class ConstNet, class T, std::size_t N, std::size_t In, std::size_t Out>
bool matches(const char* name, const char* framework, const ConstNet& net, const T (&inputs)[N][In],
             const T (&expected)[N][Out], double tolerance)
{
  using Net = std::remove_const_t<ConstNet>;
  double worst = 0;
  for (std::size_t k = 0; k < N; ++k) {
    ctnn::Vector<T, In> x{};
    for (std::size_t i = 0; i < In; ++i) x.values[i] = inputs[k][i];
    const auto y = net.predict(x);
    for (std::size_t o = 0; o < Out; ++o) {
      const double e = expected[k][o];
      const double scale = e > 1 ? e : (e < -1 ? -e : 1);
      const double difference = (double(y.values[o]) - e) / scale;
      const double magnitude = difference < 0 ? -difference : difference;
      if (!(magnitude <= worst)) worst = magnitude;  // NaN sticks and fails
    }
  }
  // ctnn-export's model file of the same model: ctnn::load must read it, and get the header's bits.
  bool loaded_equal = false;
  try {
    const auto loaded = ctnn::load<Net>(std::string(CTNN_INTEROP_DIR "/") + name + ".ctnn");
    loaded_equal = ctnn::bitwise_equal(loaded, net);
  } catch (const std::exception& error) {
    std::printf("%s\n", error.what());
  }
  const bool ok = worst <= tolerance && loaded_equal;
  std::printf(
      "%s %s: %zu inputs x %zu outputs, worst |ctnn - %s| / max(1, |%s|) = %.3g (tolerance %.3g); "
      "%s.ctnn %s\n",
      ok ? "ok  " : "FAIL", name, N, Out, framework, framework, worst, tolerance, name,
      loaded_equal ? "loads with the same bits" : "does NOT load with the same bits");
  return ok;
}

int main()
{
  bool ok = true;
#define CTNN_INTEROP_COMPARE(name) \
  ok = matches(#name, name##_framework, name, name##_inputs, name##_expected, name##_tolerance) && ok;
  CTNN_INTEROP_CASES(CTNN_INTEROP_COMPARE)
  return ok ? 0 : 1;
}
