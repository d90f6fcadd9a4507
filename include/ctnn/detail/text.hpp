#pragma once
// Small text helpers shared by the runtime-only headers (model files, generated headers, plots):
// concatenation, numbers, quoting for messages, hex digits.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace ctnn::detail {

/// The parts one after the other. (Not "literal" + std::string: GCC 12 at -O3 warns about it, PR 105329.)
template <class... Parts>
std::string cat(const Parts&... parts)
{
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

template <class Integer>
std::string num(Integer n)
{
  return std::to_string(n);
}

/// s in double quotes for a message: at most 48 characters, anything but printable ASCII escaped.
inline std::string show(std::string_view s)
{
  constexpr std::size_t shown = 48;
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < shown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  if (s.size() > shown) out += "...";
  out += '"';
  return out;
}

/// bits as exactly `digits` lowercase hex digits.
inline std::string hex_digits(std::uint64_t bits, std::size_t digits)
{
  constexpr char hex[] = "0123456789abcdef";
  std::string out(digits, '0');
  for (std::size_t i = digits; i-- > 0; bits >>= 4) out[i] = hex[bits & 0xf];
  return out;
}

/// What errno `error` means, in words.
inline std::string errno_text(int error)
{
  return std::error_code(error, std::generic_category()).message();
}

}  // namespace ctnn::detail
