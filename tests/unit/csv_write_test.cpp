// write_csv / write_csv_text: any IndexedDataset as CSV, which read_csv reads back to the same bits;
// class labels as names when the data set has them.

#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctnn/csv.hpp>

namespace {

using ctnn::CsvHeader;
using ctnn::CsvOptions;
using ctnn::CsvTargets;

template <class T>
auto bits(T value)
{
  if constexpr (sizeof(T) == 8)
    return std::bit_cast<std::uint64_t>(value);
  else
    return std::bit_cast<std::uint32_t>(value);
}

template <class A, class B>
void check_same_bits(const A& a, const B& b)
{
  REQUIRE(a.size() == b.size());
  for (std::size_t s = 0; s < a.size(); ++s) {
    for (std::size_t i = 0; i < A::inputs; ++i) CHECK(bits(a[s].input.values[i]) == bits(b[s].input.values[i]));
    for (std::size_t k = 0; k < A::outputs; ++k) CHECK(bits(a[s].target.values[k]) == bits(b[s].target.values[k]));
  }
}

/// Values that are hard to write: signed zeros, subnormals, the extremes, and many digits.
template <class T>
std::vector<T> awkward_values()
{
  using limits = std::numeric_limits<T>;
  return {T(0),          -T(0),         limits::denorm_min(), -limits::denorm_min(),
          limits::min(), limits::max(), -limits::max(),       T(0.1),
          T(1) / T(3),   T(-2.5e-7),    T(123456789),         limits::epsilon()};
}

template <class T>
ctnn::RuntimeDataset<2, 2, T> awkward_data()
{
  const auto values = awkward_values<T>();
  ctnn::RuntimeDataset<2, 2, T> data;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ctnn::Sample<T, 2, 2> sample{};
    sample.input.values[0] = values[i];
    sample.input.values[1] = values[(i + 5) % values.size()];
    sample.target.values[0] = values[(i + 7) % values.size()];
    sample.target.values[1] = -values[(i + 3) % values.size()];
    data.push_back(sample);
  }
  return data;
}

}  // namespace

TEST_CASE("csv write: numbers read back to the same bits, for double and float")
{
  const auto doubles = awkward_data<double>();
  const std::string text = ctnn::write_csv_text(doubles);
  CHECK(text.substr(0, text.find('\n')) == "x0,x1,y0,y1");
  check_same_bits(doubles, ctnn::read_csv_text<2, 2>(text, "t.csv", {.header = CsvHeader::names}));
  const auto floats = awkward_data<float>();
  check_same_bits(
      floats, ctnn::read_csv_text<2, 2, float>(ctnn::write_csv_text(floats), "t.csv", {.header = CsvHeader::names}));
  CHECK(ctnn::write_csv_text(ctnn::datasets::xor_gate(), {.header = false}) == "0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
}

TEST_CASE("csv write: class labels as names when the data set has them, read back with those names")
{
  std::string text = "x,kind\n";
  const char* kinds[] = {"plain", "with, comma", "with \"quote\"", "caf\xc3\xa9", "NA"};
  for (int i = 0; i < 10; ++i)
    text += std::to_string(i) + ".5,\"" + [&] {
      std::string quoted;
      for (const char c : std::string(kinds[i % 5])) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted;
    }() + "\"\n";
  const auto data =
      ctnn::read_csv_text<1, 5>(text, "t.csv", {.header = CsvHeader::names, .targets = CsvTargets::class_label});
  REQUIRE(data.class_names().size() == 5);
  const std::string written = ctnn::write_csv_text(data, {.input_names = {"x"}, .target_names = {"kind"}});
  CHECK(written.substr(0, written.find('\n', written.find('\n') + 1)) == "x,kind\n0.5,plain");
  CHECK(written.find("\n1.5,\"with, comma\"\n2.5,\"with \"\"quote\"\"\"\n") != std::string::npos);
  const auto again = ctnn::read_csv_text<1, 5>(
      written, "t.csv",
      {.header = CsvHeader::names, .targets = CsvTargets::class_label, .class_names = data.class_names()});
  check_same_bits(data, again);
  CHECK(again.class_names() == data.class_names());
  // A split keeps the names, and so does what is written of it.
  const auto split = ctnn::stratified_split(data, 5, ctnn::Seed{4});
  check_same_bits(split.test, ctnn::read_csv_text<1, 5>(ctnn::write_csv_text(split.test), "t.csv",
                                                        {.header = CsvHeader::names,
                                                         .targets = CsvTargets::class_label,
                                                         .class_names = split.test.class_names()}));
}

TEST_CASE("csv write: class labels as indices without names, or targets as numbers on request")
{
  ctnn::RuntimeDataset<1, 3> data;
  data.push_back({{{1.0}}, {{0.0, 0.0, 1.0}}});
  data.push_back({{{2.0}}, {{1.0, 0.0, 0.0}}});
  CHECK(ctnn::write_csv_text(data, {.targets = CsvTargets::class_label}) == "x0,class\n1,2\n2,0\n");
  data.set_class_names({"a", "b", "c"});
  CHECK(ctnn::write_csv_text(data) == "x0,class\n1,c\n2,a\n");
  CHECK(ctnn::write_csv_text(data, {.targets = CsvTargets::values}) == "x0,y0,y1,y2\n1,0,0,1\n2,1,0,0\n");
  ctnn::RuntimeDataset<1, 1> binary({{{{0.5}}, {{1.0}}}, {{{-0.5}}, {{0.0}}}}, {"benign", "malignant"});
  CHECK(ctnn::write_csv_text(binary, {.separator = ';'}) == "x0;class\n0.5;malignant\n-0.5;benign\n");
  check_same_bits(binary, ctnn::read_csv_text<1, 1>(ctnn::write_csv_text(binary), "t.csv",
                                                    {.header = CsvHeader::names,
                                                     .targets = CsvTargets::class_label,
                                                     .class_names = {"benign", "malignant"}}));
}

TEST_CASE("csv write: a target that is no class, names that do not fit, and a file that cannot be written")
{
  using Catch::Matchers::Equals;
  ctnn::RuntimeDataset<1, 2> data({{{{1.0}}, {{0.0, 1.0}}}, {{{2.0}}, {{0.25, 0.75}}}}, {"a", "b"});
  CHECK_THROWS_WITH(
      ctnn::write_csv_text(data),
      Equals("ctnn: write_csv: the target of sample 1 is not a class (one-hot, or 0 or 1 for one output), "
             "so it cannot be written as a class label"));
  CHECK(ctnn::write_csv_text(data, {.header = false, .targets = CsvTargets::values}) == "1,0,1\n2,0.25,0.75\n");
  CHECK_THROWS_WITH(ctnn::write_csv_text(data, {.input_names = {"a", "b"}}),
                    Equals("ctnn: write_csv: input_names names 2 columns, but the data set writes 1 column there"));
  CHECK_THROWS_WITH(ctnn::write_csv_text(data, {.separator = '\n'}),
                    Equals("ctnn: write_csv: the separator cannot be a quote or a line break"));
  ctnn::RuntimeDataset<1, 2> spaced({{{{1.0}}, {{1.0, 0.0}}}}, {" a", "b"});
  CHECK_THROWS_WITH(
      ctnn::write_csv_text(spaced),
      Equals("ctnn: write_csv: class name ' a' has spaces or tabs around it, which read_csv would remove"));
  const auto missing_directory = std::filesystem::temp_directory_path() / "ctnn-no-such-directory" / "x.csv";
  CHECK_THROWS_AS(ctnn::write_csv(data, missing_directory, {.targets = CsvTargets::values}), ctnn::data_error);
}

TEST_CASE("csv write: write_csv writes the file that read_csv reads back")
{
  const auto path = std::filesystem::temp_directory_path() / "ctnn-csv-write-test.csv";
  const auto data = awkward_data<double>();
  ctnn::write_csv(data, path);
  const auto again = ctnn::read_csv<2, 2>(path, {.header = CsvHeader::names});
  std::filesystem::remove(path);
  check_same_bits(data, again);
}
