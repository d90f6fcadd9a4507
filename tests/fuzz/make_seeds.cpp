// Writes the seed corpus of fuzz_model_loader (tests/fuzz/corpus/model_loader/): a valid model text of
// each network type the fuzzer loads, one with special values, and near misses that each break one
// rule of the format (a checksum that does not match, a version-1 file, a missing checksum line...). Run by hand after
// the format or the fuzzer's network types change:
//   build/fuzz/tests/fuzz/fuzz_make_seeds tests/fuzz/corpus/model_loader

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>

#include <ctnn/ctnn.hpp>

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using FloatNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, float>, ctnn::Dense<3, 1, ctnn::ReLU, float>>;
using Deep =
    ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 4, ctnn::ReLU>, ctnn::Dense<4, 1, ctnn::Identity>>;
using Scaled = ctnn::Network<ctnn::Standardize<2>, ctnn::Dense<2, 2, ctnn::Softplus>, ctnn::Dense<2, 2, ctnn::Softmax>>;
using FloatScaled = ctnn::Network<ctnn::Standardize<2, float>, ctnn::Dense<2, 1, ctnn::Sigmoid, float>>;
using Tiny = ctnn::Network<ctnn::Dense<1, 1, ctnn::Identity>>;

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

/// text with its checksum line made that of net's values (after with_parameter() changed one).
template <class Net>
std::string with_checksum_of(std::string text, const Net& net)
{
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(parameter_fingerprint(net)));
  text.replace(text.rfind("\nchecksum ") + 10, 16, digits);
  return text;
}

/// text with its k-th (0-based) parameter line replaced by value.
std::string with_parameter(std::string text, std::size_t k, const std::string& value)
{
  std::size_t at = text.find("\nparameters ");
  at = text.find('\n', at + 1) + 1;
  for (std::size_t i = 0; i < k; ++i) at = text.find('\n', at) + 1;
  text.replace(at, text.find('\n', at) - at, value);
  return text;
}

}  // namespace

int main(int argc, char** argv)
{
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds DIRECTORY\n");
    return 2;
  }
  const std::string dir = argv[1];
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
  };

  const std::string xor_text = ctnn::model_text(ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024}));
  write("valid_xor_double", xor_text);
  write("valid_float", ctnn::model_text(ctnn::initialized<FloatNet>(ctnn::Uniform01{}, ctnn::Seed{1})));
  const std::string tiny_text = ctnn::model_text(ctnn::initialized<Tiny>(ctnn::Uniform01{}, ctnn::Seed{3}));
  write("valid_tiny", tiny_text);
  // The longest lines a reader takes (255 characters), near the file loader's size bound.
  const std::string long_value = "0." + std::string(252, '0') + "1";
  Tiny tiny_long = ctnn::initialized<Tiny>(ctnn::Uniform01{}, ctnn::Seed{3});
  tiny_long.layer<0>().weights.values[0] = tiny_long.layer<0>().bias.values[0] =
      std::strtod(long_value.c_str(), nullptr);
  write("valid_tiny_longest_lines",
        with_checksum_of(with_parameter(with_parameter(tiny_text, 0, long_value), 1, long_value), tiny_long));
  write("valid_deep_double", ctnn::model_text(ctnn::initialized<Deep>(ctnn::Uniform01{}, ctnn::Seed{2})));

  // -0, a subnormal, infinities, a quiet NaN with a payload and a negative signalling NaN.
  Xor special{};
  auto& w = special.layer<0>().weights.values;
  w[0] = -0.0;
  w[1] = std::numeric_limits<double>::denorm_min();
  w[2] = std::numeric_limits<double>::infinity();
  w[3] = -std::numeric_limits<double>::infinity();
  w[4] = std::bit_cast<double>(std::uint64_t{0x7ff8000000000123});
  w[5] = std::bit_cast<double>(std::uint64_t{0xfff0000000000001});
  special.layer<1>().bias.values[0] = std::numeric_limits<double>::max();
  write("valid_xor_special_values", ctnn::model_text(special));

  // Standardize layers, with a mean and deviation as measured on data.
  Scaled scaled = ctnn::initialized<Scaled>(ctnn::XavierUniform{}, ctnn::Seed{4});
  scaled.layer<0>() = {{{5.843333333333333, -3.0573333333333332}}, {{0.8253012917851409, 0.4344109677354946}}};
  const std::string scaled_text = ctnn::model_text(scaled);
  write("valid_scaled_double", scaled_text);
  FloatScaled float_scaled = ctnn::initialized<FloatScaled>(ctnn::HeNormal{}, ctnn::Seed{5});
  float_scaled.layer<0>() = {{{1000.5f, -0.0f}}, {{250.0f, 1e-3f}}};
  write("valid_scaled_float", ctnn::model_text(float_scaled));

  // Near misses: each is a valid text with one rule broken.
  write("bad_version", replaced(xor_text, "ctnn-model 2", "ctnn-model 3"));
  // What ctnn 0.1 wrote: format version 1, without the checksum line.
  std::string version_1 = replaced(xor_text, "ctnn-model 2", "ctnn-model 1");
  version_1.erase(version_1.rfind("\nchecksum ") + 1, 26);
  write("bad_version_1", version_1);
  write("bad_missing_checksum", replaced(xor_text, xor_text.substr(xor_text.rfind("\nchecksum ") + 1, 26), ""));
  write("bad_checksum", with_parameter(xor_text, 4, "0.123"));
  write("bad_checksum_scaled", with_parameter(scaled_text, 1, "-3.0573"));
  write("bad_checksum_upper_case",
        replaced(xor_text, xor_text.substr(xor_text.rfind("\nchecksum ") + 1, 10), "checksum A"));
  write("bad_standardize_activation", replaced(scaled_text, "Standardize 2 2", "Standardize 2 2 linear"));
  // A deviation of zero, with a checksum that matches: the layer would divide by it.
  Scaled zero_deviation = scaled;
  zero_deviation.layer<0>().deviation.values[0] = 0.0;
  write("bad_standardize_deviation", with_checksum_of(with_parameter(scaled_text, 2, "0"), zero_deviation));
  write("bad_standardize_kind", replaced(scaled_text, "Standardize 2 2", "Dense 2 2 linear"));
  write("bad_scalar", replaced(xor_text, "scalar double", "scalar float"));
  write("bad_layer_count", replaced(xor_text, "layers 2", "layers 3"));
  write("bad_activation", replaced(xor_text, "3 1 sigmoid", "3 1 tanh"));
  write("bad_parameter_count", replaced(xor_text, "parameters 13", "parameters 12"));
  write("bad_bare_nan", with_parameter(xor_text, 0, "nan"));
  write("bad_nan_not_a_nan", with_parameter(xor_text, 1, "nan:0x3ff0000000000000"));
  write("bad_out_of_range", with_parameter(xor_text, 2, "1e400"));
  write("bad_crlf", replaced(xor_text, "layers 2\n", "layers 2\r\n"));
  write("bad_double_space", replaced(xor_text, "layer 1 Dense", "layer 1  Dense"));
  write("bad_trailing_data", xor_text + "extra\n");
  write("bad_missing_end", xor_text.substr(0, xor_text.size() - 4));
  write("bad_no_final_newline", xor_text.substr(0, xor_text.size() - 1));
  write("bad_long_line", with_parameter(xor_text, 3, std::string(300, '1')));
  // Spellings from_chars reads that save() never writes.
  Xor other_spellings = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024});
  other_spellings.layer<0>().weights.values[0] = 1.5;
  other_spellings.layer<1>().bias.values[0] = -std::numeric_limits<double>::infinity();
  write("valid_other_spellings",
        with_checksum_of(with_parameter(with_parameter(xor_text, 0, "15e-1"), 12, "-infinity"), other_spellings));
  return 0;
}
