#pragma once
// Samples and fixed-size data sets, and the small data sets the tutorial uses.

#include <concepts>
#include <cstddef>
#include <utility>
#include <vector>

#include "ctnn/diagnostic.hpp"
#include "ctnn/math.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// One training example: an input vector and the target the network should produce.
template <class T, std::size_t In, std::size_t Out>
struct Sample {
  Vector<T, In> input;
  Vector<T, Out> target;

  /// Sample<T, In, Out> s{}: zeros, to be written.
  constexpr Sample() = default;
  /// An input and its target, each with exactly its size of values: Sample<double, 2, 1>{{{0.5, 1.0}}, {{1.0}}}.
  constexpr Sample(const Vector<T, In>& input_values, const Vector<T, Out>& target_values) noexcept
      : input(input_values), target(target_values)
  {
  }
  /// An input without its target is a compile error, where an aggregate would make the target zeros.
  template <class U = T>
  constexpr Sample(const Vector<U, In>& input_values) noexcept : input(input_values), target{}
  {
    static_assert(diagnostic::passes<diagnostic::check_sample_has_target<diagnostic::dataset::sample_targets<Out>,
                                                                         diagnostic::targets_given<0>>>);
  }
};

/// N samples of In inputs and Out targets each, kept in order.
template <std::size_t In, std::size_t Out, std::size_t N, class T = double>
struct Dataset {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(N > 0, "ctnn: a Dataset needs at least one sample");

  using scalar_type = T;
  using sample_type = Sample<T, In, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;

  sample_type samples[N];

  /// Dataset<In, Out, N> d{}: N zero samples, to be written.
  constexpr Dataset() = default;
  /// Exactly N samples, Dataset<2, 1, 4>{{{{{0, 0}}, {{0}}}, ...}}: a list of another length is a
  /// compile error naming both counts, where an aggregate would add samples of zeros.
  template <std::size_t Given>
  constexpr Dataset(const sample_type (&given)[Given]) noexcept  // implicit, as Vector's
  {
    static_assert(diagnostic::passes<
                  diagnostic::check_sample_count<diagnostic::dataset_size<N>, diagnostic::samples_given<Given>>>);
    if constexpr (Given == N) {
      for (std::size_t i = 0; i < N; ++i) samples[i] = given[i];
    } else {  // after the error above: a whole value, so that no second error follows
      for (std::size_t i = 0; i < N; ++i) samples[i] = i < Given ? given[i < Given ? i : 0] : sample_type{};
    }
  }

  static constexpr std::size_t size() noexcept { return N; }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples[i]; }
  constexpr const sample_type* begin() const noexcept { return samples; }
  constexpr const sample_type* end() const noexcept { return samples + N; }
};

/// Samples of In inputs and Out targets whose count is known only at runtime (read from a CSV file,
/// say). Backed by a std::vector, so it also serves, transiently, inside a constant expression.
template <std::size_t In, std::size_t Out, class T = double>
class RuntimeDataset {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);

 public:
  using scalar_type = T;
  using sample_type = Sample<T, In, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;

  constexpr RuntimeDataset() = default;
  constexpr explicit RuntimeDataset(std::vector<sample_type> samples) : samples_(std::move(samples)) {}
  /// The samples of a fixed-size data set, in order.
  template <std::size_t N>
  constexpr explicit RuntimeDataset(const Dataset<In, Out, N, T>& data) : samples_(data.begin(), data.end())
  {
  }

  constexpr std::size_t size() const noexcept { return samples_.size(); }
  constexpr bool empty() const noexcept { return samples_.empty(); }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples_[i]; }
  constexpr sample_type& operator[](std::size_t i) noexcept { return samples_[i]; }
  constexpr const sample_type* begin() const noexcept { return samples_.data(); }
  constexpr const sample_type* end() const noexcept { return samples_.data() + samples_.size(); }
  constexpr sample_type* begin() noexcept { return samples_.data(); }
  constexpr sample_type* end() noexcept { return samples_.data() + samples_.size(); }

  constexpr void reserve(std::size_t count) { samples_.reserve(count); }
  constexpr void push_back(const sample_type& sample) { samples_.push_back(sample); }
  constexpr const std::vector<sample_type>& samples() const noexcept { return samples_; }

 private:
  std::vector<sample_type> samples_;
};

/// What every algorithm that reads samples takes: sizes and scalar type as members, size() and
/// operator[] giving Sample<scalar_type, inputs, outputs>. Dataset and RuntimeDataset are two.
template <class D>
concept IndexedDataset = requires(const D& data, std::size_t i) {
  typename D::scalar_type;
  {
    D::inputs
  } -> std::convertible_to<std::size_t>;
  {
    D::outputs
  } -> std::convertible_to<std::size_t>;
  {
    data.size()
  } -> std::convertible_to<std::size_t>;
  {
    data[i]
  } -> std::convertible_to<const Sample<typename D::scalar_type, D::inputs, D::outputs>&>;
};

/// A data set cut in two by hold_out_every().
template <std::size_t In, std::size_t Out, std::size_t TrainSize, std::size_t TestSize, class T>
struct TrainTestSplit {
  Dataset<In, Out, TrainSize, T> train;
  Dataset<In, Out, TestSize, T> test;
};

/// Holds out every K-th sample (indices K-1, 2K-1, ...) as the test set and keeps the rest for
/// training, both in their original order. On a data set sorted by class with equal class sizes
/// divisible by K, as Iris with K = 5, both parts keep the class proportions.
template <std::size_t K, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - N / K, N / K, T> hold_out_every(const Dataset<In, Out, N, T>& data) noexcept
{
  static_assert(K >= 2 && N / K >= 1 && N / K < N,
                "ctnn: hold_out_every<K> needs 2 <= K <= the data set's size, so both parts have a sample");
  TrainTestSplit<In, Out, N - N / K, N / K, T> split{};
  std::size_t train = 0, test = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if ((i + 1) % K == 0)
      split.test.samples[test++] = data.samples[i];
    else
      split.train.samples[train++] = data.samples[i];
  }
  return split;
}

/// Rescales each input feature to zero mean and unit variance, with the mean and (population)
/// standard deviation measured on one data set, usually the training split, and then applied
/// unchanged to any other. A feature without spread is only centred.
template <class T, std::size_t In>
struct Standardizer {
  Vector<T, In> mean;
  Vector<T, In> deviation;

  template <std::size_t Out, std::size_t N>
  static constexpr Standardizer measure(const Dataset<In, Out, N, T>& data) noexcept
  {
    Standardizer s{};
    for (std::size_t f = 0; f < In; ++f) {
      T sum = T(0);
      for (const auto& sample : data.samples) sum += sample.input.values[f];
      const T mean = sum / static_cast<T>(N);
      T squares = T(0);
      for (const auto& sample : data.samples) {
        const T d = sample.input.values[f] - mean;
        squares += d * d;
      }
      const T deviation = math::sqrt(squares / static_cast<T>(N));
      s.mean.values[f] = mean;
      s.deviation.values[f] = deviation > T(0) ? deviation : T(1);
    }
    return s;
  }

  constexpr Vector<T, In> operator()(const Vector<T, In>& x) const noexcept
  {
    Vector<T, In> z{};
    for (std::size_t f = 0; f < In; ++f) z.values[f] = (x.values[f] - mean.values[f]) / deviation.values[f];
    return z;
  }

  template <std::size_t Out, std::size_t N>
  constexpr Dataset<In, Out, N, T> operator()(const Dataset<In, Out, N, T>& data) const noexcept
  {
    Dataset<In, Out, N, T> scaled = data;
    for (auto& sample : scaled.samples) sample.input = (*this)(sample.input);
    return scaled;
  }
};

namespace datasets {

/// The XOR truth table in the tutorial's order: (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0.
template <class T = double>
constexpr Dataset<2, 1, 4, T> xor_gate() noexcept
{
  return {
      {{{{T(0), T(0)}}, {{T(0)}}}, {{{T(0), T(1)}}, {{T(1)}}}, {{{T(1), T(0)}}, {{T(1)}}}, {{{T(1), T(1)}}, {{T(0)}}}}};
}

}  // namespace datasets

/// True when a data set of type Data can train or evaluate a network of type Net.
template <class Data, class Net>
concept DatasetFor =
    requires {
      typename Data::scalar_type;
      {
        Data::inputs
      } -> std::convertible_to<std::size_t>;
      {
        Data::outputs
      } -> std::convertible_to<std::size_t>;
    } && Data::inputs == Net::inputs && Data::outputs == Net::outputs &&
    std::same_as<typename Data::scalar_type, typename Net::scalar_type>;

}  // namespace ctnn
