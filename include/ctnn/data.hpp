#pragma once
// Samples and fixed-size data sets, and the small data sets the tutorial uses.

#include <concepts>
#include <cstddef>

#include "ctnn/diagnostic.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// One training example: an input vector and the target the network should produce.
template <class T, std::size_t In, std::size_t Out>
struct Sample {
  Vector<T, In> input;
  Vector<T, Out> target;
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

  static constexpr std::size_t size() noexcept { return N; }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples[i]; }
  constexpr const sample_type* begin() const noexcept { return samples; }
  constexpr const sample_type* end() const noexcept { return samples + N; }
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
concept DatasetFor = requires
{
  typename Data::scalar_type;
  {
    Data::inputs
    } -> std::convertible_to<std::size_t>;
  {
    Data::outputs
    } -> std::convertible_to<std::size_t>;
}
&&Data::inputs == Net::inputs&& Data::outputs ==
    Net::outputs&& std::same_as<typename Data::scalar_type, typename Net::scalar_type>;

}  // namespace ctnn
