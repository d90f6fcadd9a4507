// Writes the model files of the interop tests' way back (test_interop.py): for each model, DIR/<name>.ctnn
// by ctnn::save and, for models of finite parameters, DIR/<name>.csv: 1000 inputs drawn by ctnn's
// SplitMix64 and ctnn's outputs for them, one sample per line (inputs then outputs, each written by
// std::to_chars so that it reads back exactly). Among the models: one trained by the compiler, and
// networks of -0, subnormals, the largest values, infinities and NaNs with payloads.

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <ratio>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <ctnn/ctnn.hpp>
#include <ctnn/standardize.hpp>

#include "xor_recipe.hpp"

namespace {

template <class T>
std::string text(T v)
{
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

template <class Net>
void write(const std::filesystem::path& dir, const std::string& name, const Net& net, bool with_outputs)
{
  using T = typename Net::scalar_type;
  ctnn::save(net, dir / (name + ".ctnn"));
  if (!with_outputs) return;
  std::ofstream csv(dir / (name + ".csv"), std::ios::binary);
  ctnn::SplitMix64 rng{ctnn::Seed{std::hash<std::string>{}(name)}};
  for (int k = 0; k < 1000; ++k) {
    typename Net::input_type x{};
    for (auto& value : x.values) value = ctnn::uniform<T>(rng, T(-3), T(3));
    const auto y = net.predict(x);
    std::string line;
    for (auto value : x.values) line += text(value) + ",";
    for (auto value : y.values) line += text(value) + ",";
    line.back() = '\n';
    csv << line;
  }
  if (!csv) throw std::runtime_error("cannot write " + name + ".csv");
}

template <class Net, class T>
Net random_network(std::uint64_t seed, T low, T high)
{
  Net net{};
  ctnn::SplitMix64 rng{ctnn::Seed{seed}};
  net.for_each_layer([&](auto& layer) {
    if constexpr (requires { layer.weights; }) layer.initialize(ctnn::Uniform<T>{low, high}, rng);
  });
  return net;
}

template <class T>
ctnn::Network<ctnn::Dense<3, 4, ctnn::Identity, T>> special_values()
{
  using limits = std::numeric_limits<T>;
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  const Bits quiet = std::bit_cast<Bits>(limits::quiet_NaN());
  ctnn::Network<ctnn::Dense<3, 4, ctnn::Identity, T>> net{};
  const T values[16] = {T(-0.0),
                        limits::denorm_min(),
                        -limits::denorm_min() * T(3),
                        limits::min(),
                        limits::max(),
                        -limits::max(),
                        limits::infinity(),
                        -limits::infinity(),
                        std::bit_cast<T>(Bits(quiet | 1)),
                        std::bit_cast<T>(Bits(~Bits(0))),  // negative NaN, every payload bit set
                        T(0.1),
                        T(123456789),
                        T(1e22),
                        T(1e-7),
                        T(100),
                        T(0.001)};
  std::size_t k = 0;
  for (auto& w : net.template layer<0>().weights.values) w = values[k++];
  for (auto& b : net.template layer<0>().bias.values) b = values[k++];
  return net;
}

// DIR/values_<type>.txt: "<bits in hex> <std::to_chars text>" per line, for random bit patterns (NaN
// excepted: the format writes it as nan:0x<bits>), random values of ordinary size, and integers
// around 2^24 and 2^53, where the shortest digits and the exact integer differ.
template <class T>
void write_values(const std::filesystem::path& dir, const std::string& name)
{
  using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  std::ofstream out(dir / ("values_" + name + ".txt"), std::ios::binary);
  ctnn::SplitMix64 rng{ctnn::Seed{sizeof(T)}};
  const auto line = [&](T v) {
    if (v != v) return;
    char bits[32];
    const auto end = std::to_chars(bits, bits + sizeof bits, std::bit_cast<Bits>(v), 16).ptr;
    out << std::string(bits, end) << ' ' << text(v) << '\n';
  };
  for (int k = 0; k < 3000; ++k) line(std::bit_cast<T>(static_cast<Bits>(rng())));
  for (int k = 0; k < 3000; ++k) line(ctnn::uniform<T>(rng, T(-1e7), T(1e7)));
  for (int k = 0; k < 1000; ++k) line(static_cast<T>(rng() >> (k % 40)));
  if (!out) throw std::runtime_error("cannot write values_" + name + ".txt");
}

// Trained by the compiler: 300 epochs of the XOR recipe, then saved as any other network.
constexpr xor_recipe::Model xor_trained_by_compiler = xor_recipe::train_epochs(xor_recipe::untrained(), 300).model;

}  // namespace

int main(int argc, char** argv)
{
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);

  using Wide = ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh, double>, ctnn::Dense<8, 3, ctnn::Softmax, double>>;
  write(dir, "wide_double", random_network<Wide>(1, -1.0, 1.0), true);

  using Deep = ctnn::Network<ctnn::Dense<3, 6, ctnn::ReLU, double>, ctnn::Dense<6, 6, ctnn::Softplus, double>,
                             ctnn::Dense<6, 5, ctnn::LeakyReLU<>, double>, ctnn::Dense<5, 1, ctnn::Identity, double>>;
  write(dir, "deep_double", random_network<Deep>(2, -1.5, 1.5), true);

  using Scaled = ctnn::Network<ctnn::Standardize<5, float>, ctnn::Dense<5, 7, ctnn::LeakyReLU<std::ratio<1, 3>>, float>,
                               ctnn::Dense<7, 2, ctnn::Sigmoid, float>>;
  auto scaled = random_network<Scaled>(3, -1.0f, 1.0f);
  for (std::size_t i = 0; i < 5; ++i) {
    scaled.layer<0>().mean.values[i] = 0.25f * float(i) - 0.5f;
    scaled.layer<0>().deviation.values[i] = 0.5f + 0.75f * float(i);
  }
  write(dir, "standardize_float", scaled, true);

  write(dir, "xor_trained_by_compiler", xor_trained_by_compiler, true);
  write(dir, "special_double", special_values<double>(), false);
  write(dir, "special_float", special_values<float>(), false);
  write_values<double>(dir, "double");
  write_values<float>(dir, "float");
  std::printf("wrote 6 model files and 2 value lists to %s\n", dir.string().c_str());
}
