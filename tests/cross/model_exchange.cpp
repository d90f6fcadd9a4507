// Model files between architectures: built for each architecture of scripts/cross-check.sh, it
// writes the same models on every one, and reads the files any other one wrote. The script compares
// the fingerprints printed by every writer and every reader: they must all be equal.
//
//   model_exchange write DIR   saves each model to DIR/<name>.model, prints "<name> <fingerprint>"
//   model_exchange read DIR    loads each DIR/<name>.model, prints "<name> <fingerprint>"
//
// Only save(), load(), initialized() and parameter_fingerprint() are used, so the file format may
// change without this program changing.

#include <bit>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include <ctnn/core.hpp>
#include <ctnn/model_file.hpp>

namespace {

/// Iris's shape with its seed-drawn starting weights: ordinary values of every exponent range
/// Xavier draws.
using Initialized = ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh>, ctnn::Dense<8, 3, ctnn::Softmax>>;
template <class T>
using Special = ctnn::Network<ctnn::Dense<3, 4, ctnn::Sigmoid, T>, ctnn::Dense<4, 2, ctnn::Identity, T>>;

/// The values whose bits a text format most easily loses, in turn over all parameters: signed
/// zeros, subnormals, the extremes, infinities, quiet NaNs with a sign and a payload, and decimals
/// with no short exact form.
template <class T>
Special<T> special()
{
  using limits = std::numeric_limits<T>;
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  const Bits quiet_nan = std::bit_cast<Bits>(limits::quiet_NaN());
  const Bits sign = Bits{1} << (8 * sizeof(T) - 1);
  const T values[] = {T(-0.0),
                      limits::denorm_min(),
                      -limits::denorm_min(),
                      limits::min() / T(3),
                      limits::min(),
                      limits::max(),
                      limits::lowest(),
                      limits::infinity(),
                      -limits::infinity(),
                      std::bit_cast<T>(static_cast<Bits>(quiet_nan | 0x2a)),
                      std::bit_cast<T>(static_cast<Bits>(quiet_nan | sign | 0x15)),
                      T(0.1),
                      T(1) / T(3),
                      limits::epsilon(),
                      T(1) + limits::epsilon()};
  Special<T> net{};
  std::size_t next = 0;
  const auto fill = [&](auto& tensor) {
    for (auto& v : tensor.values) v = values[next++ % std::size(values)];
  };
  fill(net.template layer<0>().weights);
  fill(net.template layer<0>().bias);
  fill(net.template layer<1>().weights);
  fill(net.template layer<1>().bias);
  return net;
}

template <class Net>
void write(const std::filesystem::path& dir, std::string_view name, const Net& net)
{
  ctnn::save(net, dir / (std::string(name) + ".model"));
  std::printf("%.*s %016" PRIx64 "\n", static_cast<int>(name.size()), name.data(), parameter_fingerprint(net));
}

template <class Net>
void read(const std::filesystem::path& dir, std::string_view name)
{
  const Net net = ctnn::load<Net>(dir / (std::string(name) + ".model"));
  std::printf("%.*s %016" PRIx64 "\n", static_cast<int>(name.size()), name.data(), parameter_fingerprint(net));
}

}  // namespace

int main(int argc, char** argv)
{
  const std::string_view mode = argc == 3 ? argv[1] : "";
  if (mode != "write" && mode != "read") {
    std::fputs("usage: model_exchange write|read DIR\n", stderr);
    return 2;
  }
  const std::filesystem::path dir = argv[2];
  try {
    if (mode == "write") {
      write(dir, "initialized", ctnn::initialized<Initialized>(ctnn::XavierUniform{}, ctnn::Seed{2024}));
      write(dir, "special_double", special<double>());
      write(dir, "special_float", special<float>());
    } else {
      read<Initialized>(dir, "initialized");
      read<Special<double>>(dir, "special_double");
      read<Special<float>>(dir, "special_float");
    }
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "model_exchange: %s\n", error.what());
    return 1;
  }
  return 0;
}
