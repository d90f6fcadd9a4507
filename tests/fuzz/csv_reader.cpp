// libFuzzer target: arbitrary bytes as a CSV text, read by read_csv_text with seven sets of options
// (scikit-learn's header with class labels; no header with numeric targets; named columns chosen by
// name; floats with ';' and chosen indices; class labels as names or integers with missing rows
// dropped; labels in first-seen order with missing numbers filled; given class names for one output).
// The reader given garbage must throw ctnn::data_error with a message that names the source and a
// line; any other exception, crash, leak, overrun or undefined behaviour is a finding. A data set it
// accepts must hold finite numbers (one-hot targets, or 0 or 1 for one output, for class labels),
// valid class names and a report that adds up, and survive a round trip: written back by
// write_csv_text (numbers, and class names when it has them), it reads back to the same bits and
// names. Properties that fail call std::abort so that libFuzzer saves the input.

#include <bit>
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
  ctnn::CsvReport report;
  try {
    data = ctnn::read_csv_text<In, Out, T>(text, "fuzz.csv", options, report);
  } catch (const ctnn::data_error& error) {
    const std::string_view message = error.what();
    if (!message.starts_with("ctnn: fuzz.csv, line "))
      finding("a data_error that does not name the file and line", text);
    if (error.line() == 0) finding("a data_error about a text without a line", text);
    return;
  }
  if (data.size() == 0) finding("an empty data set was accepted", text);
  if (report.rows != data.size() + report.dropped_rows || report.dropped_lines.size() != report.dropped_rows)
    finding("the report's rows do not add up", text);
  if (options.na_policy != ctnn::CsvNaPolicy::drop_row && report.dropped_rows != 0)
    finding("a row was dropped without na_policy drop_row", text);

  const bool class_label = options.targets == ctnn::CsvTargets::class_label;
  const auto& names = data.class_names();
  if (!names.empty() && names.size() != ctnn::class_count(Out)) finding("class names of the wrong count", text);
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c].empty()) finding("an empty class name", text);
    for (std::size_t other = 0; other < c; ++other)
      if (names[other] == names[c]) finding("two classes of the same name", text);
  }
  for (const auto& sample : data) {
    std::size_t ones = 0;
    for (T value : sample.input.values)
      if (!ctnn::math::isfinite(value)) finding("a non-finite input was accepted", text);
    for (T value : sample.target.values) {
      if (!ctnn::math::isfinite(value)) finding("a non-finite target was accepted", text);
      ones += value == T(1) ? 1 : 0;
      if (class_label && value != T(0) && value != T(1))
        finding("a class label became a target other than one-hot", text);
    }
    if (class_label && Out > 1 && ones != 1) finding("a class label became a target other than one-hot", text);
  }

  // Written back in the default layout (targets as numbers), it reads back to the same bits.
  const std::string numbers = ctnn::write_csv_text(data, {.header = false, .targets = ctnn::CsvTargets::values});
  if (!same_bits(data, ctnn::read_csv_text<In, Out, T>(numbers, "round trip")))  // must not throw
    finding("a data set written back as CSV reads back to other bits", text);
  if (names.empty()) return;
  // With its class names: the same bits and the same names.
  const auto again = ctnn::read_csv_text<In, Out, T>(
      ctnn::write_csv_text(data), "round trip",
      {.header = ctnn::CsvHeader::names, .targets = ctnn::CsvTargets::class_label, .class_names = names});
  if (!same_bits(data, again) || again.class_names() != names)
    finding("a data set written back with class names reads back to other bits or names", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  using ctnn::CsvClassOrder;
  using ctnn::CsvHeader;
  using ctnn::CsvNaPolicy;
  using ctnn::CsvTargets;
  check<4, 3, double>(text, {.header = CsvHeader::sklearn, .targets = CsvTargets::class_label});
  check<2, 1, double>(text, {});
  check<1, 2, double>(text, {.header = CsvHeader::names, .input_columns = {"x"}, .target_columns = {"b", "a"}});
  check<1, 2, float>(text, {.separator = ';', .input_columns = {2}, .target_columns = {0, 1}});
  check<1, 3, double>(text, {.targets = CsvTargets::class_label, .na_policy = CsvNaPolicy::drop_row});
  check<2, 2, float>(text, {.header = CsvHeader::names,
                            .targets = CsvTargets::class_label,
                            .input_columns = {"x", 1},
                            .target_columns = {"label"},
                            .class_order = CsvClassOrder::first_seen,
                            .na_policy = CsvNaPolicy::fill,
                            .na_fill = -1.5});
  check<1, 1, double>(text, {.header = CsvHeader::names,
                             .targets = CsvTargets::class_label,
                             .class_names = {"NA", "yes"},
                             .na_values = {"", "?", "n/a"},
                             .na_policy = CsvNaPolicy::drop_row});
  return 0;
}
