// Trains a 2-4-1 tanh/sigmoid network on XOR at runtime, and one that standardises its inputs first
// on XOR with raw inputs on other scales, saves each, loads it back and emits the loaded model as a
// constexpr header; writes what the runtime models compute next to them, for check.cpp to compare
// with what the compiler computes. Usage: generator <output directory>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>

#include <ctnn/ctnn.hpp>

#include "external_layers.hpp"

namespace {

using XorNet = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
using SpecialDouble = ctnn::Network<ctnn::Dense<2, 3, ctnn::Identity>, ctnn::Dense<3, 2, ctnn::ReLU>>;
using SpecialFloat = ctnn::Network<ctnn::Dense<3, 2, ctnn::Tanh, float>>;
using ScaledNet = ctnn::Network<ctnn::Standardize<2>, ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
// Layers that are not in the library (tests/external): generated headers spell them too.
using ExternalNet = ctnn::Network<external::ElementwiseScale<2>, ctnn::Dense<2, 4, ctnn::Tanh>,
                                  external::Residual<ctnn::Dense<4, 3, ctnn::Tanh>, ctnn::Dense<3, 4, ctnn::Identity>>,
                                  ctnn::Dense<4, 1, ctnn::Sigmoid>>;

/// XOR with its inputs moved to other scales: the first in the thousands, the second around -3.
constexpr ctnn::Dataset<2, 1, 4> raw_xor()
{
  auto data = ctnn::datasets::xor_gate();
  for (auto& sample : data.samples) {
    sample.input.values[0] = 1000.0 + 500.0 * sample.input.values[0];
    sample.input.values[1] = -3.0 + 0.25 * sample.input.values[1];
  }
  return data;
}

// printf's %a, not ctnn's own literal writer: an independent spelling of the exact value.
std::string hex_float(double v)
{
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", v);
  return buffer;
}

std::string hex_u64(std::uint64_t v)
{
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%016llx", static_cast<unsigned long long>(v));
  return buffer;
}

template <class Net, class Values>
Net filled(const Values& values)
{
  Net net{};
  std::size_t next = 0;
  net.for_each_layer([&](auto& layer) {
    layer.visit_parameters([&](auto& tensor) {
      for (auto& p : tensor) p = values[next++ % std::size(values)];
    });
  });
  return net;
}

/// Saves net to model_path, loads it back, checks the bits and emits the loaded model as a header.
template <class Net>
void emit_through_model_file(const Net& net, const std::filesystem::path& model_path,
                             const std::filesystem::path& header_path, const char* name)
{
  ctnn::save(net, model_path);
  const Net loaded = ctnn::load<Net>(model_path);
  if (!bitwise_equal(loaded, net))
    throw std::runtime_error("the model loaded from " + model_path.string() + " differs from the saved one");
  ctnn::emit_header(loaded, header_path, name);
}

}  // namespace

int main(int argc, char** argv)
try {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output directory>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out = argv[1];

  XorNet trained = ctnn::initialized<XorNet>(ctnn::Uniform01{}, ctnn::Seed{2024});
  ctnn::fit(trained, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 4000});

  // Through a model file first: each header is written from what load() gives back.
  emit_through_model_file(trained, out / "xor.model", out / "model.hpp", "xor_model");

  // The standardising network, trained on raw inputs.
  const auto raw = raw_xor();
  ScaledNet scaled = ctnn::initialized<ScaledNet>(ctnn::Uniform01{}, ctnn::Seed{2024});
  scaled.layer<0>() = ctnn::Standardize<2>::measure(raw);
  ctnn::fit(scaled, raw, ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 4000});
  emit_through_model_file(scaled, out / "scaled.model", out / "scaled_model.hpp", "scaled_model");

  // The external layers, trained at runtime and written through a model file.
  ExternalNet external = ctnn::initialized<ExternalNet>(ctnn::XavierUniform{}, ctnn::Seed{8});
  ctnn::fit(external, ctnn::datasets::xor_gate(), ctnn::BinaryCrossEntropy{}, ctnn::Adam{0.05}, {.epochs = 200});
  emit_through_model_file(external, out / "external.model", out / "external_model.hpp", "external_model");

  using D = std::numeric_limits<double>;
  using F = std::numeric_limits<float>;
  const double doubles[] = {-0.0,
                            D::denorm_min(),
                            -D::denorm_min(),
                            D::min(),
                            D::max(),
                            D::lowest(),
                            D::infinity(),
                            -D::infinity(),
                            D::quiet_NaN(),
                            D::signaling_NaN(),
                            std::bit_cast<double>(std::uint64_t{0xfff8dead0000beef}),
                            0.1,
                            0.0,
                            1.0 / 3.0};
  const float floats[] = {-0.0f,          F::denorm_min(), F::min(),
                          F::max(),       F::lowest(),     F::infinity(),
                          -F::infinity(), F::quiet_NaN(),  std::bit_cast<float>(std::uint32_t{0xff800001}),
                          0.1f,           1.0f / 3.0f};
  const auto special_double = filled<SpecialDouble>(doubles);
  const auto special_float = filled<SpecialFloat>(floats);
  ctnn::emit_header(special_double, out / "special_double.hpp", "special_double");
  ctnn::emit_header(special_float, out / "special_float.hpp", "special_float");

  std::string expected =
      "#pragma once\n"
      "// Generated by emit_header.generator: what the runtime model computes.\n"
      "\n"
      "#include <cstdint>\n"
      "\n"
      "namespace expected {\n"
      "\n"
      "/// The runtime model's predictions on the XOR inputs, in datasets::xor_gate() order.\n"
      "inline constexpr double predictions[4] = {";
  const auto data = ctnn::datasets::xor_gate();
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double y = trained.predict(data.samples[i].input)[0];
    std::printf("generator: %g XOR %g => %.4f\n", data.samples[i].input[0], data.samples[i].input[1], y);
    expected += (i > 0 ? ", " : "") + hex_float(y);
  }
  expected += "};\n\n";
  expected += "/// The standardising model's predictions on raw_xor()'s inputs, and its layer's values.\n";
  expected += "inline constexpr double scaled_predictions[4] = {";
  for (std::size_t i = 0; i < raw.size(); ++i)
    expected += (i > 0 ? ", " : "") + hex_float(scaled.predict(raw.samples[i].input)[0]);
  expected += "};\n";
  const auto& standardize = scaled.layer<0>();
  expected += "inline constexpr double scaled_mean[2] = {" + hex_float(standardize.mean[0]) + ", " +
              hex_float(standardize.mean[1]) + "};\n";
  expected += "inline constexpr double scaled_deviation[2] = {" + hex_float(standardize.deviation[0]) + ", " +
              hex_float(standardize.deviation[1]) + "};\n";
  expected +=
      "inline constexpr std::uint64_t scaled_fingerprint = " + hex_u64(parameter_fingerprint(scaled)) + "u;\n\n";
  expected += "inline constexpr std::uint64_t fingerprint = " + hex_u64(parameter_fingerprint(trained)) + "u;\n";
  expected +=
      "inline constexpr std::uint64_t external_fingerprint = " + hex_u64(parameter_fingerprint(external)) + "u;\n";
  expected += "inline constexpr double external_predictions[4] = {";
  for (std::size_t i = 0; i < data.size(); ++i)
    expected += (i > 0 ? ", " : "") + hex_float(external.predict(data.samples[i].input)[0]);
  expected += "};\n";
  expected +=
      "inline constexpr std::uint64_t special_double_fingerprint = " + hex_u64(parameter_fingerprint(special_double)) +
      "u;\n";
  expected +=
      "inline constexpr std::uint64_t special_float_fingerprint = " + hex_u64(parameter_fingerprint(special_float)) +
      "u;\n";
  expected += "\n}  // namespace expected\n";

  std::ofstream file(out / "expected.hpp", std::ios::binary | std::ios::trunc);
  file << expected;
  file.close();
  if (!file) {
    std::fprintf(stderr, "generator: cannot write %s\n", (out / "expected.hpp").string().c_str());
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "generator: %s\n", e.what());
  return 1;
}
