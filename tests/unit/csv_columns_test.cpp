// read_csv's columns: what a wrong column name's message suggests, and lines that end with a
// separator (a trailing comma).

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include <ctnn/csv.hpp>

namespace {

using ctnn::CsvHeader;
using ctnn::CsvOptions;

template <std::size_t In, std::size_t Out>
std::string message_of(std::string_view text, const CsvOptions& options)
{
  try {
    (void)ctnn::read_csv_text<In, Out>(text, "t.csv", options);
  } catch (const ctnn::data_error& error) {
    return error.what();
  }
  FAIL("read_csv_text accepted the text");
  return {};
}

const std::string penguins = "species,island,Beak Length (mm),Flipper Length (mm),sex\nAdelie,Biscoe,39.1,181,m\n";

}  // namespace

TEST_CASE("csv columns: a name that is not there gets the closest one and the list of columns")
{
  CHECK(message_of<1, 1>(penguins, {.header = CsvHeader::names,
                                    .input_columns = {"Flipper Length"},
                                    .target_columns = {"Beak Length (mm)"}}) ==
        "ctnn: t.csv, line 1: expected a column named 'Flipper Length' (an input), found none; the closest is 'Flipper "
        "Length (mm)'; the columns are 'species', 'island', 'Beak Length (mm)', 'Flipper Length (mm)', 'sex'");
  // Letters are compared without case.
  CHECK(message_of<1, 1>(penguins, {.header = CsvHeader::names, .input_columns = {"SEX"}, .target_columns = {4}}) ==
        "ctnn: t.csv, line 1: expected a column named 'SEX' (an input), found none; the closest is 'sex'; the columns "
        "are 'species', 'island', 'Beak Length (mm)', 'Flipper Length (mm)', 'sex'");
  // Nothing near: only the list.
  CHECK(message_of<1, 1>(penguins, {.header = CsvHeader::names, .input_columns = {"weight"}, .target_columns = {4}}) ==
        "ctnn: t.csv, line 1: expected a column named 'weight' (an input), found none; the columns are 'species', "
        "'island', 'Beak Length (mm)', 'Flipper Length (mm)', 'sex'");
  // Many columns: the closest, and how many there are.
  std::string wide;
  for (int i = 0; i < 13; ++i) wide += (i ? ",feature_" : "feature_") + std::to_string(i);
  wide += "\n1";
  for (int i = 0; i < 12; ++i) wide += ",1";
  wide += "\n";
  CHECK(message_of<1, 1>(wide, {.header = CsvHeader::names, .input_columns = {"feature_13"}, .target_columns = {0}}) ==
        "ctnn: t.csv, line 1: expected a column named 'feature_13' (an input), found none; the closest is "
        "'feature_1'; the file has 13 columns");
}

TEST_CASE("csv columns: a separator at the end of every line, the header's included, is no column")
{
  const std::string text = "x,y,z,\n1,2,3,\n4,5,6,\n";
  const auto by_default = ctnn::read_csv_text<2, 1>(text, "t.csv", {.header = CsvHeader::names});
  const auto by_name = ctnn::read_csv_text<2, 1>(
      text, "t.csv", {.header = CsvHeader::names, .input_columns = {"x", "y"}, .target_columns = {"z"}});
  const auto by_index = ctnn::read_csv_text<2, 1>(
      text, "t.csv", {.header = CsvHeader::names, .input_columns = {0, 1}, .target_columns = {2}});
  const auto no_header = ctnn::read_csv_text<2, 1>("1,2,3,\r\n4,5,6,\r\n", "t.csv");
  for (const auto* data : {&by_default, &by_name, &by_index, &no_header}) {
    REQUIRE(data->size() == 2);
    CHECK((*data)[1].input.values[0] == 4.0);
    CHECK((*data)[1].target.values[0] == 6.0);
  }
  // Not a column: it cannot be chosen.
  CHECK(message_of<1, 1>(text, {.header = CsvHeader::names, .input_columns = {3}, .target_columns = {2}}) ==
        "ctnn: t.csv, line 1: expected a column 3 (counting from 0; an input), found 3 columns");
  // A trailing separator on some rows only is read the same way.
  CHECK(ctnn::read_csv_text<2, 1>("1,2,3\n4,5,6,\n", "t.csv").size() == 2);
}

TEST_CASE("csv columns: an empty last field in quotes, or one more than a trailing separator, is a field")
{
  CHECK(message_of<2, 1>("1,2,3,\"\"\n", {}) ==
        "ctnn: t.csv, line 1, column 4: expected 3 columns (2 inputs and 1 target), found 4");
  CHECK(message_of<2, 1>("1,2,3,,\n", {}) ==
        "ctnn: t.csv, line 1, column 4: expected 3 columns (2 inputs and 1 target), found 5");
  // A missing last value is no trailing separator: the row has no field too many.
  CHECK(message_of<2, 1>("1,2,\n", {}) == "ctnn: t.csv, line 1, column 3: expected a number, found an empty field");
  // The header's last name in quotes is a column, even when empty; without quotes it is not.
  CHECK(ctnn::read_csv_text<1, 1>("x,\"\"\n1,2\n", "t.csv", {.header = CsvHeader::names})[0].target.values[0] == 2.0);
  CHECK(message_of<1, 1>("x,\n1,2\n", {.header = CsvHeader::names}) ==
        "ctnn: t.csv, line 1, column 2: expected 2 columns (1 input and 1 target), found 1");
}
