// read_csv's missing values: na_values, and the policies error (ctnn 0.2's messages), drop_row (with
// the CsvReport) and fill.

#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ctnn/csv.hpp>

namespace {

using ctnn::CsvHeader;
using ctnn::CsvNaPolicy;
using ctnn::CsvOptions;
using ctnn::CsvTargets;
using Lines = std::vector<std::size_t>;

template <std::size_t In, std::size_t Out, class T = double>
std::string message_of(std::string_view text, const CsvOptions& options)
{
  try {
    (void)ctnn::read_csv_text<In, Out, T>(text, "t.csv", options);
  } catch (const ctnn::data_error& error) {
    return error.what();
  }
  FAIL("read_csv_text accepted the text");
  return {};
}

const CsvOptions drop{.header = CsvHeader::names, .na_policy = CsvNaPolicy::drop_row};

}  // namespace

TEST_CASE("csv missing: by default nothing is missing, and each spelling gets ctnn 0.2's message")
{
  const CsvOptions names{.header = CsvHeader::names};
  CHECK(message_of<1, 1>("x,y\n1,NA\n", names) == "ctnn: t.csv, line 2, column 2 ('y'): expected a number, found 'NA'");
  CHECK(message_of<1, 1>("x,y\n1,\n", names) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a number, found an empty field");
  CHECK(message_of<1, 1>("x,y\nNaN,1\n", names) ==
        "ctnn: t.csv, line 2, column 1 ('x'): expected a finite number, found 'NaN'");
  CHECK(message_of<1, 1>("x,y\n?,1\n", names) == "ctnn: t.csv, line 2, column 1 ('x'): expected a number, found '?'");
  CHECK(message_of<1, 1>("x,y\nnull,1\n", names) ==
        "ctnn: t.csv, line 2, column 1 ('x'): expected a number, found 'null'");
}

TEST_CASE("csv missing: drop_row leaves out every row with a missing value in a column it reads, and reports it")
{
  const std::string text =
      "name,x,y,z\n"
      "a,1,10,100\n"
      "NA,2,NA,200\n"    // line 3: y missing
      "c,,30,300\n"      // line 4: x missing (the empty field)
      "d,4,40,\"NA\"\n"  // line 5: z missing, quoted
      "e,\" ? \",50,\tnull \n"
      "f,6,NaN,600\n"
      "g,7,70,700\n";
  ctnn::CsvReport report;
  const auto data = ctnn::read_csv_text<2, 1>(text, "t.csv",
                                              {.header = CsvHeader::names,
                                               .input_columns = {"x", "y"},
                                               .target_columns = {"z"},
                                               .na_policy = CsvNaPolicy::drop_row},
                                              report);
  REQUIRE(data.size() == 2);
  CHECK(data[0].input.values[1] == 10.0);
  CHECK(data[1].target.values[0] == 700.0);
  CHECK(report.rows == 7);
  CHECK(report.dropped_rows == 5);
  CHECK(report.dropped_lines == Lines{3, 4, 5, 6, 7});
  CHECK(report.filled_values == 0);
  CHECK(report.missing_inputs == std::vector<std::size_t>{2, 2});  // x: lines 4, 6; y: lines 3, 7
  CHECK(report.missing_targets == std::vector<std::size_t>{2});    // z: lines 5, 6
  // The unread column "name" may hold anything.
}

TEST_CASE("csv missing: a dropped row still has to be well formed, and a malformed field is no missing value")
{
  CHECK(message_of<1, 1>("x,y\nNA,oops\n", drop) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a number, found 'oops'");
  CHECK(message_of<1, 1>("x,y\nNA,1,2\n", drop) ==
        "ctnn: t.csv, line 2, column 3: expected 2 columns (1 input and 1 target), found 3");
  CHECK(message_of<1, 1>("x,y\nnan,1\n", drop) ==
        "ctnn: t.csv, line 2, column 1 ('x'): expected a finite number, found 'nan'");  // not pandas' 'nan'
  CHECK(message_of<1, 1>("x,y\nNA,1\n2,NA\n", drop) ==
        "ctnn: t.csv, line 2: expected a data row without a missing value (na_policy drop_row), found none in 2 rows");
}

TEST_CASE("csv missing: a missing class label drops its row, and so does a missing input, before its label is read")
{
  ctnn::CsvReport report;
  const auto data = ctnn::read_csv_text<1, 2>(
      "x,y\n1,a\n2,NA\n3,b\nNA,zebra\n4,\n", "t.csv",
      {.header = CsvHeader::names, .targets = CsvTargets::class_label, .na_policy = CsvNaPolicy::drop_row}, report);
  REQUIRE(data.size() == 2);
  CHECK(data.class_names() == std::vector<std::string>{"a", "b"});  // 'zebra' was in a dropped row
  CHECK(report.dropped_lines == Lines{3, 5, 6});
  CHECK(report.missing_targets == std::vector<std::size_t>{2});
  CHECK(report.missing_inputs == std::vector<std::size_t>{1});
}

TEST_CASE("csv missing: a given class name is a class even when it spells a missing value")
{
  const auto data = ctnn::read_csv_text<1, 2>("x,region\n1,NA\n2,EU\n3,?\n", "t.csv",
                                              {.header = CsvHeader::names,
                                               .targets = CsvTargets::class_label,
                                               .class_names = {"EU", "NA"},
                                               .na_policy = CsvNaPolicy::drop_row});
  REQUIRE(data.size() == 2);
  CHECK(data[0].target.values[1] == 1.0);
  CHECK(data[1].target.values[0] == 1.0);
}

TEST_CASE("csv missing: fill puts na_fill in place of a missing number, in the scalar type")
{
  ctnn::CsvReport report;
  const auto data =
      ctnn::read_csv_text<2, 1>("1,NA,3\n?,5,\n", "t.csv", {.na_policy = CsvNaPolicy::fill, .na_fill = -0.1}, report);
  REQUIRE(data.size() == 2);
  CHECK(data[0].input.values[1] == -0.1);
  CHECK(data[1].input.values[0] == -0.1);
  CHECK(data[1].target.values[0] == -0.1);
  CHECK(report.filled_values == 3);
  CHECK(report.dropped_rows == 0);
  const auto floats =
      ctnn::read_csv_text<1, 1, float>("NA,1\n", "t.csv", {.na_policy = CsvNaPolicy::fill, .na_fill = 0.1});
  CHECK(std::bit_cast<std::uint32_t>(floats[0].input.values[0]) == std::bit_cast<std::uint32_t>(0.1f));
}

TEST_CASE("csv missing: fill cannot fill a class label")
{
  CHECK(
      message_of<1, 2>(
          "x,y\n1,a\n2,NA\n",
          {.header = CsvHeader::names, .targets = CsvTargets::class_label, .na_policy = CsvNaPolicy::fill}) ==
      "ctnn: t.csv, line 3, column 2 ('y'): expected a class label, found 'NA', a missing value, which na_policy fill "
      "cannot fill (it fills numbers)");
}

TEST_CASE("csv missing: other spellings, and none")
{
  const CsvOptions sentinel{.header = CsvHeader::names, .na_values = {"-999"}, .na_policy = CsvNaPolicy::drop_row};
  const auto data = ctnn::read_csv_text<1, 1>("x,y\n-999,1\n3,2\n", "t.csv", sentinel);
  REQUIRE(data.size() == 1);
  CHECK(data[0].input.values[0] == 3.0);
  CHECK(message_of<1, 1>("x,y\n-999,1\nNA,2\n", sentinel) ==
        "ctnn: t.csv, line 3, column 1 ('x'): expected a number, found 'NA'");
  const CsvOptions none{.header = CsvHeader::names, .na_values = {}, .na_policy = CsvNaPolicy::drop_row};
  CHECK(message_of<1, 1>("x,y\n1,\n", none) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a number, found an empty field");
}

TEST_CASE("csv missing: scikit-learn's sample count counts the dropped rows, and options that cannot work")
{
  const auto data = ctnn::read_csv_text<1, 2>(
      "3,1,a,b\n1,0\nNA,1\n3,1\n", "t.csv",
      {.header = CsvHeader::sklearn, .targets = CsvTargets::class_label, .na_policy = CsvNaPolicy::drop_row});
  CHECK(data.size() == 2);
  using Catch::Matchers::Equals;
  CHECK_THROWS_WITH(
      (ctnn::read_csv_text<1, 1, float>("1,2\n", "t.csv", {.na_policy = CsvNaPolicy::fill, .na_fill = 1e300})),
      Equals("ctnn: read_csv: na_fill is not a number a float can hold"));
  CHECK(ctnn::read_csv_text<1, 1>("NA,2\n", "t.csv", {.na_policy = CsvNaPolicy::fill, .na_fill = 1e300})[0]
            .input.values[0] == 1e300);
  CHECK_THROWS_WITH(
      (ctnn::read_csv_text<1, 1>(
          "1,2\n", "t.csv", {.na_policy = CsvNaPolicy::fill, .na_fill = std::numeric_limits<double>::quiet_NaN()})),
      Equals("ctnn: read_csv: na_fill must be a finite number"));
}
