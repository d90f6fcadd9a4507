// ACAS Xu property 4 on network 2_4 (VNN-COMP 2021's prop_4.vnnlib, ACASXU_run2a_2_4_batch_2000.onnx),
// proven by the compiler: for every input in the property's box, clear-of-conflict (output 0) is not
// the minimal score. Network 2_4 because its proof needs 3 pieces (widest-influence splits); on
// network 1_1 it needs 1153, and each piece costs the constant evaluators about 10 s. Not part of
// CI (see bench/verify/README.md for its compile cost):
//   bench/verify/acasxu_static.sh [g++|clang++-16]
// The network comes from a header bench/verify/acasxu_header.py writes (ACASXU_HEADER).

#include <ctnn/verify.hpp>

#include ACASXU_HEADER

namespace {

constexpr auto network = acasxu_network();
// prop_4.vnnlib's input box (normalised inputs), as floats.
constexpr ctnn::Box<float, 5> box{{-0.303531156f, -0.009549297f, 0.0f, 0.318181818f, 0.083333333f},
                                  {-0.298552812f, 0.009549297f, 0.0f, 0.5f, 0.166666667f}};
constexpr auto property = ctnn::Property<float, 5, 5>::in_box(box).require_not_arg_min(0);
constexpr auto result = ctnn::verify(network, property, {.max_pieces = 64, .look_ahead = false});
static_assert(result.verdict == ctnn::Verdict::holds, "ACAS Xu property 4 on network 2_4");

}  // namespace

int main()
{
  return static_cast<int>(result.pieces == 0);
}
