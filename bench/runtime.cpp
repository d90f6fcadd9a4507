// Runtime cost of ctnn's training loop against a hand-written plain-loop trainer that does the same
// arithmetic in the same order (bench/hand_written.hpp), and of ctnn::math::exp against glibc's exp.
//
//   bash bench/run-runtime.sh              (GCC; CXX=clang++-16 bash bench/run-runtime.sh for Clang)
//
// Before anything is timed, ctnn and the hand-written loop train from the same initial weights and
// every weight must come out bit-identical; otherwise the program stops (timing different
// arithmetic would be meaningless). After the Google Benchmark run the program measures each pair
// once more by alternating the two sides in short runs, and prints one table of ratios from both
// (all from this process). On the shared 2-core machine the paired ratios are the steadier ones.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include <time.h>
#include <unistd.h>

#include <ctnn/activation.hpp>
#include <ctnn/data.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/init.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/math.hpp>
#include <ctnn/network.hpp>
#include <ctnn/optimizer.hpp>
#include <ctnn/random.hpp>
#include <ctnn/train.hpp>

#include "hand_written.hpp"

#if defined(CTNN_BENCH_HAVE_EIGEN)
#include <Eigen/Core>
#endif

namespace {

// ---------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------

// (a) The tutorial's XOR: 2-3-1 sigmoid, weights uniform in [0, 1), lr 0.1, the four samples.
using XorNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using XorHand = bench::HandWrittenNet<2, 3, 1>;
using XorData = ctnn::Dataset<2, 1, 4>;
using XorHandData = bench::HandWrittenData<2, 1, 4>;
constexpr double xor_rate = 0.1;
constexpr XorData xor_data = ctnn::datasets::xor_gate();

// (b) 64-128-10 sigmoid, lr 0.01, 1000 samples: inputs uniform in [0, 1), one-hot targets.
using WideNet = ctnn::Network<ctnn::Dense<64, 128, ctnn::Sigmoid>, ctnn::Dense<128, 10, ctnn::Sigmoid>>;
using WideHand = bench::HandWrittenNet<64, 128, 10>;
using WideData = ctnn::Dataset<64, 10, 1000>;
using WideHandData = bench::HandWrittenData<64, 10, 1000>;
constexpr double wide_rate = 0.01;
WideData wide_data;           // ~600 KB: static storage
WideHandData wide_hand_data;  // the same numbers as plain arrays
XorHandData xor_hand_data;

constexpr std::uint64_t init_seed = 2024;
constexpr std::uint64_t data_seed = 7;

// Uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn with ctnn's generator in ctnn's order. The
// tutorial's Uniform01 is kept for XOR, but it saturates the 64-128-10 network: every output's
// pre-activation is ~64, so y == 1.0 exactly, every gradient is 0 and training is a no-op (which
// would also make the bit-identity check vacuous).
struct ScaledUniform {
  template <ctnn::math::Real T, class Generator>
  constexpr T weight(Generator& rng, std::size_t fan_in, std::size_t /*fan_out*/) const noexcept
  {
    const T a = T(1) / ctnn::math::sqrt(static_cast<T>(fan_in));
    return ctnn::uniform<T>(rng, -a, a);
  }
  template <ctnn::math::Real T, class Generator>
  constexpr T bias(Generator& rng, std::size_t fan_in, std::size_t fan_out) const noexcept
  {
    return weight<T>(rng, fan_in, fan_out);
  }
};

XorNet xor_initial()
{
  return ctnn::initialized<XorNet>(ctnn::Uniform01{}, ctnn::Seed{init_seed});
}
WideNet wide_initial()
{
  return ctnn::initialized<WideNet>(ScaledUniform{}, ctnn::Seed{init_seed});
}

template <std::size_t In, std::size_t Out, std::size_t N>
void copy_data(const ctnn::Dataset<In, Out, N>& from, bench::HandWrittenData<In, Out, N>& to)
{
  for (std::size_t s = 0; s < N; ++s) {
    for (std::size_t j = 0; j < In; ++j) to.x[s][j] = from.samples[s].input.values[j];
    for (std::size_t k = 0; k < Out; ++k) to.t[s][k] = from.samples[s].target.values[k];
  }
}

void make_data()
{
  ctnn::Random rng{ctnn::Seed{data_seed}};
  for (auto& sample : wide_data.samples) {
    for (auto& v : sample.input.values) v = ctnn::uniform01<double>(rng);
    const auto label = static_cast<std::size_t>(rng() % 10);
    for (std::size_t k = 0; k < 10; ++k) sample.target.values[k] = k == label ? 1.0 : 0.0;
  }
  copy_data(wide_data, wide_hand_data);
  copy_data(xor_data, xor_hand_data);
}

// The hand-written net starts from the ctnn net's initial weights.
template <class Net, std::size_t In, std::size_t Hidden, std::size_t Out>
void copy_weights(const Net& from, bench::HandWrittenNet<In, Hidden, Out>& to)
{
  const auto& l1 = from.template layer<0>();
  const auto& l2 = from.template layer<1>();
  for (std::size_t i = 0; i < Hidden; ++i) {
    for (std::size_t j = 0; j < In; ++j) to.w1[i][j] = l1.weights.values[i * In + j];
    to.b1[i] = l1.bias.values[i];
  }
  for (std::size_t k = 0; k < Out; ++k) {
    for (std::size_t j = 0; j < Hidden; ++j) to.w2[k][j] = l2.weights.values[k * Hidden + j];
    to.b2[k] = l2.bias.values[k];
  }
}

// ---------------------------------------------------------------------------------------------
// Bit-identity check, before any timing
// ---------------------------------------------------------------------------------------------

bool same_bits(double a, double b)
{
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

template <class Net, std::size_t In, std::size_t Hidden, std::size_t Out, class Data, class HandData>
bool check_bit_identical(const char* name, Net net, const Data& data, const HandData& hand_data, double rate,
                         std::size_t epochs)
{
  bench::HandWrittenNet<In, Hidden, Out> hand;
  copy_weights(net, hand);
  double ctnn_loss = 0.0;
  double hand_loss = 0.0;
  for (std::size_t e = 0; e < epochs; ++e) {
    ctnn_loss = ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{rate}, {.epochs = 1}).loss;
    hand_loss = bench::hand_train_epoch(hand, hand_data, rate);
  }
  std::size_t differing = 0;
  const auto compare = [&](const char* what, std::size_t i, std::size_t j, double a, double b) {
    if (same_bits(a, b)) return;
    if (differing++ < 5) std::fprintf(stderr, "  %s: %s[%zu][%zu] ctnn %a, hand-written %a\n", name, what, i, j, a, b);
  };
  const auto& l1 = net.template layer<0>();
  const auto& l2 = net.template layer<1>();
  for (std::size_t i = 0; i < Hidden; ++i) {
    for (std::size_t j = 0; j < In; ++j) compare("W1", i, j, l1.weights.values[i * In + j], hand.w1[i][j]);
    compare("b1", i, 0, l1.bias.values[i], hand.b1[i]);
  }
  for (std::size_t k = 0; k < Out; ++k) {
    for (std::size_t j = 0; j < Hidden; ++j) compare("W2", k, j, l2.weights.values[k * Hidden + j], hand.w2[k][j]);
    compare("b2", k, 0, l2.bias.values[k], hand.b2[k]);
  }
  compare("epoch loss", 0, 0, ctnn_loss, hand_loss);
  // The check must not be vacuous: training has to have moved the weights.
  const Net untouched = [&] {
    if constexpr (std::is_same_v<Net, XorNet>)
      return xor_initial();
    else
      return wide_initial();
  }();
  const bool moved = !bitwise_equal(net, untouched);
  std::fprintf(stderr, "bit-identity %-10s %zu epochs: %s (%zu of %zu parameters differ; loss %.9g; weights %s)\n",
               name, epochs, differing == 0 ? "ok" : "FAILED", differing, Net::parameter_count, ctnn_loss,
               moved ? "moved" : "DID NOT MOVE");
  return differing == 0 && moved;
}

// ---------------------------------------------------------------------------------------------
// Optional third column: the same network with Eigen's fixed-size matrices (not bit-identical:
// Eigen vectorizes and reorders the sums; it uses ctnn::math::exp so only the linear algebra differs)
// ---------------------------------------------------------------------------------------------

#if defined(CTNN_BENCH_HAVE_EIGEN)
template <int In, int Hidden, int Out>
struct EigenNet {
  Eigen::Matrix<double, Hidden, In, Eigen::RowMajor> w1;
  Eigen::Matrix<double, Hidden, 1> b1;
  Eigen::Matrix<double, Out, Hidden, Eigen::RowMajor> w2;
  Eigen::Matrix<double, Out, 1> b2;

  template <class Net>
  explicit EigenNet(const Net& net)
  {
    const auto& l1 = net.template layer<0>();
    const auto& l2 = net.template layer<1>();
    for (int i = 0; i < Hidden; ++i) {
      for (int j = 0; j < In; ++j) w1(i, j) = l1.weights.values[i * In + j];
      b1(i) = l1.bias.values[i];
    }
    for (int k = 0; k < Out; ++k) {
      for (int j = 0; j < Hidden; ++j) w2(k, j) = l2.weights.values[k * Hidden + j];
      b2(k) = l2.bias.values[k];
    }
  }

  static double sigmoid(double h) { return 1.0 / (1.0 + ctnn::math::exp(-h)); }

  double train_step(const Eigen::Map<const Eigen::Matrix<double, In, 1>>& x,
                    const Eigen::Map<const Eigen::Matrix<double, Out, 1>>& t, double lr)
  {
    const Eigen::Matrix<double, Hidden, 1> y1 = (w1 * x + b1).unaryExpr([](double h) { return sigmoid(h); });
    const Eigen::Matrix<double, Out, 1> y2 = (w2 * y1 + b2).unaryExpr([](double h) { return sigmoid(h); });
    const Eigen::Matrix<double, Out, 1> d = y2 - t;
    const double loss = d.squaredNorm() / 2.0;
    const Eigen::Matrix<double, Out, 1> db2 = (y2.array() * (1.0 - y2.array()) * d.array()).matrix();
    const Eigen::Matrix<double, Hidden, 1> dy1 = w2.transpose() * db2;
    w2.noalias() -= lr * db2 * y1.transpose();
    b2 -= lr * db2;
    const Eigen::Matrix<double, Hidden, 1> db1 = (y1.array() * (1.0 - y1.array()) * dy1.array()).matrix();
    w1.noalias() -= lr * db1 * x.transpose();
    b1 -= lr * db1;
    return loss;
  }

  template <std::size_t N>
  double train_epoch(const bench::HandWrittenData<In, Out, N>& data, double lr)
  {
    double sum = 0.0;
    for (std::size_t s = 0; s < N; ++s)
      sum += train_step(Eigen::Map<const Eigen::Matrix<double, In, 1>>(data.x[s]),
                        Eigen::Map<const Eigen::Matrix<double, Out, 1>>(data.t[s]), lr);
    return sum;
  }
};

// Eigen's sums are ordered differently, so only closeness is checked.
template <int In, int Hidden, int Out, class Net, class Data, class HandData>
bool check_eigen_close(const char* name, Net net, const Data& data, const HandData& hand_data, double rate,
                       std::size_t epochs)
{
  EigenNet<In, Hidden, Out> eigen{net};
  double ctnn_loss = 0.0;
  double eigen_loss = 0.0;
  for (std::size_t e = 0; e < epochs; ++e) {
    ctnn_loss = ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{rate}, {.epochs = 1}).loss;
    eigen_loss = eigen.train_epoch(hand_data, rate);
  }
  const double relative = std::fabs(ctnn_loss - eigen_loss) / std::fabs(ctnn_loss);
  std::fprintf(stderr, "eigen       %-10s %zu epochs: loss ctnn %.12g, eigen %.12g (relative difference %.1e)\n", name,
               epochs, ctnn_loss, eigen_loss, relative);
  return relative < 1e-9;
}
#endif

// ---------------------------------------------------------------------------------------------
// Training benchmarks: one benchmark iteration is one fit() call of state.range(0) epochs
// ---------------------------------------------------------------------------------------------

void set_step_counters(benchmark::State& state, std::size_t samples)
{
  const auto steps = static_cast<std::int64_t>(samples) * state.range(0);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * steps);
  // Seconds per training step (printed with an SI prefix: 50n = 50 ns).
  state.counters["time/step"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <class Net, class Data>
void run_ctnn(benchmark::State& state, Net net, const Data& data, double rate)
{
  const ctnn::FitOptions options{.epochs = static_cast<std::size_t>(state.range(0))};
  for (auto _ : state) {
    const auto result = ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{rate}, options);
    benchmark::DoNotOptimize(result.loss);
    benchmark::DoNotOptimize(net);
  }
  set_step_counters(state, Data::size());
}

template <class Hand, class HandData, class Net>
void run_hand_written(benchmark::State& state, const Net& initial, const HandData& data, double rate)
{
  Hand hand;  // on the stack, like ctnn's net in run_ctnn
  copy_weights(initial, hand);
  const auto epochs = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    double loss = 0.0;
    for (std::size_t e = 0; e < epochs; ++e) loss = bench::hand_train_epoch(hand, data, rate);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(hand);
  }
  set_step_counters(state, sizeof(data.x) / sizeof(data.x[0]));
}

void BM_ctnn_xor_2_3_1(benchmark::State& state)
{
  run_ctnn(state, xor_initial(), xor_data, xor_rate);
}
void BM_hand_written_xor_2_3_1(benchmark::State& state)
{
  run_hand_written<XorHand>(state, xor_initial(), xor_hand_data, xor_rate);
}
void BM_ctnn_wide_64_128_10(benchmark::State& state)
{
  run_ctnn(state, wide_initial(), wide_data, wide_rate);
}
void BM_hand_written_wide_64_128_10(benchmark::State& state)
{
  run_hand_written<WideHand>(state, wide_initial(), wide_hand_data, wide_rate);
}

BENCHMARK(BM_ctnn_xor_2_3_1)->ArgName("epochs")->Arg(1)->Arg(1000);
BENCHMARK(BM_hand_written_xor_2_3_1)->ArgName("epochs")->Arg(1)->Arg(1000);
BENCHMARK(BM_ctnn_wide_64_128_10)->ArgName("epochs")->Arg(1);
BENCHMARK(BM_hand_written_wide_64_128_10)->ArgName("epochs")->Arg(1);

#if defined(CTNN_BENCH_HAVE_EIGEN)
template <int In, int Hidden, int Out, class Net, class HandData>
void run_eigen(benchmark::State& state, const Net& initial, const HandData& data, double rate)
{
  EigenNet<In, Hidden, Out> eigen{initial};
  const auto epochs = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    double loss = 0.0;
    for (std::size_t e = 0; e < epochs; ++e) loss = eigen.train_epoch(data, rate);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(eigen);
  }
  set_step_counters(state, sizeof(data.x) / sizeof(data.x[0]));
}
void BM_eigen_xor_2_3_1(benchmark::State& state)
{
  run_eigen<2, 3, 1>(state, xor_initial(), xor_hand_data, xor_rate);
}
void BM_eigen_wide_64_128_10(benchmark::State& state)
{
  run_eigen<64, 128, 10>(state, wide_initial(), wide_hand_data, wide_rate);
}
BENCHMARK(BM_eigen_xor_2_3_1)->ArgName("epochs")->Arg(1)->Arg(1000);
BENCHMARK(BM_eigen_wide_64_128_10)->ArgName("epochs")->Arg(1);
#endif

// ---------------------------------------------------------------------------------------------
// exp: latency (a dependent chain) and throughput (independent calls over 1024 inputs)
// ---------------------------------------------------------------------------------------------

constexpr std::size_t exp_inputs_size = 1024;
// Inputs uniform in [-10, 10), where a sigmoid unit's input usually is. The outputs sit half a page
// from the inputs (mod 4096), so a store to out[i] never looks like a load of a nearby input to the
// CPU's store-to-load check: with arbitrarily placed arrays the throughput changed between builds.
struct ExpData {
  alignas(4096) double in[exp_inputs_size];
  double gap[256];
  double out[exp_inputs_size];
};
ExpData exp_data;
auto& exp_inputs = exp_data.in;

void make_exp_inputs()
{
  ctnn::Random rng{ctnn::Seed{11}};
  for (auto& x : exp_inputs) x = ctnn::uniform<double>(rng, -10.0, 10.0);
}

struct CtnnExp {
  static double call(double x) { return ctnn::math::exp(x); }
};
struct StdExp {
  static double call(double x) { return std::exp(x); }
};
// The chain's overhead alone (x = input + x * tiny), to read the exp latency net of it.
struct NoExp {
  static double call(double x) { return x; }
};

// x = input[i] + f(x) * 2^-60: each call needs the previous result (the added term is below an ulp
// of the input, so the inputs stay the table's, but the CPU cannot know that). The chain adds one
// multiply and one add (~8 cycles) to each call's latency, the same for both.
template <class F>
void exp_latency(benchmark::State& state)
{
  double x = 0.0;
  std::size_t i = 0;
  for (auto _ : state) {
    x = exp_inputs[i] + F::call(x) * 0x1p-60;
    i = (i + 1) & (exp_inputs_size - 1);
    benchmark::DoNotOptimize(x);
  }
  state.counters["time/call"] =
      benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Independent calls over the 1024 inputs.
template <class F>
void exp_over_inputs()
{
  benchmark::DoNotOptimize(exp_data.in);
  for (std::size_t i = 0; i < exp_inputs_size; ++i) exp_data.out[i] = F::call(exp_data.in[i]);
  benchmark::DoNotOptimize(exp_data.out);
  benchmark::ClobberMemory();
}

template <class F>
void exp_throughput(benchmark::State& state)
{
  for (auto _ : state) exp_over_inputs<F>();
  state.counters["time/call"] =
      benchmark::Counter(static_cast<double>(exp_inputs_size),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_ctnn_exp_latency(benchmark::State& state)
{
  exp_latency<CtnnExp>(state);
}
void BM_std_exp_latency(benchmark::State& state)
{
  exp_latency<StdExp>(state);
}
void BM_chain_overhead_latency(benchmark::State& state)
{
  exp_latency<NoExp>(state);
}
void BM_ctnn_exp_throughput(benchmark::State& state)
{
  exp_throughput<CtnnExp>(state);
}
void BM_std_exp_throughput(benchmark::State& state)
{
  exp_throughput<StdExp>(state);
}
BENCHMARK(BM_ctnn_exp_latency);
BENCHMARK(BM_std_exp_latency);
BENCHMARK(BM_chain_overhead_latency);
BENCHMARK(BM_ctnn_exp_throughput);
BENCHMARK(BM_std_exp_throughput);

// ---------------------------------------------------------------------------------------------
// Paired measurement: on a shared machine the load changes between Google Benchmark's runs of one
// benchmark and of the next, so each ratio is also measured by alternating the two sides in short
// runs (ABBA order, thread CPU time) and taking the median of the per-round ratios.
// ---------------------------------------------------------------------------------------------

double thread_seconds()
{
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct PairResult {
  double a_seconds;  // per unit (step or call), the fastest round
  double b_seconds;
  double median_ratio;  // median over rounds of a/b
};

// run(reps) does reps repetitions of `units` units of work.
template <class A, class B>
PairResult measure_pair(A&& run_a, B&& run_b, double units, int rounds = 15, double seconds_per_run = 0.02)
{
  // Calibrate: reps so that one run of side A takes about seconds_per_run.
  std::size_t reps = 1;
  for (;;) {
    const double start = thread_seconds();
    run_a(reps);
    const double took = thread_seconds() - start;
    if (took >= seconds_per_run / 4 || reps > (std::size_t{1} << 40)) {
      reps = static_cast<std::size_t>(static_cast<double>(reps) * seconds_per_run / (took > 0 ? took : 1e-9)) + 1;
      break;
    }
    reps *= 4;
  }
  const auto time = [&](auto& run) {
    const double start = thread_seconds();
    run(reps);
    return (thread_seconds() - start) / (static_cast<double>(reps) * units);
  };
  std::vector<double> ratios;
  double best_a = 1e300;
  double best_b = 1e300;
  for (int r = 0; r < rounds; ++r) {
    double a = 0.0;
    double b = 0.0;
    if (r % 2 == 0) {
      a = time(run_a);
      b = time(run_b);
    } else {
      b = time(run_b);
      a = time(run_a);
    }
    best_a = std::min(best_a, a);
    best_b = std::min(best_b, b);
    ratios.push_back(a / b);
  }
  std::sort(ratios.begin(), ratios.end());
  return {best_a, best_b, ratios[ratios.size() / 2]};
}

struct PairedTable {
  struct Row {
    std::string label;
    PairResult result;
  };
  std::vector<Row> training;
  std::vector<Row> exp;
};

template <class Net, class Hand, class Data, class HandData>
PairResult pair_training(const Net& initial, const Data& data, const HandData& hand_data, double rate,
                         std::size_t epochs)
{
  Net net = initial;
  Hand hand;
  copy_weights(initial, hand);
  const ctnn::FitOptions options{.epochs = epochs};
  const auto run_ctnn_reps = [&](std::size_t reps) {
    for (std::size_t r = 0; r < reps; ++r) {
      const auto result = ctnn::fit(net, data, ctnn::MeanSquaredError{}, ctnn::SGD{rate}, options);
      benchmark::DoNotOptimize(result.loss);
    }
    benchmark::DoNotOptimize(net);
  };
  const auto run_hand_reps = [&](std::size_t reps) {
    for (std::size_t r = 0; r < reps; ++r) {
      double loss = 0.0;
      for (std::size_t e = 0; e < epochs; ++e) loss = bench::hand_train_epoch(hand, hand_data, rate);
      benchmark::DoNotOptimize(loss);
    }
    benchmark::DoNotOptimize(hand);
  };
  return measure_pair(run_ctnn_reps, run_hand_reps, static_cast<double>(Data::size() * epochs));
}

template <class F>
void exp_chain(std::size_t calls)
{
  double x = 0.0;
  for (std::size_t c = 0; c < calls; ++c) x = exp_inputs[c & (exp_inputs_size - 1)] + F::call(x) * 0x1p-60;
  benchmark::DoNotOptimize(x);
}

template <class F>
void exp_array(std::size_t reps)
{
  for (std::size_t r = 0; r < reps; ++r) exp_over_inputs<F>();
}

PairedTable measure_paired()
{
  PairedTable t;
  t.training.push_back(
      {"xor_2_3_1/epochs:1", pair_training<XorNet, XorHand>(xor_initial(), xor_data, xor_hand_data, xor_rate, 1)});
  t.training.push_back({"xor_2_3_1/epochs:1000",
                        pair_training<XorNet, XorHand>(xor_initial(), xor_data, xor_hand_data, xor_rate, 1000)});
  t.training.push_back({"wide_64_128_10/epochs:1",
                        pair_training<WideNet, WideHand>(wide_initial(), wide_data, wide_hand_data, wide_rate, 1)});
  constexpr std::size_t chain = 4096;
  t.exp.push_back(
      {"latency", measure_pair([](std::size_t reps) { exp_chain<CtnnExp>(reps * chain); },
                               [](std::size_t reps) { exp_chain<StdExp>(reps * chain); }, static_cast<double>(chain))});
  t.exp.push_back(
      {"throughput", measure_pair(exp_array<CtnnExp>, exp_array<StdExp>, static_cast<double>(exp_inputs_size))});
  return t;
}

// ---------------------------------------------------------------------------------------------
// Ratios from this run: a console reporter that also keeps each benchmark's time per step (or per
// call), preferring the median aggregate when there are repetitions
// ---------------------------------------------------------------------------------------------

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  using benchmark::ConsoleReporter::ConsoleReporter;

  void ReportRuns(const std::vector<Run>& runs) override
  {
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const bool single = run.run_type == Run::RT_Iteration;
      if (!median && !single) continue;
      auto& slot = seconds_[run.run_name.str()];
      if (median || !slot.from_median) {
        double per_unit = 0.0;
        for (const char* counter : {"time/step", "time/call"})
          if (const auto it = run.counters.find(counter); it != run.counters.end()) per_unit = it->second.value;
        slot = {per_unit, median};
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  /// Seconds per step or per call, or a negative number when the benchmark did not run.
  double seconds(const std::string& name) const
  {
    const auto it = seconds_.find(name);
    return it == seconds_.end() ? -1.0 : it->second.value;
  }

 private:
  struct Entry {
    double value;
    bool from_median;
  };
  std::map<std::string, Entry> seconds_;
};

const PairResult* find_row(const std::vector<PairedTable::Row>& rows, const std::string& label)
{
  for (const auto& row : rows)
    if (row.label == label) return &row.result;
  return nullptr;
}

void print_ratios(const RatioReporter& r, const PairedTable& paired)
{
  std::printf("\nctnn / hand-written, %s, -O2, one process\n",
#if defined(__clang__)
              "clang++ " __clang_version__
#else
              "g++ " __VERSION__
#endif
  );
  std::printf(
      "  benchmark: Google Benchmark CPU time (median of the repetitions when there are any)\n"
      "  paired:    alternating short runs, fastest run of each side and median of per-round ratios\n\n");
  std::printf("%-24s | %9s %9s %9s %7s %7s | %9s %9s %7s\n", "", "benchmark", "", "", "", "", "paired", "", "");
  std::printf("%-24s | %9s %9s %9s %7s %7s | %9s %9s %7s\n", "workload (ns/step)", "ctnn", "hand", "eigen", "c/h",
              "e/h", "ctnn", "hand", "c/h");
  const struct {
    const char* label;
    const char* suffix;
  } workloads[] = {{"xor 2-3-1, 1 epoch/fit", "xor_2_3_1/epochs:1"},
                   {"xor 2-3-1, 1000 ep/fit", "xor_2_3_1/epochs:1000"},
                   {"64-128-10, 1 epoch/fit", "wide_64_128_10/epochs:1"}};
  for (const auto& w : workloads) {
    const double c = r.seconds(std::string("BM_ctnn_") + w.suffix) * 1e9;
    const double h = r.seconds(std::string("BM_hand_written_") + w.suffix) * 1e9;
    const double e = r.seconds(std::string("BM_eigen_") + w.suffix) * 1e9;
    std::printf("%-24s |", w.label);
    if (c > 0 && h > 0)
      std::printf(" %9.2f %9.2f", c, h);
    else
      std::printf(" %9s %9s", "-", "-");
    if (e > 0)
      std::printf(" %9.2f", e);
    else
      std::printf(" %9s", "-");
    if (c > 0 && h > 0)
      std::printf(" %6.3fx", c / h);
    else
      std::printf(" %7s", "-");
    if (e > 0 && h > 0)
      std::printf(" %6.3fx", e / h);
    else
      std::printf(" %7s", "-");
    if (const auto* p = find_row(paired.training, w.suffix))
      std::printf(" | %9.2f %9.2f %6.3fx\n", p->a_seconds * 1e9, p->b_seconds * 1e9, p->median_ratio);
    else
      std::printf(" | %9s %9s %7s\n", "-", "-", "-");
  }

  std::printf("\n%-24s | %9s %9s %7s | %9s %9s %7s\n", "exp (ns/call)", "ctnn", "std", "c/s", "ctnn", "std", "c/s");
  const double overhead = r.seconds("BM_chain_overhead_latency") * 1e9;
  for (const char* kind : {"latency", "throughput"}) {
    const double c = r.seconds(std::string("BM_ctnn_exp_") + kind) * 1e9;
    const double s = r.seconds(std::string("BM_std_exp_") + kind) * 1e9;
    std::printf("%-24s |", kind);
    if (c > 0 && s > 0)
      std::printf(" %9.2f %9.2f %6.3fx", c, s, c / s);
    else
      std::printf(" %9s %9s %7s", "-", "-", "-");
    if (const auto* p = find_row(paired.exp, kind))
      std::printf(" | %9.2f %9.2f %6.3fx\n", p->a_seconds * 1e9, p->b_seconds * 1e9, p->median_ratio);
    else
      std::printf(" | %9s %9s %7s\n", "-", "-", "-");
    if (std::string(kind) == "latency" && overhead > 0 && c > overhead && s > overhead)
      std::printf("%-24s | %9.2f %9.2f %6.3fx |  (the chain's own mul+add: %.2f ns)\n", "  latency minus chain",
                  c - overhead, s - overhead, (c - overhead) / (s - overhead), overhead);
  }
}

}  // namespace

int main(int argc, char** argv)
{
  make_data();
  make_exp_inputs();

  bool ok = true;
  ok = check_bit_identical<XorNet, 2, 3, 1>("xor", xor_initial(), xor_data, xor_hand_data, xor_rate, 1000) && ok;
  ok =
      check_bit_identical<WideNet, 64, 128, 10>("64-128-10", wide_initial(), wide_data, wide_hand_data, wide_rate, 3) &&
      ok;
  if (!ok) {
    std::fprintf(stderr, "ctnn and the hand-written trainer disagree: not benchmarking different arithmetic\n");
    std::abort();
  }
#if defined(CTNN_BENCH_HAVE_EIGEN)
  if (!check_eigen_close<2, 3, 1>("xor", xor_initial(), xor_data, xor_hand_data, xor_rate, 1000) ||
      !check_eigen_close<64, 128, 10>("64-128-10", wide_initial(), wide_data, wide_hand_data, wide_rate, 3)) {
    std::fprintf(stderr, "the Eigen trainer does not train the same network\n");
    std::abort();
  }
#endif

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter{isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                                               : benchmark::ConsoleReporter::OO_Tabular};
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const PairedTable paired = measure_paired();
  print_ratios(reporter, paired);
  return 0;
}
