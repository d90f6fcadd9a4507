// read_csv's class-label column: names or integers, the classes' order, given names, their messages,
// and the names travelling with the data set (RuntimeDataset::class_names, splits).

#include <catch2/catch.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ctnn/csv.hpp>

namespace {

using ctnn::CsvClassOrder;
using ctnn::CsvHeader;
using ctnn::CsvOptions;
using ctnn::CsvTargets;
using Names = std::vector<std::string>;

const CsvOptions labels{.header = CsvHeader::names, .targets = CsvTargets::class_label};

CsvOptions with_order(CsvClassOrder order)
{
  CsvOptions options = labels;
  options.class_order = order;
  return options;
}

CsvOptions with_names(Names names)
{
  CsvOptions options = labels;
  options.class_names = std::move(names);
  return options;
}

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

/// The class of each sample: the index of its one-hot target's 1.
template <class Data>
std::vector<std::size_t> classes_of(const Data& data)
{
  std::vector<std::size_t> classes;
  for (const auto& sample : data) {
    std::size_t ones = 0;
    for (std::size_t k = 0; k < Data::outputs; ++k) {
      if (sample.target.values[k] == 1.0) classes.push_back(k);
      ones += sample.target.values[k] == 1.0 ? 1 : 0;
      CHECK((sample.target.values[k] == 0.0 || sample.target.values[k] == 1.0));
    }
    CHECK(ones == 1);
  }
  return classes;
}

const std::string species = "beak,species\n1,Gentoo\n2,Adelie\n3,Chinstrap\n4,Adelie\n5,Gentoo\n";

}  // namespace

TEST_CASE("csv labels: names become classes in sorted order by default, as scikit-learn's classes_")
{
  const auto data = ctnn::read_csv_text<1, 3>(species, "t.csv", labels);
  CHECK(data.class_names() == Names{"Adelie", "Chinstrap", "Gentoo"});
  CHECK(classes_of(data) == std::vector<std::size_t>{2, 0, 1, 0, 2});
  CHECK(data[0].input.values[0] == 1.0);
  // By bytes: capitals before small letters, "10" before "9" when not every label is an integer.
  const auto bytes = ctnn::read_csv_text<1, 4>("x,y\n1,b\n2,B\n3,10\n4,9\n", "t.csv", labels);
  CHECK(bytes.class_names() == Names{"10", "9", "B", "b"});
}

TEST_CASE("csv labels: first-seen order, and names given by the user")
{
  const auto seen = ctnn::read_csv_text<1, 3>(species, "t.csv", with_order(CsvClassOrder::first_seen));
  CHECK(seen.class_names() == Names{"Gentoo", "Adelie", "Chinstrap"});
  CHECK(classes_of(seen) == std::vector<std::size_t>{0, 1, 2, 1, 0});
  const auto given = ctnn::read_csv_text<1, 3>(species, "t.csv", with_names({"Chinstrap", "Gentoo", "Adelie"}));
  CHECK(given.class_names() == Names{"Chinstrap", "Gentoo", "Adelie"});
  CHECK(classes_of(given) == std::vector<std::size_t>{1, 2, 0, 2, 1});
  // Given names need not all occur: a test file read with the training file's names.
  const auto some =
      ctnn::read_csv_text<1, 3>("x,y\n1,Gentoo\n", "t.csv", with_names({"Adelie", "Chinstrap", "Gentoo"}));
  CHECK(classes_of(some) == std::vector<std::size_t>{2});
}

TEST_CASE("csv labels: labels that are all integers are class indices, absent classes allowed")
{
  const auto data = ctnn::read_csv_text<1, 4>("x,y\n1,3\n2,0\n3,3\n", "t.csv", labels);
  CHECK(data.class_names().empty());
  CHECK(classes_of(data) == std::vector<std::size_t>{3, 0, 3});
  // First-seen order reads them as names.
  const auto named = ctnn::read_csv_text<1, 2>("x,y\n1,3\n2,0\n", "t.csv", with_order(CsvClassOrder::first_seen));
  CHECK(named.class_names() == Names{"3", "0"});
  CHECK(classes_of(named) == std::vector<std::size_t>{0, 1});
  // So do given names: years as classes.
  const auto years = ctnn::read_csv_text<1, 2>("x,y\n1,2011\n2,2010\n", "t.csv", with_names({"2010", "2011"}));
  CHECK(classes_of(years) == std::vector<std::size_t>{1, 0});
}

TEST_CASE("csv labels: one output tells two classes apart: the target is the class, 0 or 1")
{
  const auto data = ctnn::read_csv_text<1, 1>("x,diagnosis\n1,M\n2,B\n3,M\n", "t.csv", labels);
  CHECK(data.class_names() == Names{"B", "M"});
  CHECK(data[0].target.values[0] == 1.0);
  CHECK(data[1].target.values[0] == 0.0);
  const auto given = ctnn::read_csv_text<1, 1>("x,diagnosis\n1,M\n2,B\n", "t.csv", with_names({"M", "B"}));
  CHECK(given[0].target.values[0] == 0.0);
  CHECK(given[1].target.values[0] == 1.0);
  // scikit-learn's header: two class names for one output.
  const auto sklearn = ctnn::read_csv_text<1, 1>("2,1,malignant,benign\n0.5,1\n1.5,0\n", "t.csv",
                                                 {.header = CsvHeader::sklearn, .targets = CsvTargets::class_label});
  CHECK(sklearn.class_names() == Names{"malignant", "benign"});
  CHECK(sklearn[0].target.values[0] == 1.0);
}

TEST_CASE("csv labels: spaces and tabs around a label do not count, also in quotes, which keep separators")
{
  const auto data = ctnn::read_csv_text<1, 2>("x,y\n1, a \n2,\"\tb, c \"\n3,a\n", "t.csv", labels);
  CHECK(data.class_names() == Names{"a", "b, c"});
  CHECK(classes_of(data) == std::vector<std::size_t>{0, 1, 0});
}

TEST_CASE("csv labels: scikit-learn's header names the classes, and the data set keeps them")
{
  const auto data = ctnn::read_csv_text<1, 3>("2,1,setosa,versicolor,virginica\n5.1,0\n7.0,2\n", "t.csv",
                                              {.header = CsvHeader::sklearn, .targets = CsvTargets::class_label});
  CHECK(data.class_names() == Names{"setosa", "versicolor", "virginica"});
  CHECK(classes_of(data) == std::vector<std::size_t>{0, 2});
  // As numeric targets the names mean nothing: the data set has none.
  const auto values = ctnn::read_csv_text<1, 1>("2,1,a,b\n5.1,0\n7.0,1\n", "t.csv", {.header = CsvHeader::sklearn});
  CHECK(values.class_names().empty());
}

TEST_CASE("csv labels errors: more or fewer different labels than classes")
{
  CHECK(message_of<1, 2>(species, labels) ==
        "ctnn: t.csv, line 4, column 2 ('species'): expected the labels of 2 classes (the data set's outputs), found a "
        "3rd label, 'Chinstrap', after 'Gentoo', 'Adelie'");
  CHECK(message_of<1, 2>(species, with_order(CsvClassOrder::first_seen)) ==
        "ctnn: t.csv, line 4, column 2 ('species'): expected the labels of 2 classes (the data set's outputs), found a "
        "3rd label, 'Chinstrap', after 'Gentoo', 'Adelie'");
  CHECK(
      message_of<1, 4>(species, labels) ==
      "ctnn: t.csv, line 2, column 2 ('species'): expected the labels of 4 classes (the data set's outputs), found 3: "
      "'Adelie', 'Chinstrap', 'Gentoo'");
  CHECK(message_of<1, 1>("x,y\n1,a\n2,b\n3,c\n", labels) ==
        "ctnn: t.csv, line 4, column 2 ('y'): expected the labels of 2 classes (two classes for the data set's one "
        "output), found a 3rd label, 'c', after 'a', 'b'");
  CHECK(message_of<1, 2>("x,y\n1,a\n", with_order(CsvClassOrder::first_seen)) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected the labels of 2 classes (the data set's outputs), found 1: 'a'");
}

TEST_CASE("csv labels errors: a label that is not one of the given names names them, and the closest")
{
  CHECK(message_of<1, 3>(species, with_names({"Adelie", "Chinstrap", "gentoo"})) ==
        "ctnn: t.csv, line 2, column 2 ('species'): expected a class label, one of 'Adelie', 'Chinstrap', 'gentoo', "
        "found 'Gentoo'; the closest is 'gentoo'");
  CHECK(message_of<1, 2>("x,y\n1,zebra\n", with_names({"cat", "dog"})) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a class label, one of 'cat', 'dog', found 'zebra'");
  Names many;
  for (int i = 0; i < 13; ++i) many.push_back("class " + std::to_string(i));
  CHECK(message_of<1, 13>("x,y\n1,class 99\n", with_names(many)) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a class label, one of the 13 class names, found 'class 99'; the "
        "closest is 'class 9'");
}

TEST_CASE("csv labels errors: an empty label")
{
  CHECK(message_of<1, 2>("x,y\n1,a\n2, \n", labels) ==
        "ctnn: t.csv, line 3, column 2 ('y'): expected a class label, found an empty field");
  CHECK(message_of<1, 2>("x,y\n1,\"\"\n", with_names({"a", "b"})) ==
        "ctnn: t.csv, line 2, column 2 ('y'): expected a class label, found an empty field");
}

TEST_CASE("csv labels: options that cannot work are std::invalid_argument")
{
  using Catch::Matchers::Equals;
  auto check = [](const CsvOptions& options, const char* message) {
    CHECK_THROWS_WITH((ctnn::read_csv_text<1, 3>("x,y\n1,a\n", "t.csv", options)), Equals(message));
    CHECK_THROWS_AS((ctnn::read_csv_text<1, 3>("x,y\n1,a\n", "t.csv", options)), std::invalid_argument);
  };
  check({.header = CsvHeader::names, .class_names = {"a", "b", "c"}},
        "ctnn: read_csv: class_names are for a class-label column (targets = CsvTargets::class_label)");
  check(with_names({"a", "b"}),
        "ctnn: read_csv: class_names names 2 classes, but the data set has 3 classes (the data set's outputs)");
  check(with_names({"a", "", "c"}), "ctnn: read_csv: class_names[1] is empty");
  check(with_names({"a", " b", "c"}),
        "ctnn: read_csv: class_names[1] ' b' has spaces or tabs around it, which a label read from a file never has");
  check(with_names({"a", "b", "a"}), "ctnn: read_csv: class_names[2] 'a' is also class_names[0]");
  check({.header = CsvHeader::sklearn, .targets = CsvTargets::class_label, .class_names = {"a", "b", "c"}},
        "ctnn: read_csv: class_names cannot be given for a CsvHeader::sklearn file, whose first line names the "
        "classes");
  CHECK_THROWS_WITH((ctnn::read_csv_text<1, 1>("x,y\n1,a\n", "t.csv", with_names({"a"}))),
                    Equals("ctnn: read_csv: class_names names 1 class, but the data set has 2 classes (two classes "
                           "for the data set's one output)"));
}

TEST_CASE("csv labels: the names travel with the data set through copies and every split")
{
  std::string text = "x,y\n";
  for (int i = 0; i < 30; ++i)
    text += std::to_string(i) + "," + (i % 3 == 0 ? "cat" : i % 3 == 1 ? "dog" : "eel") + "\n";
  const auto data = ctnn::read_csv_text<1, 3>(text, "t.csv", labels);
  const Names names{"cat", "dog", "eel"};
  REQUIRE(data.class_names() == names);
  const auto copy = data;
  CHECK(copy.class_names() == names);
  const auto random = ctnn::random_split(data, 6, ctnn::Seed{1});
  const auto stratified = ctnn::stratified_split(data, 6, ctnn::Seed{1});
  const auto every = ctnn::hold_out_every<5>(data);
  for (const auto* split : {&random, &stratified, &every}) {
    CHECK(split->train.class_names() == names);
    CHECK(split->test.class_names() == names);
  }
  CHECK(ctnn::class_names_of(data) == names);
  CHECK(ctnn::class_names_of(ctnn::datasets::xor_gate()).empty());  // a Dataset has none
}

TEST_CASE("csv labels: RuntimeDataset::set_class_names checks the names and keeps the old ones when it throws")
{
  using Catch::Matchers::Equals;
  ctnn::RuntimeDataset<1, 3> data;
  data.set_class_names({"a", "b", "c"});
  CHECK_THROWS_WITH(data.set_class_names({"a", "b"}),
                    Equals("ctnn: class names: the data set has 3 classes, so it needs 3 names, got 2"));
  CHECK_THROWS_WITH(data.set_class_names({"a", "", "c"}), Equals("ctnn: class names: the name of class 1 is empty"));
  CHECK_THROWS_WITH(data.set_class_names({"a", "b", "a"}), Equals("ctnn: class names: 'a' names two classes"));
  CHECK(data.class_names() == Names{"a", "b", "c"});
  data.set_class_names({});
  CHECK(data.class_names().empty());
  ctnn::RuntimeDataset<1, 1> binary;
  binary.set_class_names({"no", "yes"});  // one output: two classes
  CHECK(binary.classes == 2);
  CHECK_THROWS_AS(binary.set_class_names({"yes"}), std::invalid_argument);
}

TEST_CASE("csv labels: scikit-learn's class names lose the spaces around them and must be names of their own")
{
  const CsvOptions sklearn{.header = CsvHeader::sklearn, .targets = CsvTargets::class_label};
  CHECK(ctnn::read_csv_text<1, 2>("1,1, setosa ,\"b\"\n0.5,0\n", "t.csv", sklearn).class_names() ==
        Names{"setosa", "b"});
  CHECK(message_of<1, 3>("1,1,a,,b\n0.5,1\n", sklearn) ==
        "ctnn: t.csv, line 1, column 4: expected a class name, found an empty field");
  CHECK(message_of<1, 2>("1,1,a, a\n0.5,1\n", sklearn) ==
        "ctnn: t.csv, line 1, column 4: expected a class name of its own, found 'a' again");
}
