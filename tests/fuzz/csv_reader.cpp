// libFuzzer target: arbitrary bytes as a CSV text, read by read_csv_text with four sets of options
// (scikit-learn's header with class labels, no header with numeric targets, named columns chosen by
// name, floats with ';' and chosen indices). The reader given garbage must throw ctnn::data_error
// with a message that names the source and a line; any other exception, crash, leak, overrun or
// undefined behaviour is a finding. A data set it accepts must hold finite numbers (one-hot targets
// for class labels) and survive a round trip: written back as CSV, it reads back to the same bits.
// Properties that fail call std::abort so that libFuzzer saves the input.

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <ctnn/ctnn.hpp>

namespace {

[[noreturn]] void finding(const char* what, std::string_view text)
{
  std::fprintf(stderr, "fuzz_csv_reader: %s (input of %zu bytes)\n", what, text.size());
  std::abort();
}

template <class T>
void append_number(std::string& out, T value)
{
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (result.ec != std::errc{}) std::abort();
  out.append(buffer, result.ptr);
}

template <std::size_t In, std::size_t Out, class T>
bool same_bits(const ctnn::RuntimeDataset<In, Out, T>& a, const ctnn::RuntimeDataset<In, Out, T>& b)
{
  if (a.size() != b.size()) return false;
  for (std::size_t s = 0; s < a.size(); ++s) {
    for (std::size_t i = 0; i < In; ++i)
      if (std::bit_cast<std::uint64_t>(double(a[s].input.values[i])) !=
          std::bit_cast<std::uint64_t>(double(b[s].input.values[i])))
        return false;
    for (std::size_t k = 0; k < Out; ++k)
      if (std::bit_cast<std::uint64_t>(double(a[s].target.values[k])) !=
          std::bit_cast<std::uint64_t>(double(b[s].target.values[k])))
        return false;
  }
  return true;
}

template <std::size_t In, std::size_t Out, class T>
void check(std::string_view text, const ctnn::CsvOptions& options)
{
  ctnn::RuntimeDataset<In, Out, T> data;
  try {
    data = ctnn::read_csv_text<In, Out, T>(text, "fuzz.csv", options);
  } catch (const ctnn::data_error& error) {
    const std::string_view message = error.what();
    if (!message.starts_with("ctnn: fuzz.csv, line "))
      finding("a data_error that does not name the file and line", text);
    if (error.line() == 0) finding("a data_error about a text without a line", text);
    return;
  }
  if (data.size() == 0) finding("an empty data set was accepted", text);

  std::string written;
  for (const auto& sample : data) {
    std::size_t ones = 0;
    for (T value : sample.input.values)
      if (!ctnn::math::isfinite(value)) finding("a non-finite input was accepted", text);
    for (T value : sample.target.values) {
      if (!ctnn::math::isfinite(value)) finding("a non-finite target was accepted", text);
      ones += value == T(1) ? 1 : 0;
      if (options.targets == ctnn::CsvTargets::class_label && value != T(0) && value != T(1))
        finding("a class label became a target other than one-hot", text);
    }
    if (options.targets == ctnn::CsvTargets::class_label && ones != 1)
      finding("a class label became a target other than one-hot", text);
    for (T value : sample.input.values) {
      append_number(written, value);
      written += ',';
    }
    for (std::size_t k = 0; k < Out; ++k) {
      append_number(written, sample.target.values[k]);
      written += k + 1 < Out ? ',' : '\n';
    }
  }
  // Written back in the default layout (targets as numbers), it reads back to the same bits.
  const auto again = ctnn::read_csv_text<In, Out, T>(written, "round trip");  // must not throw
  if (!same_bits(data, again)) finding("a data set written back as CSV reads back to other bits", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  using ctnn::CsvHeader;
  using ctnn::CsvTargets;
  check<4, 3, double>(text, {.header = CsvHeader::sklearn, .targets = CsvTargets::class_label});
  check<2, 1, double>(text, {});
  check<1, 2, double>(text, {.header = CsvHeader::names, .input_columns = {"x"}, .target_columns = {"b", "a"}});
  check<1, 2, float>(text, {.separator = ';', .input_columns = {2}, .target_columns = {0, 1}});
  return 0;
}
