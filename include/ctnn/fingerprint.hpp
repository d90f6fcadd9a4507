#pragma once
// Short ids of a network, constexpr: parameter_fingerprint (its stored values, bit for bit) and
// architecture_fingerprint (its layer kinds, shapes, hyper-parameters and scalar type), and
// bitwise_equal. They visit the values in place: nothing is copied, however large the network.
// The architecture text they hash is the one model files write (docs/model_file.md): the lines
//   scalar double
//   layers 2
//   layer 1 Dense 2 3 sigmoid
//   layer 2 Dense 3 1 sigmoid
// each ended by '\n'; a layer line is its position, kind, input and output shape (dimensions
// joined by 'x') and the fields its describe() writes.

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "ctnn/layer.hpp"
#include "ctnn/network.hpp"
#include "ctnn/shape.hpp"

namespace ctnn {

namespace detail {

template <class T>
constexpr std::string_view scalar_name() noexcept
{
  if constexpr (std::is_same_v<T, double>)
    return "double";
  else
    return "float";
}

template <class T>
using bits_of = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

// FNV-1a 64 over bytes, as a sink the text writers below can write to.
struct fnv1a {
  std::uint64_t hash = 0xcbf29ce484222325u;

  constexpr void put(char c) noexcept
  {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3u;
  }
  constexpr void put(std::string_view text) noexcept
  {
    for (const char c : text) put(c);
  }
  template <class T>
  constexpr void put_bits(T value) noexcept
  {
    const auto bits = std::bit_cast<bits_of<T>>(value);
    for (std::size_t byte = 0; byte < sizeof(bits); ++byte) {
      hash ^= static_cast<std::uint8_t>(bits >> (8 * byte));
      hash *= 0x100000001b3u;
    }
  }
};

template <class Sink>
constexpr void put_number(Sink& sink, std::size_t n)
{
  char digits[20];
  std::size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (count > 0) sink.put(digits[--count]);
}

template <class Sink, std::size_t... Dims>
constexpr void put_shape(Sink& sink, Shape<Dims...>)
{
  bool first = true;
  for (const std::size_t d : Shape<Dims...>::dims) {
    if (!first) sink.put('x');
    first = false;
    put_number(sink, d);
  }
}

/// What a layer's describe(W& w) writes to: each field one token of the model-file line, written
/// w.token(label, value) (a bare value, label naming it in messages) or w.field(key, value)
/// ("key=value", value a count or a word).
template <class Sink>
struct description_writer {
  Sink& sink;

  /// A bare token, e.g. an activation's name; label names it in messages ("activation").
  constexpr void token(std::string_view /*label*/, std::string_view value)
  {
    sink.put(' ');
    sink.put(value);
  }
  /// key=value with a count.
  constexpr void field(std::string_view key, std::size_t value)
  {
    sink.put(' ');
    sink.put(key);
    sink.put('=');
    put_number(sink, value);
  }
  /// key=value with a word.
  constexpr void field(std::string_view key, std::string_view value)
  {
    sink.put(' ');
    sink.put(key);
    sink.put('=');
    sink.put(value);
  }
};

/// "layer <position> <kind> <input shape> <output shape>[ field...]", no line end.
template <class L, class Sink>
constexpr void put_layer_line(Sink& sink, std::size_t position)
{
  sink.put("layer ");
  put_number(sink, position);
  sink.put(' ');
  sink.put(std::string_view(L::kind));
  sink.put(' ');
  put_shape(sink, typename L::input_shape{});
  sink.put(' ');
  put_shape(sink, typename L::output_shape{});
  if constexpr (requires(description_writer<Sink>& w) { L::describe(w); }) {
    description_writer<Sink> writer{sink};
    L::describe(writer);
  }
}

template <class... Layers, class Sink>
constexpr void put_architecture(Sink& sink, const Network<Layers...>*)
{
  sink.put("scalar ");
  sink.put(scalar_name<typename Network<Layers...>::scalar_type>());
  sink.put("\nlayers ");
  put_number(sink, sizeof...(Layers));
  sink.put('\n');
  std::size_t position = 0;
  ((put_layer_line<Layers>(sink, ++position), sink.put('\n')), ...);
}

}  // namespace detail

/// FNV-1a 64 over the bytes (least significant first) of every stored value, trainable or not, in
/// layer order: a short id of a trained model, and the checksum of its model file.
template <class... Layers>
[[nodiscard]] constexpr std::uint64_t parameter_fingerprint(const Network<Layers...>& net) noexcept
{
  detail::fnv1a sink;
  net.for_each_layer([&](const auto& layer) {
    detail::visit_stored_values(layer, [&](const auto& tensor) {
      for (const auto v : tensor) sink.put_bits(v);
    });
  });
  return sink.hash;
}

/// FNV-1a 64 over the architecture text above: equal for two networks of one type, different when a
/// kind, shape, hyper-parameter, activation or the scalar type differs.
template <class Net>
  requires detail::is_network<Net>
[[nodiscard]] constexpr std::uint64_t architecture_fingerprint() noexcept
{
  detail::fnv1a sink;
  detail::put_architecture(sink, static_cast<const Net*>(nullptr));
  return sink.hash;
}
template <class... Layers>
[[nodiscard]] constexpr std::uint64_t architecture_fingerprint(const Network<Layers...>&) noexcept
{
  return architecture_fingerprint<Network<Layers...>>();
}

/// True when every stored value has the same bits in both networks (+0 and -0 differ, NaNs with the
/// same bits match).
template <class... Layers>
[[nodiscard]] constexpr bool bitwise_equal(const Network<Layers...>& a, const Network<Layers...>& b) noexcept
{
  bool equal = true;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto compare_layers = [&](const auto& la, const auto& lb) {
      std::size_t tensor_a = 0;
      detail::visit_stored_values(la, [&](const auto& ta) {
        std::size_t tensor_b = 0;
        detail::visit_stored_values(lb, [&](const auto& tb) {
          if constexpr (std::is_same_v<decltype(ta), decltype(tb)>) {
            if (tensor_b == tensor_a)
              for (std::size_t i = 0; i < std::size(ta); ++i)
                if (std::bit_cast<detail::bits_of<std::remove_cvref_t<decltype(ta[0])>>>(ta[i]) !=
                    std::bit_cast<detail::bits_of<std::remove_cvref_t<decltype(tb[0])>>>(tb[i]))
                  equal = false;
          }
          ++tensor_b;
        });
        ++tensor_a;
      });
    };
    (compare_layers(a.template layer<I>(), b.template layer<I>()), ...);
  }(std::index_sequence_for<Layers...>{});
  return equal;
}

}  // namespace ctnn
