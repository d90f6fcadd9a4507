// Runs every model of one generated cases header (make_cases.py) at run time on its 1000 inputs and
// compares ctnn's predict with the source framework's outputs: each difference, relative to
// max(1, |expected|), must be within the model's tolerance. Each model's header has already
// static_asserted its --check inputs at compile time and its parameters' fingerprint.

#include <cstddef>
#include <cstdio>

#include CTNN_INTEROP_CASES_HEADER

template <class Net, class T, std::size_t N, std::size_t In, std::size_t Out>
bool matches(const char* name, const char* framework, const Net& net, const T (&inputs)[N][In],
             const T (&expected)[N][Out], double tolerance)
{
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
  const bool ok = worst <= tolerance;
  std::printf("%s %s: %zu inputs x %zu outputs, worst |ctnn - %s| / max(1, |%s|) = %.3g (tolerance %.3g)\n",
              ok ? "ok  " : "FAIL", name, N, Out, framework, framework, worst, tolerance);
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
