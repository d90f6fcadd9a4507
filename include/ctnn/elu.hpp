#pragma once
// ELU, the exponential linear unit (Clevert et al. 2015; PyTorch's nn.ELU, Keras' "elu"):
//   f(h) = h for h > 0, else alpha * (e^h - 1);   f'(h) = 1 for h > 0, else f(h) + alpha
// an activation for Dense, Conv1D and any layer that takes one (docs/extending.md, "Activation").
// e^h - 1 is math::expm1, which is exact near zero and has the same bits in the compiler and at
// runtime on every machine. alpha is a std::ratio (Clang 16 has no floating-point template
// arguments), computed as T(num) / T(den).

#include <array>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string_view>
#include <type_traits>

#include "ctnn/activation.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

namespace detail {
// "elu" for alpha 1, else "elu(num/den)": each alpha its own model-file name.
template <std::intmax_t Num, std::intmax_t Den>
struct elu_name {
  static constexpr bool plain = Num == 1 && Den == 1;
  static constexpr std::size_t size = plain ? 3 : 4 + decimal_width(Num) + 1 + decimal_width(Den) + 1;
  static constexpr std::array<char, size> text = [] {
    std::array<char, size> out{};
    std::size_t at = 0;
    for (char c : std::string_view(plain ? "elu" : "elu(")) out[at++] = c;
    if constexpr (!plain) {
      at = write_decimal(out, at, Num);
      out[at++] = '/';
      at = write_decimal(out, at, Den);
      out[at] = ')';
    }
    return out;
  }();
  static constexpr std::string_view view{text.data(), size};
};
}  // namespace detail

/// f(h) = h for h > 0, else alpha (e^h - 1), with alpha a positive std::ratio (1 by default, as
/// nn.ELU). The name is "elu" for alpha 1 and "elu(num/den)" otherwise, so a model file records it.
template <class Alpha = std::ratio<1>>
struct ELU {
  static_assert(detail::ratio_parts<Alpha>::is_ratio, "ctnn: ELU's alpha must be a std::ratio, such as std::ratio<1>");
  static_assert(detail::ratio_parts<Alpha>::num > 0, "ctnn: ELU's alpha must be positive");

  static constexpr std::intmax_t alpha_num = detail::ratio_parts<Alpha>::num;
  static constexpr std::intmax_t alpha_den = detail::ratio_parts<Alpha>::den;
  static constexpr std::string_view name = detail::elu_name<alpha_num, alpha_den>::view;
  /// Where it is defined, for a generated header (see MERGE-NOTES: the emitter's activation headers).
  static constexpr std::string_view header = "ctnn/elu.hpp";

  template <math::Real T>
  static constexpr T alpha() noexcept
  {
    return static_cast<T>(alpha_num) / static_cast<T>(alpha_den);
  }

  template <math::Real T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    const T a = alpha<T>();
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i] > T(0) ? h[i] : a * expm1(h[i]);
  }
  /// dh = dy for h > 0, else (y + alpha) dy: alpha e^h from the output, with no second exponential.
  template <math::Real T, std::size_t N>
  static constexpr void backward(const T (&h)[N], const T (&y)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    const T a = alpha<T>();
    for (std::size_t i = 0; i < N; ++i) dh[i] = h[i] > T(0) ? dy[i] : (y[i] + a) * dy[i];
  }

  /// e^h - 1 in double, rounded once to T: math::expm1 computes in double either way, and its float
  /// entry point does not compile warning-free under -Wdouble-promotion.
  template <math::Real T>
  static constexpr T expm1(T h) noexcept
  {
    if constexpr (std::is_same_v<T, double>)
      return math::expm1(h);
    else
      return static_cast<T>(math::expm1(static_cast<double>(h)));
  }

  /// Its C++ spelling in generated headers: ctnn::ELU<std::ratio<num, den>>.
  template <class W>
  static constexpr void spell(W& w)
  {
    w.text("ctnn::ELU<std::ratio<");
    w.number(alpha_num);
    w.text(", ");
    w.number(alpha_den);
    w.text(">>");
  }
};

}  // namespace ctnn
