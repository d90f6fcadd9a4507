// Class names from a data set into the model and out of it: save()/load() and model_text, the
// generated header's std::string_views, summary, print_confusion_matrix and predicted_class_name.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <ctnn/ctnn.hpp>

namespace {

using Names = std::vector<std::string>;
using Net = ctnn::Network<ctnn::Dense<2, 3, ctnn::Softmax>>;

// Three classes named in the file, read in first-seen order: "b c" needs percent-encoding in a model file.
constexpr std::string_view csv =
    "x,y,kind\n"
    "0.9,0.1,Gentoo\n"
    "0.1,0.9,b c\n"
    "-0.8,-0.7,Adelie\n"
    "0.8,0.2,Gentoo\n";

ctnn::RuntimeDataset<2, 3> labelled()
{
  return ctnn::read_csv_text<2, 3>(csv, "kinds.csv",
                                   {.header = ctnn::CsvHeader::names,
                                    .targets = ctnn::CsvTargets::class_label,
                                    .class_order = ctnn::CsvClassOrder::first_seen});
}

// A model that predicts class 0 for x > y > 0, class 1 for y > x > 0, class 2 when both are negative.
Net fixed_model()
{
  return Net{
      {ctnn::layer_from_values<ctnn::Dense<2, 3, ctnn::Softmax>>({4.0, 0.0, 0.0, 4.0, -4.0, -4.0, 0.0, 0.0, 0.0})}};
}

}  // namespace

TEST_CASE("class names: from a data set into a model file and back")
{
  const auto data = labelled();
  REQUIRE(data.class_names() == Names{"Gentoo", "b c", "Adelie"});
  const Net net = fixed_model();
  const std::string text = ctnn::model_text(net, data.class_names());
  CHECK(text.find("\nclasses 3 Gentoo b%20c Adelie\n") != std::string::npos);
  const auto path = std::filesystem::temp_directory_path() / "ctnn_class_names_test.model";
  ctnn::save(net, path, data.class_names());
  Net loaded{};
  Names names;
  ctnn::load_into(loaded, path, &names);
  std::filesystem::remove(path);
  CHECK(names == data.class_names());
  CHECK(ctnn::parameter_fingerprint(loaded) == ctnn::parameter_fingerprint(net));
}

TEST_CASE("class names: predicted_class_name with a data set's names, loaded names and string_views")
{
  const auto data = labelled();
  const Net net = fixed_model();
  CHECK(ctnn::predicted_class_name(net, {{0.9, 0.1}}, data.class_names()) == "Gentoo");
  CHECK(ctnn::predicted_class_name(net, {{0.1, 0.9}}, data.class_names()) == "b c");
  CHECK(ctnn::predicted_class_name(ctnn::for_inference(net), {{-1.0, -1.0}}, data.class_names()) == "Adelie");
  for (std::size_t i = 0; i < data.size(); ++i)
    CHECK(ctnn::predicted_class_name(net, data[i].input, data.class_names()) ==
          data.class_names()[ctnn::predicted_class(data[i].target)]);
  CHECK_THROWS_WITH(ctnn::predicted_class_name(net, {{0.0, 0.0}}, Names{"a", "b"}),
                    "ctnn: predicted_class_name needs one name per class (3), got 2");
}

namespace {
// As a generated header writes them: the names as std::string_views, the model as a constexpr object.
inline constexpr Net constant_model{
    {ctnn::layer_from_values<ctnn::Dense<2, 3, ctnn::Softmax>>({4.0, 0.0, 0.0, 4.0, -4.0, -4.0, 0.0, 0.0, 0.0})}};
inline constexpr std::string_view constant_model_class_names[] = {"Gentoo", "b c", "Adelie"};
static_assert(ctnn::predicted_class_name(constant_model, {{0.1, 0.9}}, constant_model_class_names) == "b c");
static_assert(ctnn::predicted_class_name(constant_model, {{-0.5, -0.2}}, constant_model_class_names) == "Adelie");
}  // namespace

TEST_CASE("class names: the generated header keeps them as std::string_views")
{
  const Net net = fixed_model();
  const std::string header = ctnn::model_header(net, "kinds_model", labelled().class_names());
  CHECK(header.find("#include <string_view>\n") != std::string::npos);
  CHECK(header.find("inline constexpr std::string_view kinds_model_class_names[] = {\"Gentoo\", \"b c\", "
                    "\"Adelie\"};\n") != std::string::npos);
  CHECK(ctnn::model_header(net, "kinds_model").find("class_names") == std::string::npos);
}

TEST_CASE("class names: summary and print_confusion_matrix label the classes")
{
  const auto data = labelled();
  const Net net = fixed_model();
  std::ostringstream plain, named;
  ctnn::summary(net, plain);
  ctnn::summary(net, data.class_names(), named);
  CHECK(named.str() == plain.str() + "Classes: 0 Gentoo, 1 b c, 2 Adelie\n");
  std::ostringstream none;
  ctnn::summary(net, Names{}, none);
  CHECK(none.str() == plain.str());
  CHECK_THROWS_WITH(ctnn::summary(net, Names{"a"}, named), "ctnn: summary needs one class name per class (3), got 1");

  const auto matrix = ctnn::confusion_matrix(net, data);
  std::ostringstream from_strings, from_views;
  ctnn::print_confusion_matrix(matrix, data.class_names(), from_strings);
  ctnn::print_confusion_matrix(matrix, constant_model_class_names, from_views);
  CHECK(from_strings.str() ==
        "true \\ predicted  Gentoo    b c  Adelie\n"
        "Gentoo                 2      0       0\n"
        "b c                    0      1       0\n"
        "Adelie                 0      0       1\n");
  CHECK(from_views.str() == from_strings.str());
}
