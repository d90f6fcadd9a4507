#pragma once
// What the Cortex-M check programs share (scripts/cortex-m-check.sh builds each for the build
// machine and for Cortex-M3, M4 and M7, and compares their lines):
//   - check lines "<model>: <what> <fingerprint or count>", which must be the same on every build;
//   - info lines starting with '#' (stack use), which may differ;
//   - a fingerprint of a model's predictions, and references the optimiser cannot see through, so
//     that what the target prints is computed by the target.

#include <bit>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <type_traits>

namespace mcu {

/// The same object, reached through a pointer the optimiser cannot trace back to a constant: a
/// prediction or training run on it happens when the program runs, not in the compiler.
template <class T>
const T& opaque(const T& value) noexcept
{
  const T* pointer = &value;
  __asm__ __volatile__("" : "+r"(pointer));
  return *pointer;
}

/// FNV-1a 64 over the bytes (least significant first) of every output value of every prediction,
/// as ctnn's parameter_fingerprint does over stored values.
class PredictionFingerprint {
 public:
  template <class Output>
  void add(const Output& output) noexcept
  {
    using Scalar = std::remove_cvref_t<decltype(output[0])>;
    using Bits = std::conditional_t<sizeof(Scalar) == 8, std::uint64_t, std::uint32_t>;
    for (std::size_t i = 0; i < std::size(output.values); ++i) add_bits(std::bit_cast<Bits>(output[i]), sizeof(Bits));
  }
  /// The low `bytes` bytes of bits.
  void add_bits(std::uint64_t bits, std::size_t bytes) noexcept
  {
    for (std::size_t byte = 0; byte < bytes; ++byte) {
      hash_ ^= static_cast<std::uint8_t>(bits >> (8 * byte));
      hash_ *= 0x100000001b3u;
    }
  }
  std::uint64_t value() const noexcept { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325u;
};

/// The fingerprint of net's predictions for the inputs of every sample of data.
template <class Net, class Data>
std::uint64_t predictions_fingerprint(const Net& net, const Data& data) noexcept
{
  PredictionFingerprint fingerprint;
  for (const auto& sample : opaque(data).samples) fingerprint.add(opaque(net).predict(sample.input));
  return fingerprint.value();
}

/// One program's report. Constructing it marks the unused stack (on the target); each check line
/// is printed, and finish() prints the stack used and gives main()'s exit status: 0 when every
/// expectation held.
class Report {
 public:
  explicit Report(const char* model) noexcept;

  /// A check line with a fingerprint.
  void line(const char* what, std::uint64_t value) const noexcept
  {
    std::printf("%s: %s %016" PRIx64 "\n", model_, what, value);
  }
  /// A check line, and a failed expectation unless value equals expected.
  void line(const char* what, std::uint64_t value, std::uint64_t expected) noexcept
  {
    line(what, value);
    expect(what, value, expected);
  }
  /// A check line with a count, and a failed expectation unless it equals expected.
  void count(const char* what, std::uint64_t value, std::uint64_t expected) noexcept
  {
    std::printf("%s: %s %" PRIu64 "\n", model_, what, value);
    expect(what, value, expected);
  }
  int finish() const noexcept;

 private:
  void expect(const char* what, std::uint64_t value, std::uint64_t expected) noexcept
  {
    if (value == expected) return;
    std::printf("%s: FAILED: %s is %016" PRIx64 ", expected %016" PRIx64 "\n", model_, what, value, expected);
    failed_ = true;
  }

  const char* model_;
  bool failed_ = false;
};

}  // namespace mcu

// Stack use: on the target, the part of the stack region (picolibc's linker script: __stack_size
// bytes below __stack) that main() has not reached yet is filled with a pattern, and finish() looks
// for the lowest word that changed. A program whose stack reached the region's end fails.
#if defined(__arm__) && !defined(__linux__)
extern "C" char __stack[];     // the stack's top (picolibc.ld)
extern "C" char __heap_end[];  // its region's bottom
namespace mcu::detail {
inline constexpr std::uint32_t unused_stack = 0xa5a5a5a5u;
inline std::uint32_t* stack_bottom() noexcept
{
  return reinterpret_cast<std::uint32_t*>(__heap_end);
}
}  // namespace mcu::detail

inline mcu::Report::Report(const char* model) noexcept : model_{model}
{
  // Up to a little below this frame: what main() will use from now on.
  const auto end = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) - 256;
  for (volatile std::uint32_t* word = detail::stack_bottom(); reinterpret_cast<std::uintptr_t>(word) < end; ++word)
    *word = detail::unused_stack;
}

inline int mcu::Report::finish() const noexcept
{
  const std::uint32_t* word = detail::stack_bottom();
  while (*word == detail::unused_stack) ++word;
  const auto used = static_cast<unsigned long>(__stack - reinterpret_cast<const char*>(word));
  const auto size = static_cast<unsigned long>(__stack - __heap_end);
  std::printf("# %s: stack used %lu of %lu bytes\n", model_, used, size);
  if (word == detail::stack_bottom()) {
    std::printf("%s: FAILED: the stack reached the end of its region; link with a larger __stack_size\n", model_);
    return 1;
  }
  return failed_ ? 1 : 0;
}
#else
inline mcu::Report::Report(const char* model) noexcept : model_{model} {}
inline int mcu::Report::finish() const noexcept
{
  return failed_ ? 1 : 0;
}
#endif
