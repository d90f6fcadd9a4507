// interop.rtneural: RTNeural's models (tests/interop/rtneural/, converted by ctnn-import --from
// rtneural, headers made by test_rtneural.py --generate) streamed through Network::step one sample
// per call from the initial state, as RTNeural's forward runs them; every output must be within
// RTNeural's own threshold (an absolute difference) of RTNeural's test data; for_inference(net)'s
// step must give Network::step's bits at every sample.

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include <ctnn/inference.hpp>

#include "rtneural_cases.hpp"

template <class Net, std::size_t N>
bool streams_within(const char* name, const Net& net, const double (&inputs)[N], const double (&expected)[N],
                    double tolerance)
{
  auto state = net.initial_state();
  // The inference form streams alongside: the same bits at every sample.
  const auto frozen = ctnn::for_inference(net);
  auto frozen_state = frozen.initial_state();
  std::size_t differing = 0;
  double worst = 0;
  for (std::size_t t = 0; t < N; ++t) {
    const double y = net.step({{inputs[t]}}, state)[0];
    const double z = frozen.step({{inputs[t]}}, frozen_state)[0];
    if (std::memcmp(&y, &z, sizeof y) != 0) ++differing;
    const double difference = std::fabs(y - expected[t]);
    if (!(difference <= worst)) worst = difference;  // NaN sticks and fails
  }
  const bool ok = worst <= tolerance && differing == 0;
  std::printf(
      "%s %s: %zu samples streamed, worst |ctnn - RTNeural| = %.3g (threshold %.3g); for_inference's step "
      "differs in %zu\n",
      ok ? "ok  " : "FAIL", name, N, worst, tolerance, differing);
  return ok;
}

int main()
{
  bool ok = true;
#define CTNN_RTNEURAL_COMPARE(name) \
  ok = streams_within(#name, name, name##_inputs, name##_expected, name##_tolerance) && ok;
  CTNN_RTNEURAL_CASES(CTNN_RTNEURAL_COMPARE)
  return ok ? 0 : 1;
}
