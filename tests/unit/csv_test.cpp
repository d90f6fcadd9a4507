#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <ctnn/ctnn.hpp>
#include <ctnn/datasets/iris.hpp>

namespace {

using ctnn::CsvHeader;
using ctnn::CsvOptions;
using ctnn::CsvTargets;

/// The data_error that reading text throws: its message, line and column.
struct Failure {
  std::string message;
  std::size_t line = 0;
  std::size_t column = 0;
};

template <std::size_t In, std::size_t Out, class T = double>
Failure failure_of(std::string_view text, const CsvOptions& options = {})
{
  try {
    (void)ctnn::read_csv_text<In, Out, T>(text, "t.csv", options);
  } catch (const ctnn::data_error& error) {
    CHECK(error.source() == "t.csv");
    return {error.what(), error.line(), error.column()};
  }
  FAIL("read_csv_text accepted the text");
  return {};
}

template <std::size_t In, std::size_t Out>
void check_sample(const ctnn::Sample<double, In, Out>& sample, const double (&input)[In], const double (&target)[Out])
{
  for (std::size_t i = 0; i < In; ++i) CHECK(sample.input.values[i] == input[i]);
  for (std::size_t i = 0; i < Out; ++i) CHECK(sample.target.values[i] == target[i]);
}

const CsvOptions sklearn_classes{.header = CsvHeader::sklearn, .targets = CsvTargets::class_label};

}  // namespace

TEST_CASE("csv: by default the first In columns are inputs and the next Out targets, in file order")
{
  const auto data = ctnn::read_csv_text<2, 1>("1.5,-2,0.25\n3e2,.5,-0\n", "t.csv");
  REQUIRE(data.size() == 2);
  check_sample(data[0], {1.5, -2.0}, {0.25});
  check_sample(data[1], {300.0, 0.5}, {-0.0});
  CHECK(std::signbit(data[1].target.values[0]));
}

TEST_CASE("csv: numbers are read exactly, as the compiler reads the same literals, for float and double")
{
  const auto doubles = ctnn::read_csv_text<2, 1>("0.1,5e-324,1.7976931348623157e308\n", "t.csv");
  CHECK(doubles[0].input.values[0] == 0.1);
  CHECK(doubles[0].input.values[1] == 5e-324);
  CHECK(doubles[0].target.values[0] == 1.7976931348623157e308);
  const auto floats = ctnn::read_csv_text<2, 1, float>("0.1,16777217,3.4028235e38\n", "t.csv");
  CHECK(floats[0].input.values[0] == 0.1f);
  CHECK(floats[0].input.values[1] == 16777216.0f);  // the float nearest to 2^24 + 1, rounded to even
  CHECK(floats[0].target.values[0] == 3.4028235e38f);
}

TEST_CASE("csv: CRLF line ends, a last line without a line end, blank lines at the end, spaces around numbers")
{
  const auto crlf = ctnn::read_csv_text<1, 1>("1,2\r\n3,4\r\n", "t.csv");
  const auto no_final_newline = ctnn::read_csv_text<1, 1>("1,2\n3,4", "t.csv");
  const auto trailing_blank_lines = ctnn::read_csv_text<1, 1>("1,2\n3,4\n\r\n\n", "t.csv");
  const auto spaces = ctnn::read_csv_text<1, 1>(" 1 ,\t2\n3 , 4  \n", "t.csv");
  for (const auto* data : {&crlf, &no_final_newline, &trailing_blank_lines, &spaces}) {
    REQUIRE(data->size() == 2);
    check_sample((*data)[0], {1.0}, {2.0});
    check_sample((*data)[1], {3.0}, {4.0});
  }
}

TEST_CASE("csv: RFC 4180 quoting: quoted numbers, \"\" escapes, separators and line breaks inside quotes")
{
  const CsvOptions options{.header = CsvHeader::names, .input_columns = {"x"}, .target_columns = {"y"}};
  const auto data = ctnn::read_csv_text<1, 1>(
      "\"a \"\"note\"\", with a comma\",x,y\n"
      "\"first,\nsecond line\",\"1.5\",2\r\n"
      "\"\",\" 3\",\"4\"",
      "t.csv", options);
  REQUIRE(data.size() == 2);
  check_sample(data[0], {1.5}, {2.0});
  check_sample(data[1], {3.0}, {4.0});
}

TEST_CASE("csv: a header line of names, with columns chosen by name or index, the others skipped unread")
{
  const std::string text =
      "id,age,label,bmi,progression\n"
      "p1,59,note,32.1,151\n"
      "p2,48,note,21.6,75\n";
  const auto by_name = ctnn::read_csv_text<2, 1>(
      text, "t.csv", {.header = CsvHeader::names, .input_columns = {"bmi", "age"}, .target_columns = {"progression"}});
  const auto by_index = ctnn::read_csv_text<2, 1>(
      text, "t.csv", {.header = CsvHeader::names, .input_columns = {3, 1}, .target_columns = {4}});
  for (const auto* data : {&by_name, &by_index}) {
    REQUIRE(data->size() == 2);
    check_sample((*data)[0], {32.1, 59.0}, {151.0});
    check_sample((*data)[1], {21.6, 48.0}, {75.0});
  }
}

TEST_CASE("csv: with the input columns chosen, the targets are by default the first columns no input uses")
{
  const auto data = ctnn::read_csv_text<2, 1>("7,1,8,2\n", "t.csv", {.input_columns = {1, 3}});
  check_sample(data[0], {1.0, 2.0}, {7.0});
  const auto names =
      ctnn::read_csv_text<1, 2>("a,b,c\n1,2,3\n", "t.csv", {.header = CsvHeader::names, .input_columns = {"b"}});
  check_sample(names[0], {2.0}, {1.0, 3.0});
}

TEST_CASE("csv: the default targets follow the inputs also when only the targets are chosen")
{
  const auto data = ctnn::read_csv_text<2, 1>("1,2,3,4\n", "t.csv", {.target_columns = {3}});
  check_sample(data[0], {1.0, 2.0}, {4.0});
}

TEST_CASE("csv: a class-label column becomes one-hot targets, and scikit-learn's header line is checked")
{
  const auto data = ctnn::read_csv_text<2, 3>("3,2,a,b,c\n0.5,1,2\n1.5,2,0\n2.5,3,1\n", "t.csv", sklearn_classes);
  REQUIRE(data.size() == 3);
  check_sample(data[0], {0.5, 1.0}, {0.0, 0.0, 1.0});
  check_sample(data[1], {1.5, 2.0}, {1.0, 0.0, 0.0});
  check_sample(data[2], {2.5, 3.0}, {0.0, 1.0, 0.0});
  const auto no_header = ctnn::read_csv_text<1, 2>("4,1\n5,0\n", "t.csv", {.targets = CsvTargets::class_label});
  check_sample(no_header[0], {4.0}, {0.0, 1.0});
  check_sample(no_header[1], {5.0}, {1.0, 0.0});
}

TEST_CASE("csv: another separator")
{
  const auto data = ctnn::read_csv_text<1, 1>("1,5;2\n\"3;\"\";x\";4\n", "t.csv",
                                              {.separator = ';', .input_columns = {1}, .target_columns = {1}});
  check_sample(data[0], {2.0}, {2.0});
  check_sample(data[1], {4.0}, {4.0});
}

TEST_CASE("csv: read_csv reads a file, and a file that cannot be opened is a data_error naming it")
{
  const auto path = std::filesystem::temp_directory_path() / "ctnn-csv-test.csv";
  std::ofstream(path, std::ios::binary) << "1,0\n2,1\n";
  const auto data = ctnn::read_csv<1, 2, float>(path, {.targets = CsvTargets::class_label});
  std::filesystem::remove(path);
  REQUIRE(data.size() == 2);
  CHECK(data[1].input.values[0] == 2.0f);
  CHECK(data[1].target.values[1] == 1.0f);
  try {
    (void)ctnn::read_csv<1, 1>(path);
    FAIL("read a file that does not exist");
  } catch (const ctnn::data_error& error) {
    CHECK(std::string(error.what()) == "ctnn: " + path.string() + ": cannot open the file: No such file or directory");
    CHECK(error.line() == 0);
    CHECK(error.column() == 0);
  }
}

TEST_CASE("csv errors: an empty file, or no data row after the header")
{
  auto f = failure_of<1, 1>("");
  CHECK(f.message == "ctnn: t.csv, line 1, column 1: expected a data row, found an empty file");
  CHECK(failure_of<1, 1>("\n\r\n").message ==
        "ctnn: t.csv, line 1, column 1: expected a data row, found an empty file");
  CHECK(failure_of<1, 1>("", {.header = CsvHeader::names}).message ==
        "ctnn: t.csv, line 1, column 1: expected a header line, found an empty file");
  f = failure_of<1, 1>("x,y\n", {.header = CsvHeader::names});
  CHECK(f.message ==
        "ctnn: t.csv, line 2, column 1: expected a data row after the header line, found the end of the file");
  CHECK(f.line == 2);
  CHECK(failure_of<1, 2>("0,1,a,b", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 1: expected a data row after the header line, found the end of the file");
}

TEST_CASE("csv errors: a field that is not a number, with the column's name when the file has names")
{
  auto f = failure_of<2, 1>("1,2,3\n4,x5,6\n");
  CHECK(f.message == "ctnn: t.csv, line 2, column 2: expected a number, found 'x5'");
  CHECK(f.line == 2);
  CHECK(f.column == 2);
  CHECK(failure_of<2, 1>("a,b,c\n1,2,3\n4,,6\n", {.header = CsvHeader::names}).message ==
        "ctnn: t.csv, line 3, column 2 ('b'): expected a number, found an empty field");
  CHECK(failure_of<1, 1>("1,+2\n").message == "ctnn: t.csv, line 1, column 2: expected a number, found '+2'");
  CHECK(failure_of<1, 1>("1,2 3\n").message == "ctnn: t.csv, line 1, column 2: expected a number, found '2 3'");
  CHECK(failure_of<1, 1>("1,0x10\n").message == "ctnn: t.csv, line 1, column 2: expected a number, found '0x10'");
  // What the message shows of a field: escaped bytes, at most 40 characters.
  CHECK(failure_of<1, 1>("1,\"a\x01\tb'\"\n").message ==
        "ctnn: t.csv, line 1, column 2: expected a number, found 'a\\x01\\tb\\''");
  CHECK(failure_of<1, 1>("1," + std::string(50, '7') + "z\n").message ==
        "ctnn: t.csv, line 1, column 2: expected a number, found '" + std::string(40, '7') + "...'");
}

TEST_CASE("csv errors: NaN, infinity, and numbers out of the scalar type's range")
{
  CHECK(failure_of<1, 1>("nan,1\n").message == "ctnn: t.csv, line 1, column 1: expected a finite number, found 'nan'");
  CHECK(failure_of<1, 1>("1,-inf\n").message ==
        "ctnn: t.csv, line 1, column 2: expected a finite number, found '-inf'");
  CHECK(failure_of<1, 1>("1,Infinity\n").message ==
        "ctnn: t.csv, line 1, column 2: expected a finite number, found 'Infinity'");
  CHECK(failure_of<1, 1>("1e999,1\n").message ==
        "ctnn: t.csv, line 1, column 1: expected a number that a double can hold, found '1e999'");
  CHECK(failure_of<1, 1, float>("1,1e39\n").message ==
        "ctnn: t.csv, line 1, column 2: expected a number that a float can hold, found '1e39'");
  CHECK(failure_of<1, 1, float>("1e-50,1\n").message ==
        "ctnn: t.csv, line 1, column 1: expected a number that a float can hold, found '1e-50'");
}

TEST_CASE("csv errors: a row with the wrong number of columns, or an empty line between rows")
{
  auto f = failure_of<2, 1>("1,2,3\n4,5,6,7\n");
  CHECK(f.message == "ctnn: t.csv, line 2, column 4: expected 3 columns (2 inputs and 1 target), found 4");
  CHECK(f.column == 4);
  CHECK(failure_of<2, 1>("1,2\n").message ==
        "ctnn: t.csv, line 1, column 3: expected 3 columns (2 inputs and 1 target), found 2");
  CHECK(failure_of<2, 2>("1,2,3,4\n\n5,6,7,8\n").message ==
        "ctnn: t.csv, line 2, column 1: expected 4 columns (2 inputs and 2 targets), found an empty line");
  CHECK(failure_of<1, 3>("1,2,0\n", {.targets = CsvTargets::class_label}).message ==
        "ctnn: t.csv, line 1, column 3: expected 2 columns (1 input and a class label), found 3");
  CHECK(failure_of<1, 1>("a,b,c\n1,2,3\n4,5\n", {.header = CsvHeader::names, .input_columns = {"a"}}).message ==
        "ctnn: t.csv, line 3, column 3: expected 3 columns (as the header line has), found 2");
  CHECK(failure_of<1, 1>("1,2,3\n4,5\n", {.input_columns = {0}}).message ==
        "ctnn: t.csv, line 2, column 3: expected 3 columns (as line 1 has), found 2");
  // The header line counts too, with the default columns.
  CHECK(failure_of<1, 1>("a,b,c\n1,2\n", {.header = CsvHeader::names}).message ==
        "ctnn: t.csv, line 1, column 3: expected 2 columns (1 input and 1 target), found 3");
}

TEST_CASE("csv errors: lines are counted in the file, line breaks inside quotes included")
{
  const CsvOptions skip_first{.input_columns = {1}, .target_columns = {2}};
  auto f = failure_of<1, 1>("\"a\n\nb\",1,2\n3,4,x\n", skip_first);
  CHECK(f.message == "ctnn: t.csv, line 4, column 3: expected a number, found 'x'");
  f = failure_of<1, 1>("\"a\r\nb\",1,2\r\n3,x,5\r\n", skip_first);
  CHECK(f.line == 3);
  // A field that starts after a quoted line break is on the later line.
  f = failure_of<1, 1>("\"a\n\",y,3\n", skip_first);
  CHECK(f.message == "ctnn: t.csv, line 2, column 2: expected a number, found 'y'");
  // The line breaks of a field are shown escaped.
  CHECK(failure_of<1, 1>("\"1\r\n\",2\n").message ==
        "ctnn: t.csv, line 1, column 1: expected a number, found '1\\r\\n'");
}

TEST_CASE("csv errors: integer class labels must be from 0 to Out - 1")
{
  const CsvOptions labels{.targets = CsvTargets::class_label};
  CHECK(failure_of<1, 3>("1,2\n1,3\n", labels).message ==
        "ctnn: t.csv, line 2, column 2: expected a class label, an integer from 0 to 2, found '3'");
  CHECK(
      failure_of<1, 2>("1,99999999999999999999999\n", labels).message ==
      "ctnn: t.csv, line 1, column 2: expected a class label, an integer from 0 to 1, found '99999999999999999999999'");
  CHECK(failure_of<1, 1>("1,2\n", labels).message ==
        "ctnn: t.csv, line 1, column 2: expected a class label, an integer from 0 to 1, found '2'");
  // Not only digits: the labels are names (csv_labels_test.cpp), here too few of them.
  CHECK(failure_of<1, 3>("1,1.0\n", labels).message ==
        "ctnn: t.csv, line 1, column 2: expected the labels of 3 classes (the data set's outputs), found 1: '1.0'");
  CHECK(failure_of<1, 3>("1,-1\n2,1\n", labels).message ==
        "ctnn: t.csv, line 1, column 2: expected the labels of 3 classes (the data set's outputs), found 2: '-1', "
        "'1'");
  CHECK(failure_of<1, 2>("x,y\n1,\n", {.header = CsvHeader::names, .targets = CsvTargets::class_label}).message ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a class label, found an empty field");
}

TEST_CASE("csv errors: an unterminated quote, or text after a closing quote")
{
  auto f = failure_of<1, 1>("1,2\n3,\"4\n5,6\n");
  CHECK(f.message ==
        "ctnn: t.csv, line 2, column 2: expected a closing quote for the quoted field that starts here, found the end "
        "of the file");
  CHECK(f.line == 2);
  CHECK(failure_of<1, 1>("\"1\"2,3\n").message ==
        "ctnn: t.csv, line 1, column 1: expected a separator or the end of the line after a closing quote, found '2'");
  CHECK(
      failure_of<1, 1>("1,\"2\"\r3\n").message ==
      "ctnn: t.csv, line 1, column 2: expected a separator or the end of the line after a closing quote, found '\\r'");
}

TEST_CASE("csv errors: scikit-learn's header line must agree with the data and with In and Out")
{
  CHECK(failure_of<2, 3>("3\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 2: expected scikit-learn's header line (n_samples,n_features,class names...), "
        "found 1 column");
  CHECK(failure_of<2, 3>("x,2,a,b,c\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 1: expected the sample count of scikit-learn's header line "
        "(n_samples,n_features,class names...), found 'x'");
  CHECK(failure_of<2, 3>("1,-2,a,b,c\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 2: expected the feature count of scikit-learn's header line "
        "(n_samples,n_features,class names...), found '-2'");
  CHECK(failure_of<2, 3>("1,3,a,b,c\n1,2,0\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 2: expected the feature count 2 (the data set's inputs), found '3'");
  CHECK(failure_of<2, 3>("1,2,a,b\n1,2,0\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 5: expected 3 class names (the data set's outputs), found 2");
  // One output: two classes.
  CHECK(failure_of<2, 1>("1,2,a,b,c\n1,2,0\n", sklearn_classes).message ==
        "ctnn: t.csv, line 1, column 5: expected 2 class names (two classes for the data set's one output), found 3");
  auto f = failure_of<2, 3>("3,2,a,b,c\n1,2,0\n3,4,1\n", sklearn_classes);
  CHECK(f.message == "ctnn: t.csv, line 1, column 1: expected the sample count 2 (the data rows that follow), found 3");
  CHECK(f.line == 1);
  CHECK(f.column == 1);
  // As numeric targets, the names are not counted.
  const auto values = ctnn::read_csv_text<2, 1>("1,2,a,b\n1,2,0\n", "t.csv", {.header = CsvHeader::sklearn});
  check_sample(values[0], {1.0, 2.0}, {0.0});
}

TEST_CASE("csv errors: a chosen column the file does not have")
{
  const CsvOptions options{.header = CsvHeader::names, .input_columns = {"a"}, .target_columns = {"z"}};
  CHECK(failure_of<1, 1>("a,b\n1,2\n", options).message ==
        "ctnn: t.csv, line 1: expected a column named 'z' (a target), found none; the columns are 'a', 'b'");
  CHECK(failure_of<1, 1>("a,b,a\n1,2,3\n", options).message ==
        "ctnn: t.csv, line 1, column 3: expected one column named 'a' (an input), found a second one");
  CHECK(failure_of<1, 1>("1,2\n", {.input_columns = {5}}).message ==
        "ctnn: t.csv, line 1: expected a column 5 (counting from 0; an input), found 2 columns");
  CHECK(failure_of<2, 1>("1,2\n", {.input_columns = {1, 0}}).message ==
        "ctnn: t.csv, line 1: expected 1 target column besides the input columns, found 0 columns");
}

TEST_CASE("csv: options that cannot work are std::invalid_argument")
{
  using Catch::Matchers::Equals;
  CHECK_THROWS_WITH((ctnn::read_csv_text<1, 1>("a,b\n1,2\n", "t.csv", {.input_columns = {"a"}})),
                    Equals("ctnn: read_csv: column 'a' is chosen by name, but only a CsvHeader::names file has column "
                           "names"));
  CHECK_THROWS_WITH((ctnn::read_csv_text<2, 1>("1,2,3\n", "t.csv", {.input_columns = {0}})),
                    Equals("ctnn: read_csv: input_columns names 1 column, but the data set has 2 inputs"));
  CHECK_THROWS_WITH(
      (ctnn::read_csv_text<1, 3>("1,2\n", "t.csv", {.targets = CsvTargets::class_label, .target_columns = {0, 1}})),
      Equals("ctnn: read_csv: target_columns names 2 columns, but a class label is one column"));
  CHECK_THROWS_WITH((ctnn::read_csv_text<1, 2>("1,2,3\n", "t.csv", {.target_columns = {1}})),
                    Equals("ctnn: read_csv: target_columns names 1 column, but the data set has 2 outputs"));
  CHECK_THROWS_WITH((ctnn::read_csv_text<1, 1>("1\"2\n", "t.csv", {.separator = '"'})),
                    Equals("ctnn: read_csv: the separator cannot be a quote or a line break"));
  CHECK_THROWS_WITH((ctnn::read_csv_text<1, 1>("1,2\n", "t.csv", {.input_columns = {-1}})),
                    Equals("ctnn: a CSV column index cannot be negative"));
  CHECK_THROWS_AS((ctnn::read_csv_text<1, 1>("1,2\n", "t.csv", {.input_columns = {-1}})), std::invalid_argument);
}

TEST_CASE("csv: data/iris.csv reads to the values of ctnn::datasets::iris, for float and double")
{
  const ctnn::CsvOptions options{.header = CsvHeader::sklearn, .targets = CsvTargets::class_label};
  const auto doubles = ctnn::read_csv<4, 3>(CTNN_DATA_DIR "/iris.csv", options);
  const auto floats = ctnn::read_csv<4, 3, float>(CTNN_DATA_DIR "/iris.csv", options);
  constexpr auto iris_doubles = ctnn::datasets::iris<double>();
  constexpr auto iris_floats = ctnn::datasets::iris<float>();
  REQUIRE(doubles.size() == 150);
  REQUIRE(floats.size() == 150);
  // The class names of scikit-learn's header line go with the data, as the generated header has them.
  REQUIRE(doubles.class_names().size() == 3);
  for (std::size_t c = 0; c < 3; ++c) CHECK(doubles.class_names()[c] == ctnn::datasets::iris_class_names[c]);
  CHECK(doubles.class_names()[2] == "virginica");
  for (std::size_t s = 0; s < 150; ++s) {
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(doubles[s].input.values[i] == iris_doubles[s].input.values[i]);
      CHECK(floats[s].input.values[i] == iris_floats[s].input.values[i]);
    }
    for (std::size_t k = 0; k < 3; ++k) {
      CHECK(doubles[s].target.values[k] == iris_doubles[s].target.values[k]);
      CHECK(floats[s].target.values[k] == iris_floats[s].target.values[k]);
    }
  }
}
