// libFuzzer target: arbitrary bytes read as a double and as a float by ctnn::detail::parse_floating
// (CSV and model files read numbers with it where the standard library has no floating-point
// std::from_chars) and by std::from_chars. Any difference, in the value's bits, the characters read
// or the error, is a finding: the input is printed and std::abort lets libFuzzer save it. Inputs are
// read whole and also from a random-looking cut (the first byte says where), so that the end pointer
// is exercised mid-number.

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include "ctnn/detail/parse_number.hpp"

#if !CTNN_FLOATING_FROM_CHARS
#error "fuzz_parse_number compares with floating-point std::from_chars, which this standard library lacks"
#endif

namespace {

template <class T>
auto bits_of(T v)
{
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<std::uint64_t>(v);
  else
    return std::bit_cast<std::uint32_t>(v);
}

template <class T>
void compare(const char* first, const char* last)
{
  T expected = T(42);
  T value = T(42);
  const auto want = std::from_chars(first, last, expected);
  const auto got = ctnn::detail::parse_floating(first, last, value);
  if (want.ec == got.ec && want.ptr == got.ptr && bits_of(expected) == bits_of(value)) return;
  std::fprintf(stderr, "fuzz_parse_number: %s differs from std::from_chars on \"%s\":\n",
               sizeof(T) == 8 ? "double" : "float", std::string(first, last).c_str());
  std::fprintf(stderr, "  from_chars: error %d, %td characters, bits %llx\n", static_cast<int>(want.ec),
               want.ptr - first, static_cast<unsigned long long>(bits_of(expected)));
  std::fprintf(stderr, "  ctnn:       error %d, %td characters, bits %llx\n", static_cast<int>(got.ec), got.ptr - first,
               static_cast<unsigned long long>(bits_of(value)));
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  // A copy on the heap of exactly `size` bytes: ASan sees any read past the end.
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto* copy = new char[size == 0 ? 1 : size];
  for (std::size_t i = 0; i < size; ++i) copy[i] = text[i];
  compare<double>(copy, copy + size);
  compare<float>(copy, copy + size);
  if (size > 1) {
    const std::size_t cut = 1 + data[0] % (size - 1);
    compare<double>(copy + 1, copy + cut);
    compare<float>(copy + 1, copy + cut);
  }
  delete[] copy;
  return 0;
}
