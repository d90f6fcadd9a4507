// A reference point for bench/compile.sh, not a ctnn workload: the XOR recipe (2-3-1 sigmoid,
// per-sample SGD, lr 0.1, MSE/2, 15000 epochs, ctnn's initial weights) as one hand-written
// function per epoch with every parameter in a local scalar, every loop unrolled and ctnn::math::exp
// the only call besides the epoch's. It is about as little work as the constant evaluators can be
// given for this recipe, so it bounds what restructuring ctnn's training loop could still gain.
// Same arithmetic per value as ctnn; it is timed only, not compared.

#include <ctnn/core.hpp>

namespace {

struct Parameters {
  double w1[6], b1[3], w2[3], b2;
};

constexpr double sigmoid(double h)
{
  return 1.0 / (1.0 + ctnn::math::exp(-h));
}

constexpr double train_epoch(Parameters& p)
{
  constexpr double inputs[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  constexpr double targets[4] = {0, 1, 1, 0};
  constexpr double rate = 0.1;
  double w10 = p.w1[0], w11 = p.w1[1], w12 = p.w1[2], w13 = p.w1[3], w14 = p.w1[4], w15 = p.w1[5];
  double b10 = p.b1[0], b11 = p.b1[1], b12 = p.b1[2];
  double w20 = p.w2[0], w21 = p.w2[1], w22 = p.w2[2], b2 = p.b2;
  double loss = 0.0;
  for (int s = 0; s < 4; ++s) {
    const double x0 = inputs[s][0], x1 = inputs[s][1];
    const double y0 = sigmoid((w10 * x0 + w11 * x1) + b10);
    const double y1 = sigmoid((w12 * x0 + w13 * x1) + b11);
    const double y2 = sigmoid((w14 * x0 + w15 * x1) + b12);
    const double out = sigmoid(((w20 * y0 + w21 * y1) + w22 * y2) + b2);
    const double e = out - targets[s];
    loss += e * e / 2.0;
    const double d = out * (1.0 - out) * e;
    const double d0 = y0 * (1.0 - y0) * (0.0 + w20 * d);
    const double d1 = y1 * (1.0 - y1) * (0.0 + w21 * d);
    const double d2 = y2 * (1.0 - y2) * (0.0 + w22 * d);
    w20 -= rate * (d * y0), w21 -= rate * (d * y1), w22 -= rate * (d * y2), b2 -= rate * d;
    w10 -= rate * (d0 * x0), w11 -= rate * (d0 * x1), b10 -= rate * d0;
    w12 -= rate * (d1 * x0), w13 -= rate * (d1 * x1), b11 -= rate * d1;
    w14 -= rate * (d2 * x0), w15 -= rate * (d2 * x1), b12 -= rate * d2;
  }
  p = Parameters{{w10, w11, w12, w13, w14, w15}, {b10, b11, b12}, {w20, w21, w22}, b2};
  return loss;
}

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

constexpr double train()
{
  const auto initial = ctnn::initialized<Model>(ctnn::Uniform01{}, ctnn::Seed{2024}).parameters();
  Parameters p{};
  for (std::size_t i = 0; i < 6; ++i) p.w1[i] = initial[i];
  for (std::size_t i = 0; i < 3; ++i) p.b1[i] = initial[6 + i];
  for (std::size_t i = 0; i < 3; ++i) p.w2[i] = initial[9 + i];
  p.b2 = initial[12];
  double loss = 0.0;
  for (int epoch = 0; epoch < 15000; ++epoch) loss = train_epoch(p);
  return loss;
}

static_assert(train() < 0.01);

}  // namespace

int main() {}
