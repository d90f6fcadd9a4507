#pragma once
// Fixed-size vectors and matrices: literal types over built-in arrays, because the constant
// evaluator indexes a built-in array far faster than it calls std::array::operator[]. A Vector is
// not an aggregate, only so that an initialiser with too few values is an error, not zeros.

#include <cstddef>
#include <span>

#include "ctnn/diagnostic.hpp"
#include "ctnn/error.hpp"

namespace ctnn {

/// A column vector of N scalars.
template <class T, std::size_t N>
struct Vector {
  static_assert(N > 0, "ctnn: a Vector needs at least one element");

  T values[N > 0 ? N : 1];  // never zero-sized, so a bad N reports only the line above

  /// Vector<T, N> v{} is all zeros; Vector<T, N> v; is left for the caller to write.
  constexpr Vector() = default;
  /// Exactly N values, Vector<double, 2>{{0.5, 1.0}} or net.predict({{0.5, 1.0}}): a list of another
  /// length is a compile error naming both counts, where an aggregate would fill the rest with zeros.
  template <std::size_t Given>
  constexpr Vector(const T (&given)[Given]) noexcept  // implicit: {{0.5, 1.0}} reads as a value
  {
    static_assert(
        diagnostic::passes<diagnostic::check_value_count<diagnostic::vector_size<N>, diagnostic::values_given<Given>>>);
    if constexpr (Given == N) {
      for (std::size_t i = 0; i < N; ++i) values[i] = given[i];
    } else {  // after the error above: a whole value, so that no second error follows
      for (std::size_t i = 0; i < N; ++i) values[i] = i < Given ? given[i < Given ? i : 0] : T(0);
    }
  }

  /// N values from a span (a std::vector, std::array, C array...): a length other than N raises
  /// ctnn::length_error (a compile error in a constant expression), and nothing is read. A named
  /// function, not a constructor: a constructor from span would be weighed, at compile-time cost, in
  /// every {{...}} initialisation.
  [[nodiscard]] static constexpr Vector from(std::span<const T> given)
  {
    if (given.size() != N) detail::ctnn_error_length_mismatch(N, given.size());
    Vector v;
    for (std::size_t i = 0; i < N; ++i) v.values[i] = given[i];
    return v;
  }
  /// N values from pointer + count, checked as from(span).
  [[nodiscard]] static constexpr Vector from(const T* first, std::size_t count)
  {
    return from(std::span<const T>(first, count));
  }

  using value_type = T;
  static constexpr std::size_t size() noexcept { return N; }

  constexpr T& operator[](std::size_t i) noexcept { return values[i]; }
  constexpr const T& operator[](std::size_t i) const noexcept { return values[i]; }

  /// Bounds-checked access: an index beyond the size raises ctnn::index_error (error.hpp; a compile
  /// error in a constant expression).
  [[nodiscard]] constexpr T& at(std::size_t i)
  {
    if (i >= N) detail::ctnn_error_index_out_of_range(i, N);
    return values[i];
  }
  [[nodiscard]] constexpr const T& at(std::size_t i) const
  {
    if (i >= N) detail::ctnn_error_index_out_of_range(i, N);
    return values[i];
  }

  constexpr T* begin() noexcept { return values; }
  constexpr T* end() noexcept { return values + N; }
  constexpr const T* begin() const noexcept { return values; }
  constexpr const T* end() const noexcept { return values + N; }

  friend constexpr bool operator==(const Vector&, const Vector&) = default;
};

/// A Rows x Cols matrix, stored row-major in one flat array so optimizers can walk it as a block.
template <class T, std::size_t Rows, std::size_t Cols>
struct Matrix {
  static_assert(Rows > 0 && Cols > 0, "ctnn: a Matrix needs at least one row and one column");

  T values[Rows * Cols > 0 ? Rows* Cols : 1];  // never zero-sized: see Vector

  using value_type = T;
  static constexpr std::size_t rows() noexcept { return Rows; }
  static constexpr std::size_t cols() noexcept { return Cols; }
  static constexpr std::size_t size() noexcept { return Rows * Cols; }

  constexpr T& operator()(std::size_t r, std::size_t c) noexcept { return values[r * Cols + c]; }
  constexpr const T& operator()(std::size_t r, std::size_t c) const noexcept { return values[r * Cols + c]; }

  /// Bounds-checked access: a row or column beyond the size raises ctnn::index_error naming it (a
  /// compile error in a constant expression).
  [[nodiscard]] constexpr T& at(std::size_t r, std::size_t c)
  {
    if (r >= Rows || c >= Cols) detail::ctnn_error_index_out_of_range(r >= Rows ? r : c, r >= Rows ? Rows : Cols);
    return values[r * Cols + c];
  }
  [[nodiscard]] constexpr const T& at(std::size_t r, std::size_t c) const
  {
    if (r >= Rows || c >= Cols) detail::ctnn_error_index_out_of_range(r >= Rows ? r : c, r >= Rows ? Rows : Cols);
    return values[r * Cols + c];
  }

  friend constexpr bool operator==(const Matrix&, const Matrix&) = default;
};

/// y = A x
template <class T, std::size_t R, std::size_t C>
constexpr Vector<T, R> matvec(const Matrix<T, R, C>& a, const Vector<T, C>& x) noexcept
{
  Vector<T, R> y{};
  for (std::size_t r = 0; r < R; ++r) {
    T sum = a.values[r * C] * x.values[0];
    for (std::size_t c = 1; c < C; ++c) sum += a.values[r * C + c] * x.values[c];
    y.values[r] = sum;
  }
  return y;
}

/// y = A^T x, summed over rows in ascending order.
template <class T, std::size_t R, std::size_t C>
constexpr Vector<T, C> transposed_matvec(const Matrix<T, R, C>& a, const Vector<T, R>& x) noexcept
{
  Vector<T, C> y{};
  for (std::size_t c = 0; c < C; ++c) y.values[c] = a.values[c] * x.values[0];
  for (std::size_t r = 1; r < R; ++r)
    for (std::size_t c = 0; c < C; ++c) y.values[c] += a.values[r * C + c] * x.values[r];
  return y;
}

/// A = x y^T
template <class T, std::size_t R, std::size_t C>
constexpr Matrix<T, R, C> outer(const Vector<T, R>& x, const Vector<T, C>& y) noexcept
{
  Matrix<T, R, C> a{};
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t c = 0; c < C; ++c) a.values[r * C + c] = x.values[r] * y.values[c];
  return a;
}

template <class T, std::size_t N>
constexpr Vector<T, N> operator+(const Vector<T, N>& a, const Vector<T, N>& b) noexcept
{
  Vector<T, N> r{};
  for (std::size_t i = 0; i < N; ++i) r.values[i] = a.values[i] + b.values[i];
  return r;
}

template <class T, std::size_t N>
constexpr Vector<T, N> operator-(const Vector<T, N>& a, const Vector<T, N>& b) noexcept
{
  Vector<T, N> r{};
  for (std::size_t i = 0; i < N; ++i) r.values[i] = a.values[i] - b.values[i];
  return r;
}

/// Element-wise (Hadamard) product.
template <class T, std::size_t N>
constexpr Vector<T, N> hadamard(const Vector<T, N>& a, const Vector<T, N>& b) noexcept
{
  Vector<T, N> r{};
  for (std::size_t i = 0; i < N; ++i) r.values[i] = a.values[i] * b.values[i];
  return r;
}

template <class T, std::size_t N>
constexpr Vector<T, N> operator*(T s, const Vector<T, N>& v) noexcept
{
  Vector<T, N> r{};
  for (std::size_t i = 0; i < N; ++i) r.values[i] = s * v.values[i];
  return r;
}

}  // namespace ctnn
