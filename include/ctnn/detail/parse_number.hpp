#pragma once
// Text to float or double exactly as std::from_chars(first, last, value) does it (chars_format::general):
// the same accepted text, the same correctly rounded value (round to nearest, ties to even), the same
// errors. CSV files and model files read their numbers through read_floating below, which is
// std::from_chars where the standard library has it for floating point and parse_floating otherwise
// (libc++ before LLVM 20, as on macOS and Android). Locale-independent, allocation-free, no
// exceptions, constexpr.
//
// Accepted, as from_chars: an optional '-' (no '+', no spaces), then digits with an optional '.'
// (at least one digit), then an optional exponent 'e'/'E', optional sign, digits (an exponent without
// digits is not part of the number); or "inf", "infinity", "nan", "nan(" letters, digits, '_' ")",
// case-insensitively. Out of range (nonzero digits rounding to 0 or to infinity): errc::result_out_of_range,
// the end of the number, value untouched. Not a number: errc::invalid_argument, first, value untouched.
//
// How: short numbers (at most 19 digits, the digits an exact float, the power of ten exact) take
// Clinger's fast path, one correctly rounded multiplication or division (floats also through double's,
// unless that lands halfway between two floats). Up to 19 digits with 5^|e| below 2^64 are divided or
// multiplied out exactly in 128-bit integers where the compiler has them. The rest is exact in a big
// integer: the digits (the first 780, then one nonzero digit standing for any nonzero digits after
// them, which changes no rounding: a halfway point between two doubles has at most 767 significant
// digits) times a power of ten, with enough quotient bits and a sticky bit, then rounded once.

#include <array>
#include <bit>
#include <cfloat>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <system_error>
#include <type_traits>

namespace ctnn::detail {

namespace number_text {

template <class T>
struct binary_format;

template <>
struct binary_format<double> {
  using bits = std::uint64_t;
  static constexpr int precision = 53;  // significand bits, the hidden one included
  static constexpr int exponent_bias = 1023;
  static constexpr int max_exponent = 1023;       // of the leading bit
  static constexpr int min_lsb_exponent = -1074;  // the smallest subnormal is 2^-1074
  static constexpr int exact_power_of_ten = 22;   // 10^22 is the largest power of ten a double holds exactly
  static constexpr int overflow_decimal = 309;    // at least 10^309: infinity
  static constexpr int underflow_decimal = -324;  // below 10^-324: zero
};

template <>
struct binary_format<float> {
  using bits = std::uint32_t;
  static constexpr int precision = 24;
  static constexpr int exponent_bias = 127;
  static constexpr int max_exponent = 127;
  static constexpr int min_lsb_exponent = -149;
  static constexpr int exact_power_of_ten = 10;
  static constexpr int overflow_decimal = 39;
  static constexpr int underflow_decimal = -46;
};

/// Significant digits kept; any nonzero digit after them becomes one more digit '1'.
inline constexpr long long kept_digits = 780;

/// An unsigned integer of up to capacity * 32 bits, enough for the exact path (checked below).
class big_unsigned {
 public:
  static constexpr std::size_t capacity = 104;

  constexpr bool is_zero() const noexcept { return size_ == 0; }

  constexpr int bit_length() const noexcept
  {
    if (size_ == 0) return 0;
    return static_cast<int>(32 * size_) - std::countl_zero(limbs_[size_ - 1]);
  }

  constexpr bool bit(int index) const noexcept
  {
    const auto limb = static_cast<std::size_t>(index / 32);
    return limb < size_ && ((limbs_[limb] >> (index % 32)) & 1u) != 0;
  }

  /// *this = *this * factor + addend
  constexpr void multiply_add(std::uint32_t factor, std::uint32_t addend) noexcept
  {
    std::uint64_t carry = addend;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t product = std::uint64_t{limbs_[i]} * factor + carry;
      limbs_[i] = static_cast<std::uint32_t>(product);
      carry = product >> 32;
    }
    if (carry != 0) limbs_[size_++] = static_cast<std::uint32_t>(carry);
  }

  constexpr void multiply_by_power_of_five(long long exponent) noexcept
  {
    constexpr std::uint32_t five_to_13 = 1220703125u;  // the largest power of five in 32 bits
    for (; exponent >= 13; exponent -= 13) multiply_add(five_to_13, 0);
    std::uint32_t rest = 1;
    for (; exponent > 0; --exponent) rest *= 5;
    multiply_add(rest, 0);
  }

  constexpr void shift_left(int count) noexcept
  {
    if (size_ == 0 || count <= 0) return;
    const auto words = static_cast<std::size_t>(count / 32);
    const int bits = count % 32;
    if (bits == 0) {
      for (std::size_t i = size_; i-- > 0;) limbs_[i + words] = limbs_[i];
    } else {
      limbs_[size_ + words] = limbs_[size_ - 1] >> (32 - bits);
      for (std::size_t i = size_ - 1; i > 0; --i)
        limbs_[i + words] = (limbs_[i] << bits) | (limbs_[i - 1] >> (32 - bits));
      limbs_[words] = limbs_[0] << bits;
    }
    for (std::size_t i = 0; i < words; ++i) limbs_[i] = 0;
    size_ += words + (bits == 0 ? 0 : 1);
    trim();
  }

  constexpr void shift_right_one() noexcept
  {
    for (std::size_t i = 0; i < size_; ++i) limbs_[i] = (limbs_[i] >> 1) | (i + 1 < size_ ? limbs_[i + 1] << 31 : 0u);
    trim();
  }

  /// <0, 0 or >0 as *this is below, equal to or above other.
  constexpr int compare(const big_unsigned& other) const noexcept
  {
    if (size_ != other.size_) return size_ < other.size_ ? -1 : 1;
    for (std::size_t i = size_; i-- > 0;)
      if (limbs_[i] != other.limbs_[i]) return limbs_[i] < other.limbs_[i] ? -1 : 1;
    return 0;
  }

  /// *this -= other, for other <= *this.
  constexpr void subtract(const big_unsigned& other) noexcept
  {
    std::uint32_t borrow = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      const std::uint64_t taken = (i < other.size_ ? std::uint64_t{other.limbs_[i]} : 0u) + borrow;
      borrow = std::uint64_t{limbs_[i]} < taken ? 1u : 0u;
      limbs_[i] = static_cast<std::uint32_t>(std::uint64_t{limbs_[i]} - taken);
    }
    trim();
  }

  /// Any of the bits below `index` set?
  constexpr bool any_bit_below(int index) const noexcept
  {
    const auto whole = static_cast<std::size_t>(index / 32);
    for (std::size_t i = 0; i < whole && i < size_; ++i)
      if (limbs_[i] != 0) return true;
    const int bits = index % 32;
    return whole < size_ && bits != 0 && (limbs_[whole] & ((1u << bits) - 1u)) != 0;
  }

 private:
  constexpr void trim() noexcept
  {
    while (size_ > 0 && limbs_[size_ - 1] == 0) --size_;
  }

  std::array<std::uint32_t, capacity> limbs_{};
  std::size_t size_ = 0;
};

// The exact path's largest numbers: the digits (kept digits and one: below 10^781) or 5^n (n up to
// -underflow_decimal + 781), shifted by the quotient's bits (at most 56), and a limb to shift into.
inline constexpr long long digits_bits = (kept_digits + 1) * 333 / 100 + 1;
inline constexpr long long power_of_five_bits =
    (-binary_format<double>::underflow_decimal + kept_digits + 1) * 233 / 100 + 1;
static_assert((digits_bits > power_of_five_bits ? digits_bits : power_of_five_bits) + 56 + 32 <
                  32 * static_cast<long long>(big_unsigned::capacity),
              "ctnn: parse_floating's big integer is too small for the longest numbers it reads");

constexpr bool is_digit(char c) noexcept
{
  return c >= '0' && c <= '9';
}

constexpr char lower(char c) noexcept
{
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// [first, last) starts with `word` (lowercase), in any case?
constexpr bool starts_with_word(const char* first, const char* last, const char* word) noexcept
{
  for (; *word != '\0'; ++word, ++first)
    if (first == last || lower(*first) != *word) return false;
  return true;
}

/// "inf", "infinity", "nan", "nan(chars)" after the optional '-' at `after_sign`.
template <class T>
constexpr std::from_chars_result parse_special(const char* first, const char* after_sign, const char* last,
                                               bool negative, T& value) noexcept
{
  const char* p = after_sign;
  if (starts_with_word(p, last, "nan")) {
    p += 3;
    if (p != last && *p == '(') {
      for (const char* q = p + 1; q != last; ++q) {
        if (*q == ')') {
          p = q + 1;
          break;
        }
        const bool allowed = is_digit(*q) || (lower(*q) >= 'a' && lower(*q) <= 'z') || *q == '_';
        if (!allowed) break;
      }
    }
    value = negative ? -std::numeric_limits<T>::quiet_NaN() : std::numeric_limits<T>::quiet_NaN();
    return {p, std::errc{}};
  }
  if (starts_with_word(p, last, "inf")) {
    p += 3;
    if (starts_with_word(p, last, "inity")) p += 5;
    value = negative ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    return {p, std::errc{}};
  }
  return {first, std::errc::invalid_argument};
}

/// The digits of a number: [integer_first, integer_last), then [fraction_first, fraction_last).
struct digit_span {
  const char* integer_first;
  const char* integer_last;
  const char* fraction_first;
  const char* fraction_last;

  constexpr const char* begin() const noexcept
  {
    return integer_first == integer_last ? fraction_first : integer_first;
  }
  constexpr const char* end() const noexcept { return fraction_last; }
  constexpr const char* next(const char* p) const noexcept
  {
    ++p;
    return p == integer_last ? fraction_first : p;
  }
};

/// (q + d) * 2^binary_exponent, 0 <= d < 1, d > 0 when `sticky`, rounded to T. False when it rounds to
/// zero or to infinity.
template <class T>
constexpr bool round_to_binary(std::uint64_t q, bool sticky, long long binary_exponent, bool negative,
                               T& value) noexcept
{
  using format = binary_format<T>;
  using bits_type = typename format::bits;
  constexpr int precision = format::precision;
  const int length = 64 - std::countl_zero(q);
  long long lsb = binary_exponent + length - precision;  // the exponent of the result's last bit
  if (lsb < format::min_lsb_exponent) lsb = format::min_lsb_exponent;
  const long long shift = lsb - binary_exponent;
  std::uint64_t significand = 0;
  if (shift <= 0) {
    significand = q << -shift;  // exact: q has fewer than `precision` bits
  } else if (shift > 64) {
    significand = 0;  // q < 2^64 <= half the last bit: rounds down
  } else {
    const std::uint64_t below = shift == 64 ? q : q & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t half = std::uint64_t{1} << (shift - 1);
    significand = shift == 64 ? 0 : q >> shift;
    if (below > half || (below == half && (sticky || (significand & 1) != 0))) ++significand;
    if (significand == std::uint64_t{1} << precision) {
      significand >>= 1;
      ++lsb;
    }
  }
  if (significand == 0) return false;
  const std::uint64_t hidden = std::uint64_t{1} << (precision - 1);
  bits_type bits = 0;
  if (significand < hidden) {
    bits = static_cast<bits_type>(significand);  // subnormal
  } else {
    const long long exponent = lsb + precision - 1;
    if (exponent > format::max_exponent) return false;
    bits = static_cast<bits_type>((static_cast<std::uint64_t>(exponent + format::exponent_bias) << (precision - 1)) |
                                  (significand - hidden));
  }
  if (negative) bits |= static_cast<bits_type>(bits_type{1} << (8 * sizeof(T) - 1));
  value = std::bit_cast<T>(bits);
  return true;
}

/// digits * 10^decimal_exponent rounded to T, exactly; digits has `count` significant digits.
template <class T>
constexpr bool exact_decimal_to_binary(const big_unsigned& digits, long long count, long long decimal_exponent,
                                       bool negative, T& value) noexcept
{
  using format = binary_format<T>;
  // digits * 10^e lies in [10^(e + count - 1), 10^(e + count)).
  if (decimal_exponent + count - 1 >= format::overflow_decimal) return false;
  if (decimal_exponent + count <= format::underflow_decimal) return false;
  if (decimal_exponent >= 0) {
    // An integer: digits * 5^e * 2^e; its top 64 bits and whether any bit below them is set.
    big_unsigned whole = digits;
    whole.multiply_by_power_of_five(decimal_exponent);
    const int length = whole.bit_length();
    const int dropped = length > 64 ? length - 64 : 0;
    std::uint64_t q = 0;
    for (int i = length - 1; i >= dropped; --i) q = (q << 1) | (whole.bit(i) ? 1u : 0u);
    return round_to_binary(q, whole.any_bit_below(dropped), decimal_exponent + dropped, negative, value);
  }
  // A fraction: digits * 2^e / 5^-e. The quotient digits * 2^k / 5^-e, with k chosen so that it has
  // precision + 2 or + 3 bits, by long division; the remainder is the sticky bit.
  big_unsigned divisor{};
  divisor.multiply_add(1, 1);
  divisor.multiply_by_power_of_five(-decimal_exponent);
  constexpr int quotient_top = binary_format<T>::precision + 2;
  const int k = quotient_top + divisor.bit_length() - digits.bit_length();
  big_unsigned remainder = digits;
  if (k >= 0)
    remainder.shift_left(k);
  else
    divisor.shift_left(-k);
  divisor.shift_left(quotient_top);
  std::uint64_t q = 0;
  for (int bit = quotient_top; bit >= 0; --bit) {
    if (remainder.compare(divisor) >= 0) {
      remainder.subtract(divisor);
      q |= std::uint64_t{1} << bit;
    }
    divisor.shift_right_one();
  }
  return round_to_binary(q, !remainder.is_zero(), decimal_exponent - k, negative, value);
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 uint128;

constexpr int bit_length(uint128 v) noexcept
{
  const auto high = static_cast<std::uint64_t>(v >> 64);
  return high != 0 ? 128 - std::countl_zero(high) : 64 - std::countl_zero(static_cast<std::uint64_t>(v));
}

/// w * 10^e rounded to T exactly, for |e| <= 27 (5^27 < 2^63): exact_decimal_to_binary's arithmetic
/// in 128-bit integers.
template <class T>
constexpr bool small_decimal_to_binary(std::uint64_t w, int decimal_exponent, bool negative, T& value) noexcept
{
  std::uint64_t power_of_five = 1;
  for (int i = 0; i < (decimal_exponent < 0 ? -decimal_exponent : decimal_exponent); ++i) power_of_five *= 5;
  if (decimal_exponent >= 0) {
    const uint128 whole = uint128{w} * power_of_five;
    const int length = bit_length(whole);
    const int dropped = length > 64 ? length - 64 : 0;
    const bool sticky = dropped > 0 && (whole & ((uint128{1} << dropped) - 1)) != 0;
    return round_to_binary(static_cast<std::uint64_t>(whole >> dropped), sticky, decimal_exponent + dropped, negative,
                           value);
  }
  constexpr int quotient_top = binary_format<T>::precision + 2;
  const int k = quotient_top + bit_length(uint128{power_of_five}) - bit_length(uint128{w});
  uint128 dividend = w;
  uint128 divisor = power_of_five;
  if (k >= 0)
    dividend <<= k;  // at most 56 + 63 bits
  else
    divisor <<= -k;
  return round_to_binary(static_cast<std::uint64_t>(dividend / divisor), dividend % divisor != 0, decimal_exponent - k,
                         negative, value);
}
#endif

template <class T>
constexpr T exact_power_of_ten(int exponent) noexcept
{
  T power = 1;
  for (int i = 0; i < exponent; ++i) power *= 10;  // exact up to binary_format<T>::exact_power_of_ten
  return power;
}

}  // namespace number_text

/// std::from_chars(first, last, value) for float and double, chars_format::general, in own code.
template <class T>
constexpr std::from_chars_result parse_floating(const char* first, const char* last, T& value) noexcept
{
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "ctnn: parse_floating reads float or double");
  static_assert(std::numeric_limits<T>::is_iec559, "ctnn: parse_floating needs IEEE 754 float and double");
  using namespace number_text;
  using format = binary_format<T>;
  const char* p = first;
  const bool negative = p != last && *p == '-';
  if (negative) ++p;
  const char* after_sign = p;
  digit_span span{p, p, p, p};
  while (p != last && is_digit(*p)) ++p;
  span.integer_last = span.fraction_first = span.fraction_last = p;
  if (p != last && *p == '.') {
    ++p;
    span.fraction_first = p;
    while (p != last && is_digit(*p)) ++p;
    span.fraction_last = p;
  }
  if (span.integer_first == span.integer_last && span.fraction_first == span.fraction_last)
    return parse_special(first, after_sign, last, negative, value);
  long long exponent = 0;
  if (p != last && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    const bool exponent_negative = q != last && *q == '-';
    if (q != last && (*q == '-' || *q == '+')) ++q;
    if (q != last && is_digit(*q)) {
      for (; q != last && is_digit(*q); ++q)
        if (exponent < 1'000'000'000'000'000LL) exponent = 10 * exponent + (*q - '0');  // far beyond any range
      if (exponent_negative) exponent = -exponent;
      p = q;
    }
  }
  const std::from_chars_result parsed{p, std::errc{}};
  const std::from_chars_result out_of_range{p, std::errc::result_out_of_range};

  const char* d = span.begin();
  while (d != span.end() && *d == '0') d = span.next(d);
  if (d == span.end()) {
    value = negative ? -T(0) : T(0);
    return parsed;
  }
  long long count = 0;
  for (const char* c = d; c != span.end(); c = span.next(c)) ++count;
  const long long fraction_length = span.fraction_last - span.fraction_first;
  long long decimal_exponent = exponent - fraction_length;

  if (count <= 19) {
    std::uint64_t w = 0;
    for (; d != span.end(); d = span.next(d)) w = 10 * w + static_cast<std::uint64_t>(*d - '0');
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    // Clinger: w and 10^|e| are exact in T, so one IEEE operation rounds once, correctly.
    if (w <= std::uint64_t{1} << format::precision && decimal_exponent >= -format::exact_power_of_ten &&
        decimal_exponent <= format::exact_power_of_ten) {
      const T exact = static_cast<T>(w);
      const T result = decimal_exponent < 0 ? exact / exact_power_of_ten<T>(static_cast<int>(-decimal_exponent))
                                            : exact * exact_power_of_ten<T>(static_cast<int>(decimal_exponent));
      value = negative ? -result : result;
      return parsed;
    }
    // A float through the double path: the double nearest the number rounds to the float nearest it
    // unless it lies exactly halfway between two floats (each such point is a double, so rounding to a
    // double cannot cross one, only land on one). Here w * 10^e is a normal float or halfway to one.
    if constexpr (std::is_same_v<T, float>) {
      if (w <= std::uint64_t{1} << binary_format<double>::precision &&
          decimal_exponent >= -binary_format<double>::exact_power_of_ten &&
          decimal_exponent <= binary_format<double>::exact_power_of_ten) {
        const auto exact = static_cast<double>(w);
        const double nearest = decimal_exponent < 0
                                   ? exact / exact_power_of_ten<double>(static_cast<int>(-decimal_exponent))
                                   : exact * exact_power_of_ten<double>(static_cast<int>(decimal_exponent));
        constexpr std::uint64_t below_float = (std::uint64_t{1} << 29) - 1;  // 52 - 23 bits
        if ((std::bit_cast<std::uint64_t>(nearest) & below_float) != std::uint64_t{1} << 28) {
          const auto result = static_cast<float>(nearest);
          value = negative ? -result : result;
          return parsed;
        }
      }
    }
#endif
#if defined(__SIZEOF_INT128__)
    // Exact in 128-bit integers when 5^|e| fits in 64 bits: most numbers of up to 19 digits.
    if (decimal_exponent >= -27 && decimal_exponent <= 27) {
      T result{};
      if (!small_decimal_to_binary(w, static_cast<int>(decimal_exponent), negative, result)) return out_of_range;
      value = result;
      return parsed;
    }
#endif
    big_unsigned digits{};
    digits.multiply_add(1, static_cast<std::uint32_t>(w >> 32));
    digits.shift_left(32);
    digits.multiply_add(1, static_cast<std::uint32_t>(w & 0xffff'ffffu));
    T result{};
    if (!exact_decimal_to_binary(digits, count, decimal_exponent, negative, result)) return out_of_range;
    value = result;
    return parsed;
  }

  big_unsigned digits{};
  long long taken = 0;
  std::uint32_t chunk = 0;
  std::uint32_t chunk_scale = 1;
  for (; d != span.end() && taken < kept_digits; d = span.next(d), ++taken) {
    chunk = 10 * chunk + static_cast<std::uint32_t>(*d - '0');
    chunk_scale *= 10;
    if (chunk_scale == 1'000'000'000u) {
      digits.multiply_add(chunk_scale, chunk);
      chunk = 0;
      chunk_scale = 1;
    }
  }
  if (chunk_scale != 1) digits.multiply_add(chunk_scale, chunk);
  decimal_exponent += count - taken;
  bool dropped_nonzero = false;
  for (; d != span.end(); d = span.next(d))
    if (*d != '0') dropped_nonzero = true;
  if (dropped_nonzero) {
    digits.multiply_add(10, 1);
    --decimal_exponent;
    ++taken;
  }
  T result{};
  if (!exact_decimal_to_binary(digits, taken, decimal_exponent, negative, result)) return out_of_range;
  value = result;
  return parsed;
}

// Floating-point std::from_chars is there when the library says so (libstdc++ 11+, MSVC); libc++
// before LLVM 20 has none. Define CTNN_FLOATING_FROM_CHARS to 0 to read with parse_floating anyway.
#ifndef CTNN_FLOATING_FROM_CHARS
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define CTNN_FLOATING_FROM_CHARS 1
#else
#define CTNN_FLOATING_FROM_CHARS 0
#endif
#endif

/// What CSV and model files read numbers with: std::from_chars(first, last, value) where it exists,
/// parse_floating (the same results) where it does not.
template <class T>
std::from_chars_result read_floating(const char* first, const char* last, T& value) noexcept
{
#if CTNN_FLOATING_FROM_CHARS
  return std::from_chars(first, last, value, std::chars_format::general);
#else
  return parse_floating(first, last, value);
#endif
}

}  // namespace ctnn::detail
