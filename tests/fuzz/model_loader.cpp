// libFuzzer target: arbitrary bytes as a model text, loaded into six network types (doubles and
// floats, one to three layers, every activation that has a name in the format, Standardize layers),
// and as a model file by load_into. A loader given garbage must throw ctnn::model_file_error and leave the network
// untouched; any other exception, crash, leak, overrun or undefined behaviour is a finding. A text it
// accepts must survive a round trip through model_text and model_header, and the file loader must
// agree with the text loader. Properties that fail call std::abort so that libFuzzer saves the input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include <ctnn/ctnn.hpp>

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using FloatNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, float>, ctnn::Dense<3, 1, ctnn::ReLU, float>>;
using Deep =
    ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 4, ctnn::ReLU>, ctnn::Dense<4, 1, ctnn::Identity>>;
using Scaled = ctnn::Network<ctnn::Standardize<2>, ctnn::Dense<2, 2, ctnn::Softplus>, ctnn::Dense<2, 2, ctnn::Softmax>>;
using FloatScaled = ctnn::Network<ctnn::Standardize<2, float>, ctnn::Dense<2, 1, ctnn::Sigmoid, float>>;
// Small enough that load_into's size bound (2304 bytes) is below libFuzzer's default input length.
using Tiny = ctnn::Network<ctnn::Dense<1, 1, ctnn::Identity>>;

[[noreturn]] void finding(const char* what, std::string_view text)
{
  std::fprintf(stderr, "fuzz_model_loader: %s (input of %zu bytes)\n", what, text.size());
  std::abort();
}

/// Loads text into a Net and checks the properties above; true when the text is a model of Net.
template <class Net>
bool check(std::string_view text)
{
  // Not all zeros, so "untouched" is checked against bits a successful load would change.
  const Net before = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{7});
  Net net = before;
  try {
    ctnn::load_model_text_into(net, text, "fuzz");
  } catch (const ctnn::model_file_error& error) {
    if (!bitwise_equal(net, before)) finding("a failed load changed the network", text);
    if (std::string_view(error.what()).empty()) finding("a model_file_error without a message", text);
    return false;
  }

  // Every valid text fits the bound load_into reads files with, so no valid file is refused for size.
  if (text.size() > ctnn::detail::model_file::max_file_size<Net>())
    finding("a text longer than load_into's bound was accepted", text);

  // What was loaded is written back and reads back to the same bits.
  const std::string written = ctnn::model_text(net);
  Net again = before;
  ctnn::load_model_text_into(again, written, "round trip");  // must not throw: propagates if it does
  if (!bitwise_equal(again, net)) finding("model_text of a loaded model reads back to other bits", text);
  if (ctnn::model_text(again) != written) finding("model_text is not stable across a round trip", text);

  // Any bits a file can hold (NaN payloads, subnormals, infinities) can be emitted as a header.
  if (ctnn::model_header(net, "fuzzed_model").empty()) finding("model_header returned nothing", text);
  return true;
}

/// A file of this process for load_into, removed at exit.
struct scratch_file {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("ctnn-fuzz-model-loader-" + std::to_string(static_cast<long>(::getpid())));
  ~scratch_file()
  {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

/// load_into (the file loader) must do what load_model_text_into does with the file's text, except
/// that a file longer than its bound is refused unread.
void check_file(std::string_view text)
{
  static const scratch_file file;
  std::ofstream(file.path, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));

  const Tiny before = ctnn::initialized<Tiny>(ctnn::Uniform01{}, ctnn::Seed{7});
  Tiny from_file = before;
  Tiny from_text = before;
  bool file_ok = true;
  bool text_ok = true;
  try {
    ctnn::load_into(from_file, file.path);
  } catch (const ctnn::model_file_error&) {
    file_ok = false;
  }
  try {
    ctnn::load_model_text_into(from_text, text);
  } catch (const ctnn::model_file_error&) {
    text_ok = false;
  }
  if (file_ok != text_ok) finding("load_into and load_model_text_into disagree on the same text", text);
  if (!bitwise_equal(from_file, from_text)) finding("load_into and load_model_text_into loaded other bits", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check<Xor>(text);
  check<FloatNet>(text);
  check<Deep>(text);
  check<Scaled>(text);
  check<FloatScaled>(text);
  // Through a file only where the file loader has something of its own to get wrong (a whole model to
  // read, or a size near or past its bound): a file for every input costs three quarters of the speed.
  const bool tiny = check<Tiny>(text);
  if (tiny ||
      text.size() + ctnn::detail::model_file::max_line_length >= ctnn::detail::model_file::max_file_size<Tiny>())
    check_file(text);
  return 0;
}
