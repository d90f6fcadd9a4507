// ctnn's runtime inference and training step side by side with Eigen 3.4 in one binary, built with
// the same flags (bench/run-eigen.sh builds it at -O2 and at -O3 -march=native and prints the table).
//
// Inference: one Dense N x N layer (identity or tanh), float and double, N in {4, 8, 16, 32, 64};
// "single" is one predict call per sample, "batch" one call for 256 samples (ctnn's predict_batch,
// Eigen's matrix-matrix product); "frozen single" and "frozen batch" are the same calls on the
// inference form, ctnn::for_inference(net), which keeps W by columns as Eigen does. Eigen's side is
// what an Eigen-based inference library writes: a fixed-size column-major W, y = W x + b, then
// Eigen's vectorised tanh (an approximation for float; std::tanh per value for double). Every output
// is consumed (summed) on both sides.
//
// Training: per-sample SGD on a 64-128-10 sigmoid network with MSE/2, 1000 samples, in double:
// ctnn::fit against a hand-written Eigen trainer (Eigen's array exp for the sigmoid).
//
// Before timing, the program checks that ctnn's runtime results (single and batch predict of the
// network and of its inference form, and the trained weights) equal plain scalar loops doing the
// constant-evaluated path's arithmetic in its order (which tests/unit/kernels_test.cpp,
// inference_test.cpp and dense_test.cpp tie to the constant evaluator), and stops if any bit
// differs. Timings alternate the two sides in short runs; the table gives the fastest run of each
// and their ratio (ctnn / Eigen, below 1 means ctnn is faster).

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <time.h>

#include <Eigen/Core>

#include <ctnn/activation.hpp>
#include <ctnn/data.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/inference.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optimizer.hpp>
#include <ctnn/train.hpp>

namespace {

constexpr std::size_t batch = 256;

double seconds()
{
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// A value in [-1, 1) from an LCG step.
double spread(std::uint64_t k)
{
  const std::uint64_t s = (k + 1) * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(static_cast<std::int64_t>(s >> 40) - (1 << 23)) * 0x1p-23;
}

template <class T>
bool same_bits(T a, T b)
{
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
  else
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

volatile double sink;  // every timed call's outputs end up here

// Runs a and b alternately, 41 rounds, each run `calls` calls (about a millisecond); returns the
// fastest run of each in ns per unit. Short runs and the minimum: on the shared machine other
// processes take the CPU for whole milliseconds at a time, and the minimum is the run they spared.
template <class A, class B>
std::array<double, 2> alternate(A&& a, B&& b, std::size_t units_per_call)
{
  std::size_t calls = 1;
  for (;;) {
    const double t0 = seconds();
    for (std::size_t c = 0; c < calls; ++c) a();
    const double t1 = seconds();
    for (std::size_t c = 0; c < calls; ++c) b();
    const double t2 = seconds();
    if (t1 - t0 > 0.001 || t2 - t1 > 0.001) break;
    calls *= 2;
  }
  std::array<double, 2> best{1e300, 1e300};
  for (int round = 0; round < 41; ++round) {
    const double t0 = seconds();
    for (std::size_t c = 0; c < calls; ++c) a();
    const double t1 = seconds();
    for (std::size_t c = 0; c < calls; ++c) b();
    const double t2 = seconds();
    best[0] = std::min(best[0], t1 - t0);
    best[1] = std::min(best[1], t2 - t1);
  }
  const double per = 1e9 / static_cast<double>(calls * units_per_call);
  return {best[0] * per, best[1] * per};
}

bool all_ok = true;

void row(const char* what, std::size_t n, const char* type, const char* activation, std::array<double, 2> ns,
         double target)
{
  const double ratio = ns[0] / ns[1];
  std::printf("%-13s %3zu  %-6s  %-8s %10.1f %10.1f %7.2f  %s\n", what, n, type, activation, ns[0], ns[1], ratio,
              ratio <= target ? "met" : "MISSED");
}

// ---------------------------------------------------------------------------------------------
// Inference: Dense N x N
// ---------------------------------------------------------------------------------------------

template <class T, std::size_t N, class A>
struct Inference {
  using Net = ctnn::Network<ctnn::Dense<N, N, A, T>>;
  using EigenMatrix = Eigen::Matrix<T, int{N}, int{N}>;
  using EigenVector = Eigen::Matrix<T, int{N}, 1>;
  static constexpr bool is_tanh = std::is_same_v<A, ctnn::Tanh>;

  Net net{};
  ctnn::InferenceModel<Net> frozen{};
  std::vector<typename Net::input_type> inputs = std::vector<typename Net::input_type>(batch);
  std::vector<typename Net::output_type> outputs = std::vector<typename Net::output_type>(batch);
  EigenMatrix w;
  EigenVector b;
  Eigen::Matrix<T, int{N}, Eigen::Dynamic> x_columns{int{N}, int{batch}};
  Eigen::Matrix<T, int{N}, Eigen::Dynamic> y_columns{int{N}, int{batch}};

  Inference()
  {
    auto& layer = net.template layer<0>();
    const double scale = 2.0 / std::sqrt(static_cast<double>(N));  // tanh sees all of its ranges
    for (std::size_t i = 0; i < N; ++i) {
      for (std::size_t j = 0; j < N; ++j) {
        layer.weights.values[i * N + j] = static_cast<T>(scale * spread(i * N + j));
        w(int(i), int(j)) = layer.weights.values[i * N + j];
      }
      layer.bias.values[i] = static_cast<T>(0.1 * spread(5000 + i));
      b(int(i)) = layer.bias.values[i];
    }
    for (std::size_t s = 0; s < batch; ++s)
      for (std::size_t j = 0; j < N; ++j) {
        inputs[s].values[j] = static_cast<T>(spread(100000 + s * N + j));
        x_columns(int(j), int(s)) = inputs[s].values[j];
      }
    frozen = ctnn::for_inference(net);
  }

  // The constant evaluator's arithmetic as plain scalar code: sum from W[i][0] x[0] left to right,
  // bias last, then the scalar activation.
  typename Net::output_type reference(const typename Net::input_type& x) const
  {
    const auto& layer = net.template layer<0>();
    typename Net::output_type y{};
    for (std::size_t i = 0; i < N; ++i) {
      T sum = layer.weights.values[i * N] * x.values[0];
      for (std::size_t j = 1; j < N; ++j) sum += layer.weights.values[i * N + j] * x.values[j];
      const T h = sum + layer.bias.values[i];
      y.values[i] = is_tanh ? ctnn::math::tanh(h) : h;
    }
    return y;
  }

  bool check() const
  {
    std::vector<typename Net::output_type> batched(batch), frozen_batched(batch);
    net.predict_batch(inputs.data(), batched.data(), batch);
    frozen.predict_batch(inputs.data(), frozen_batched.data(), batch);
    std::size_t differing = 0;
    for (std::size_t s = 0; s < batch; ++s) {
      const auto expected = reference(inputs[s]);
      const auto single = net.predict(inputs[s]);
      const auto frozen_single = frozen.predict(inputs[s]);
      for (std::size_t i = 0; i < N; ++i)
        if (!same_bits(expected.values[i], single.values[i]) || !same_bits(expected.values[i], batched[s].values[i]) ||
            !same_bits(expected.values[i], frozen_single.values[i]) ||
            !same_bits(expected.values[i], frozen_batched[s].values[i]))
          ++differing;
    }
    if (differing != 0)
      std::fprintf(stderr, "bit-identity FAILED: Dense %zu x %zu %s, %zu values differ\n", N, N, A::name.data(),
                   differing);
    return differing == 0;
  }

  // Each timed side is a function of its own: inlined into one large caller, GCC -O2's register
  // allocation there made ctnn's single tanh rows twice as slow as the same code in a small program.
  [[gnu::noinline]] void ctnn_single()
  {
    T sum = 0;
    for (std::size_t s = 0; s < batch; ++s) {
      const auto y = net.predict(inputs[s]);
      for (std::size_t i = 0; i < N; ++i) sum += y.values[i];
    }
    sink = sink + double(sum);
  }
  [[gnu::noinline]] void frozen_single()
  {
    T sum = 0;
    for (std::size_t s = 0; s < batch; ++s) {
      const auto y = frozen.predict(inputs[s]);
      for (std::size_t i = 0; i < N; ++i) sum += y.values[i];
    }
    sink = sink + double(sum);
  }
  [[gnu::noinline]] void eigen_single()
  {
    T sum = 0;
    EigenVector y;
    for (std::size_t s = 0; s < batch; ++s) {
      const Eigen::Map<const EigenVector> x(inputs[s].values);
      y.noalias() = w * x + b;
      if constexpr (is_tanh) y = y.array().tanh();
      for (std::size_t i = 0; i < N; ++i) sum += y(int(i));
    }
    sink = sink + double(sum);
  }
  [[gnu::noinline]] void ctnn_batch()
  {
    net.predict_batch(inputs.data(), outputs.data(), batch);
    T sum = 0;
    for (std::size_t s = 0; s < batch; ++s)
      for (std::size_t i = 0; i < N; ++i) sum += outputs[s].values[i];
    sink = sink + double(sum);
  }
  [[gnu::noinline]] void frozen_batch()
  {
    frozen.predict_batch(inputs.data(), outputs.data(), batch);
    T sum = 0;
    for (std::size_t s = 0; s < batch; ++s)
      for (std::size_t i = 0; i < N; ++i) sum += outputs[s].values[i];
    sink = sink + double(sum);
  }
  [[gnu::noinline]] void eigen_batch()
  {
    y_columns.noalias() = w * x_columns;
    y_columns.colwise() += b;
    if constexpr (is_tanh) y_columns = y_columns.array().tanh();
    T sum = 0;
    for (std::size_t s = 0; s < batch; ++s)
      for (std::size_t i = 0; i < N; ++i) sum += y_columns(int(i), int(s));
    sink = sink + double(sum);
  }
};

template <class T, std::size_t N, class A>
void run_inference(const char* type)
{
  auto bench = std::make_unique<Inference<T, N, A>>();
  if (!bench->check()) {
    all_ok = false;
    return;
  }
  const char* activation = std::is_same_v<A, ctnn::Tanh> ? "tanh" : "identity";
  const double target = std::is_same_v<A, ctnn::Tanh> ? 1.5 : 1.0;
  row("single", N, type, activation, alternate([&] { bench->ctnn_single(); }, [&] { bench->eigen_single(); }, batch),
      target);
  row("batch", N, type, activation, alternate([&] { bench->ctnn_batch(); }, [&] { bench->eigen_batch(); }, batch),
      target);
  row("frozen single", N, type, activation,
      alternate([&] { bench->frozen_single(); }, [&] { bench->eigen_single(); }, batch), target);
  row("frozen batch", N, type, activation,
      alternate([&] { bench->frozen_batch(); }, [&] { bench->eigen_batch(); }, batch), target);
}

template <class T>
void run_inference_sizes(const char* type)
{
  run_inference<T, 4, ctnn::Identity>(type);
  run_inference<T, 4, ctnn::Tanh>(type);
  run_inference<T, 8, ctnn::Identity>(type);
  run_inference<T, 8, ctnn::Tanh>(type);
  run_inference<T, 16, ctnn::Identity>(type);
  run_inference<T, 16, ctnn::Tanh>(type);
  run_inference<T, 32, ctnn::Identity>(type);
  run_inference<T, 32, ctnn::Tanh>(type);
  run_inference<T, 64, ctnn::Identity>(type);
  run_inference<T, 64, ctnn::Tanh>(type);
}

// ---------------------------------------------------------------------------------------------
// Training step: 64-128-10 sigmoid, MSE/2, per-sample SGD
// ---------------------------------------------------------------------------------------------

constexpr std::size_t train_in = 64, train_hidden = 128, train_out = 10, train_samples = 1000;
constexpr double train_rate = 0.01;
using TrainNet = ctnn::Network<ctnn::Dense<train_in, train_hidden, ctnn::Sigmoid>,
                               ctnn::Dense<train_hidden, train_out, ctnn::Sigmoid>>;
using TrainData = ctnn::Dataset<train_in, train_out, train_samples>;

struct EigenTrainer {
  Eigen::Matrix<double, int{train_hidden}, int{train_in}> w1;
  Eigen::Matrix<double, int{train_hidden}, 1> b1;
  Eigen::Matrix<double, int{train_out}, int{train_hidden}> w2;
  Eigen::Matrix<double, int{train_out}, 1> b2;

  double epoch(const TrainData& data, double rate)
  {
    double loss = 0.0;
    for (const auto& sample : data.samples) {
      const Eigen::Map<const Eigen::Matrix<double, int{train_in}, 1>> x(sample.input.values);
      const Eigen::Map<const Eigen::Matrix<double, int{train_out}, 1>> t(sample.target.values);
      const Eigen::Matrix<double, int{train_hidden}, 1> y1 = (1.0 + (-(w1 * x + b1)).array().exp()).inverse().matrix();
      const Eigen::Matrix<double, int{train_out}, 1> y2 = (1.0 + (-(w2 * y1 + b2)).array().exp()).inverse().matrix();
      const Eigen::Matrix<double, int{train_out}, 1> d = y2 - t;
      loss += 0.5 * d.squaredNorm();
      const Eigen::Matrix<double, int{train_out}, 1> db2 = (y2.array() * (1.0 - y2.array()) * d.array()).matrix();
      const Eigen::Matrix<double, int{train_hidden}, 1> dy1 = w2.transpose() * db2;
      w2.noalias() -= (rate * db2) * y1.transpose();
      b2 -= rate * db2;
      const Eigen::Matrix<double, int{train_hidden}, 1> db1 = (y1.array() * (1.0 - y1.array()) * dy1.array()).matrix();
      w1.noalias() -= (rate * db1) * x.transpose();
      b1 -= rate * db1;
    }
    return loss / static_cast<double>(train_samples);
  }
};

// The hand-written plain-loop trainer with the constant-evaluated path's arithmetic (the check only).
struct PlainTrainer {
  std::vector<double> w1 = std::vector<double>(train_hidden * train_in), b1 = std::vector<double>(train_hidden),
                      w2 = std::vector<double>(train_out * train_hidden), b2 = std::vector<double>(train_out);

  static void forward(const std::vector<double>& w, const std::vector<double>& b, const double* x, std::size_t in,
                      double* y)
  {
    for (std::size_t i = 0; i < b.size(); ++i) {
      double sum = w[i * in] * x[0];
      for (std::size_t j = 1; j < in; ++j) sum += w[i * in + j] * x[j];
      y[i] = 1.0 / (1.0 + ctnn::math::exp(-(sum + b[i])));
    }
  }
  static void step(std::vector<double>& w, std::vector<double>& b, const double* x, std::size_t in, const double* db,
                   double* dx, double rate)
  {
    if (dx != nullptr)
      for (std::size_t j = 0; j < in; ++j) {
        double sum = 0.0;
        for (std::size_t i = 0; i < b.size(); ++i) sum += w[i * in + j] * db[i];
        dx[j] = sum;
      }
    for (std::size_t i = 0; i < b.size(); ++i) {
      for (std::size_t j = 0; j < in; ++j) w[i * in + j] -= rate * (db[i] * x[j]);
      b[i] -= rate * db[i];
    }
  }
  void epoch(const TrainData& data, double rate)
  {
    for (const auto& sample : data.samples) {
      double y1[train_hidden], y2[train_out], db2[train_out], dy1[train_hidden], db1[train_hidden];
      forward(w1, b1, sample.input.values, train_in, y1);
      forward(w2, b2, y1, train_hidden, y2);
      for (std::size_t k = 0; k < train_out; ++k) db2[k] = y2[k] * (1.0 - y2[k]) * (y2[k] - sample.target.values[k]);
      step(w2, b2, y1, train_hidden, db2, dy1, rate);
      for (std::size_t i = 0; i < train_hidden; ++i) db1[i] = y1[i] * (1.0 - y1[i]) * dy1[i];
      step(w1, b1, sample.input.values, train_in, db1, nullptr, rate);
    }
  }
};

void run_training()
{
  static TrainData data;
  for (std::size_t s = 0; s < train_samples; ++s) {
    for (std::size_t j = 0; j < train_in; ++j) data.samples[s].input.values[j] = 0.5 + 0.5 * spread(s * 64 + j);
    const std::size_t label = (s * 7) % train_out;
    for (std::size_t k = 0; k < train_out; ++k) data.samples[s].target.values[k] = k == label ? 1.0 : 0.0;
  }
  TrainNet net{};
  EigenTrainer eigen;
  PlainTrainer plain;
  std::uint64_t seed = 1;
  auto& l1 = net.layer<0>();
  auto& l2 = net.layer<1>();
  for (std::size_t i = 0; i < train_hidden; ++i) {
    for (std::size_t j = 0; j < train_in; ++j)
      eigen.w1(int(i), int(j)) = plain.w1[i * train_in + j] = l1.weights.values[i * train_in + j] =
          0.125 * spread(seed++);
    eigen.b1(int(i)) = plain.b1[i] = l1.bias.values[i] = 0.125 * spread(seed++);
  }
  for (std::size_t k = 0; k < train_out; ++k) {
    for (std::size_t j = 0; j < train_hidden; ++j)
      eigen.w2(int(k), int(j)) = plain.w2[k * train_hidden + j] = l2.weights.values[k * train_hidden + j] =
          0.09 * spread(seed++);
    eigen.b2(int(k)) = plain.b2[k] = l2.bias.values[k] = 0.09 * spread(seed++);
  }
  const ctnn::SGD<double> sgd{train_rate};
  const auto fit_epoch = [&] {
    const auto result = ctnn::fit(net, data, ctnn::MeanSquaredError{}, sgd, {.epochs = 1});
    sink = sink + result.loss;
  };
  fit_epoch();
  plain.epoch(data, train_rate);
  std::size_t differing = 0;
  for (std::size_t k = 0; k < std::size(l1.weights.values); ++k)
    differing += !same_bits(l1.weights.values[k], plain.w1[k]);
  for (std::size_t k = 0; k < std::size(l2.weights.values); ++k)
    differing += !same_bits(l2.weights.values[k], plain.w2[k]);
  for (std::size_t k = 0; k < train_hidden; ++k) differing += !same_bits(l1.bias.values[k], plain.b1[k]);
  for (std::size_t k = 0; k < train_out; ++k) differing += !same_bits(l2.bias.values[k], plain.b2[k]);
  if (differing != 0) {
    std::fprintf(stderr, "bit-identity FAILED: training 64-128-10, %zu parameters differ\n", differing);
    all_ok = false;
    return;
  }
  row("train", 64, "double", "sigmoid",
      alternate(
          fit_epoch, [&] { sink = sink + eigen.epoch(data, train_rate); }, train_samples),
      1.0);
}

}  // namespace

int main()
{
  std::printf("%-13s %3s  %-6s  %-8s %10s %10s %7s  %s\n", "what", "N", "type", "act", "ctnn ns", "Eigen ns", "ratio",
              "target");
  run_inference_sizes<float>("float");
  run_inference_sizes<double>("double");
  run_training();
  if (!all_ok) {
    std::fprintf(stderr, "bench/eigen: ctnn's runtime results differ from the scalar reference; no timings valid\n");
    return 1;
  }
  return 0;
}
