// BatchNorm: inference with the running values against the formula; a training batch normalised
// with its own statistics and the running values updated as PyTorch does; the batch backward pass
// against finite differences of the batch's loss (and one without the mean term fails); a CNN with
// BatchNorm trained in batches in the compiler and at runtime with the same bits, float and double;
// a batch size of 1 refused; model files and headers with the running values; folding into the
// Conv2D or Dense before it against the unfolded network.

#include <catch2/catch.hpp>

#include <cmath>
#include <ctnn/batch_norm.hpp>
#include <ctnn/conv2d.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/flatten.hpp>
#include <ctnn/pooling.hpp>
#include <string>
#include <vector>

namespace {

using Norm = ctnn::BatchNorm<ctnn::Shape<3, 2, 2>, ctnn::Tanh>;  // 2 channels over 6 positions

constexpr double value(std::size_t s, std::size_t i)
{
  return static_cast<double>(static_cast<int>((s * 13 + i * 7) % 17) - 8) / 5.0;
}

constexpr Norm trained_norm()
{
  Norm n{};
  n.gamma = {{1.5, -0.75}};
  n.beta = {{0.25, 0.5}};
  n.running_mean = {{0.5, -1.0}};
  n.running_var = {{4.0, 0.25}};
  return n;
}

// A deliberately wrong batch backward: without the mean term of dx.
struct BrokenNorm : Norm {
  template <bool Need>
  constexpr void backward_batch(const input_type* xs, const cache_type* cs, const output_type* ys,
                                const output_type* dys, gradients& g, input_type* dxs, std::size_t n) const noexcept
  {
    Norm::backward_batch<Need>(xs, cs, ys, dys, g, dxs, n);
    for (std::size_t s = 0; s < n; ++s)
      for (std::size_t i = 0; i < 12; ++i) {
        double dh[12];
        ctnn::Tanh::backward(cs[s].h.values, ys[s].values, dys[s].values, dh);
        dxs[s].values[i] += gamma.values[i % 2] * cs[s].inverse_deviation.values[i % 2] * dh[i] / 6;
      }
  }
};

// The batch's loss sum_s sum_i weight(s, i) y[s][i] and its gradients by backward_batch and by
// central differences; the largest disagreement, relative to max(1, |gradient|).
template <class Layer>
double batch_gradient_error()
{
  constexpr std::size_t n = 4;
  const auto weight = [](std::size_t s, std::size_t i) { return value(s + 5, i + 3) / 2; };
  const auto loss = [&](const std::vector<Norm::input_type>& xs, Layer layer) {
    std::vector<Norm::cache_type> cs(n);
    std::vector<Norm::output_type> ys(n);
    layer.forward_batch(xs.data(), cs.data(), ys.data(), n);
    double sum = 0;
    for (std::size_t s = 0; s < n; ++s)
      for (std::size_t i = 0; i < 12; ++i) sum += weight(s, i) * ys[s].values[i];
    return sum;
  };
  std::vector<Norm::input_type> xs(n);
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t i = 0; i < 12; ++i) xs[s].values[i] = value(s, i);
  Layer layer{};
  static_cast<Norm&>(layer) = trained_norm();
  std::vector<Norm::cache_type> cs(n);
  std::vector<Norm::output_type> ys(n), dys(n);
  std::vector<Norm::input_type> dxs(n);
  Layer copy = layer;
  copy.forward_batch(xs.data(), cs.data(), ys.data(), n);
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t i = 0; i < 12; ++i) dys[s].values[i] = weight(s, i);
  Norm::gradients g{};
  layer.template backward_batch<true>(xs.data(), cs.data(), ys.data(), dys.data(), g, dxs.data(), n);
  double worst = 0;
  const auto compare = [&](double analytic, double numeric) {
    worst = std::max(worst, std::abs(analytic - numeric) / std::max({1.0, std::abs(analytic), std::abs(numeric)}));
  };
  constexpr double h = 1e-6;
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t i = 0; i < 12; ++i) {
      auto up = xs, down = xs;
      up[s].values[i] += h;
      down[s].values[i] -= h;
      compare(dxs[s].values[i], (loss(up, layer) - loss(down, layer)) / (2 * h));
    }
  for (std::size_t c = 0; c < 2; ++c) {
    Layer up = layer, down = layer;
    up.gamma.values[c] += h;
    down.gamma.values[c] -= h;
    compare(g.gamma.values[c], (loss(xs, up) - loss(xs, down)) / (2 * h));
    up = layer;
    down = layer;
    up.beta.values[c] += h;
    down.beta.values[c] -= h;
    compare(g.beta.values[c], (loss(xs, up) - loss(xs, down)) / (2 * h));
  }
  return worst;
}

template <class T>
using Net = ctnn::Network<
    ctnn::Conv2D<6, 6, 1, 4, 3, 3, ctnn::Identity, ctnn::ConvOptions{.padding = ctnn::Padding::same, .bias = false}, T>,
    ctnn::BatchNorm<ctnn::Shape<6, 6, 4>, ctnn::ReLU, std::ratio<1, 10>, std::ratio<1, 100000>, T>,
    ctnn::MaxPool2D<6, 6, 4, 2, 2, ctnn::PoolOptions{}, T>, ctnn::Flatten<ctnn::Shape<3, 3, 4>, T>,
    ctnn::Dense<36, 8, ctnn::Identity, T>,
    ctnn::BatchNorm<ctnn::Shape<8>, ctnn::Tanh, std::ratio<1, 10>, std::ratio<1, 100000>, T>,
    ctnn::Dense<8, 2, ctnn::Softmax, T>>;

template <class T>
constexpr ctnn::Dataset<36, 2, 8, T> bars()
{
  ctnn::Dataset<36, 2, 8, T> data{};
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = 1 + i % 4;
    const bool horizontal = i >= 4;
    for (std::size_t k = 0; k < 6; ++k) data.samples[i].input.values[horizontal ? at * 6 + k : k * 6 + at] = T(1);
    data.samples[i].target.values[horizontal ? 1 : 0] = T(1);
  }
  return data;
}

template <class T>
constexpr Net<T> trained(std::size_t epochs)
{
  auto net = ctnn::initialized<Net<T>>(ctnn::XavierUniform{}, ctnn::Seed{41});
  ctnn::fit(net, bars<T>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02},
            {.epochs = epochs, .batch_size = 4, .shuffle = true, .shuffle_seed = ctnn::Seed{2}});
  return net;
}

constexpr auto trained_double = trained<double>(15);
constexpr auto trained_float = trained<float>(15);
static_assert(ctnn::evaluate(trained_double, bars<double>(), ctnn::CategoricalCrossEntropy{}).accuracy() == 1.0);
static_assert(trained_double.layer<1>().running_mean[0] != 0.0 && trained_double.layer<5>().running_var[3] != 1.0);

}  // namespace

TEST_CASE("BatchNorm at inference uses the running values")
{
  Norm::input_type x;
  for (std::size_t i = 0; i < 12; ++i) x.values[i] = value(1, i);
  const Norm n = trained_norm();
  const auto y = n(x);
  for (std::size_t i = 0; i < 12; ++i) {
    const std::size_t c = i % 2;
    const double expected =
        std::tanh(n.gamma[c] * (x[i] - n.running_mean[c]) / std::sqrt(n.running_var[c] + 1e-5) + n.beta[c]);
    CHECK(y[i] == Approx(expected).epsilon(1e-14));
  }
}

TEST_CASE("a training batch is normalised with its statistics, and the running values follow PyTorch's update")
{
  constexpr std::size_t n = 3;
  std::vector<Norm::input_type> xs(n);
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t i = 0; i < 12; ++i) xs[s].values[i] = value(s, i);
  Norm layer = trained_norm();
  std::vector<Norm::cache_type> cs(n);
  std::vector<Norm::output_type> ys(n);
  layer.forward_batch(xs.data(), cs.data(), ys.data(), n);
  for (std::size_t c = 0; c < 2; ++c) {
    double sum = 0, squares = 0, normalized_sum = 0;
    for (std::size_t s = 0; s < n; ++s)
      for (std::size_t p = 0; p < 6; ++p) sum += xs[s][p * 2 + c];
    const double mean = sum / 18;
    for (std::size_t s = 0; s < n; ++s)
      for (std::size_t p = 0; p < 6; ++p) {
        squares += (xs[s][p * 2 + c] - mean) * (xs[s][p * 2 + c] - mean);
        normalized_sum += cs[s].normalized[p * 2 + c];
      }
    CHECK(normalized_sum == Approx(0).margin(1e-12));
    CHECK(cs[0].normalized[c] == Approx((xs[0][c] - mean) / std::sqrt(squares / 18 + 1e-5)).epsilon(1e-14));
    const Norm start = trained_norm();
    CHECK(layer.running_mean[c] == Approx(0.9 * start.running_mean[c] + 0.1 * mean).epsilon(1e-14));
    CHECK(layer.running_var[c] == Approx(0.9 * start.running_var[c] + 0.1 * squares / 17).epsilon(1e-14));
  }
}

TEST_CASE("BatchNorm's batch backward pass matches finite differences, and one without the mean term does not")
{
  CHECK(batch_gradient_error<Norm>() < 1e-7);
  CHECK(batch_gradient_error<BrokenNorm>() > 1e-3);
  // Per sample (eval mode) through gradient_check, as every trainable layer.
  const auto net = trained_double;
  CHECK(ctnn::gradient_check(net, bars<double>()[1].input, bars<double>()[1].target, ctnn::CategoricalCrossEntropy{})
            .passed(1e-6));
}

TEST_CASE("batch_norm: the compile-time models have the same fingerprints on every compiler")
{
  // Constants measured with GCC 12 and Clang 16 (x86-64): the same bits from both compilers.
  CHECK(ctnn::parameter_fingerprint(trained_double) == 0x0cb48aa189097242ULL);
  CHECK(ctnn::parameter_fingerprint(trained_float) == 0xec3189a620d08772ULL);
}

TEST_CASE("a CNN with BatchNorm trains in batches at runtime with the compiler's bits, float and double")
{
  volatile std::size_t epochs = 15;
  CHECK(ctnn::bitwise_equal(trained<double>(epochs), trained_double));
  CHECK(ctnn::bitwise_equal(trained<float>(epochs), trained_float));
  // The running values are stored values: a model whose running mean differs is not equal.
  auto moved = trained_double;
  moved.layer<1>().running_mean.values[0] += 1;
  CHECK_FALSE(ctnn::bitwise_equal(moved, trained_double));
  CHECK(ctnn::parameter_fingerprint(moved) != ctnn::parameter_fingerprint(trained_double));

  auto net = ctnn::initialized<Net<double>>(ctnn::XavierUniform{}, ctnn::Seed{41});
  CHECK_THROWS_WITH(ctnn::fit(net, bars<double>(), ctnn::CategoricalCrossEntropy{}, ctnn::Adam{0.02}, {.epochs = 1}),
                    "ctnn: fit: a layer normalises with batch statistics (BatchNorm), which needs option batch_size "
                    "at least 2, not 1");
}

TEST_CASE("BatchNorm goes through model files and headers, and folds into the layer before it")
{
  const std::string text = ctnn::model_text(trained_double);
  CHECK(text.find("BatchNorm 6x6x4 6x6x4 momentum_num=1 momentum_den=10 eps_num=1 eps_den=100000 relu") !=
        std::string::npos);
  Net<double> loaded{};
  ctnn::load_model_text_into(loaded, text, "bn.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, trained_double));
  CHECK(loaded.layer<5>().running_var[2] == trained_double.layer<5>().running_var[2]);
  const std::string header = ctnn::model_header(trained_double, "bn_model");
  CHECK(header.find("ctnn::BatchNorm<ctnn::Shape<8>, ctnn::Tanh, std::ratio<1, 10>, std::ratio<1, 100000>, double>") !=
        std::string::npos);

  // Two layers fewer; Conv2D and Dense now carry ReLU and Tanh and a bias.
  constexpr auto folded = ctnn::fold_batch_norm(trained_double);
  static_assert(decltype(folded)::layer_count == 5);
  static_assert(
      std::is_same_v<
          std::remove_cvref_t<decltype(folded.layer<0>())>,
          ctnn::Conv2D<6, 6, 1, 4, 3, 3, ctnn::ReLU, ctnn::ConvOptions{.padding = ctnn::Padding::same, .bias = true}>>);
  double worst = 0;
  std::size_t identical = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    auto x = bars<double>()[i].input;
    for (std::size_t k = 0; k < 36; ++k) x.values[k] += value(i, k) / 10;
    const auto a = trained_double.predict(x), b = folded.predict(x);
    for (std::size_t k = 0; k < 2; ++k) {
      worst = std::max(worst, std::abs(a[k] - b[k]));
      identical += a[k] == b[k] ? 1 : 0;
    }
  }
  INFO("largest difference " << worst << ", " << identical << " of 16 outputs identical");
  CHECK(worst < 1e-13);
  // The float form likewise, within float's rounding.
  const auto folded_float = ctnn::fold_batch_norm(trained_float);
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(folded_float.predict(bars<float>()[i].input)[0] ==
          Approx(trained_float.predict(bars<float>()[i].input)[0]).epsilon(1e-5));
}
