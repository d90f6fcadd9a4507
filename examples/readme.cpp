#include <ctnn/core.hpp>

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>,   // 2 inputs -> 3 hidden units
                          ctnn::Dense<3, 1, ctnn::Sigmoid>>;  // 3 hidden units -> 1 output

// using Broken = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
// Broken{};  // ❌ error: static assertion failed: ctnn: a layer's input shape must equal the previous
//            //    layer's output shape  [check_shape<layer<2>::takes<Shape<4>>, layer<1>::produces<Shape<3>>>]

struct Training {  // trained by the compiler: 15000 epochs of per-sample SGD, in 20 stages of 750
  static constexpr Xor start() { return ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024}); }
  static constexpr Xor stage(Xor net, auto /*index*/)
  {
    ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 750});
    return net;
  }
};
CTNN_TRAIN_IN_STAGES(trained, Training, 20);  // each stage within the compilers' default limits

static_assert(trained.predict({{0.0, 1.0}})[0] > 0.9);  // 0 XOR 1 = 1
static_assert(trained.predict({{1.0, 1.0}})[0] < 0.1);  // 1 XOR 1 = 0

int main() {}
