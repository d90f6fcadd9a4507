// One base for every exception ctnn raises, each still the standard exception it was; a Vector from a
// span or pointer and count checks the count; messages carry the values.

#include <catch2/catch.hpp>

#include <array>
#include <ctnn/ctnn.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
template <class F>
std::string what_ctnn_raises(F&& f)
{
  try {
    f();
  } catch (const ctnn::error& e) {
    return e.what();
  }
  return "nothing";
}
}  // namespace

TEST_CASE("errors: every kind is a ctnn::error and the standard exception it always was")
{
  using Net = ctnn::Network<ctnn::Dense<2, 1, ctnn::Sigmoid>>;
  Net net{};
  CHECK(what_ctnn_raises([&] {
          ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{-1.0}, {});
        }) == "ctnn: SGD: learning rate -1 must be positive and finite");
  CHECK_THROWS_AS(ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{-1.0}, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{-1.0}, {}),
                  ctnn::argument_error);
  CHECK(what_ctnn_raises([] { (void)ctnn::read_csv_text<1, 1>("1,x\n", "data.csv"); }) ==
        "ctnn: data.csv, line 1, column 2: expected a number, found 'x'");
  CHECK_THROWS_AS((ctnn::read_csv_text<1, 1>("1,x\n", {})), std::runtime_error);
  CHECK_THROWS_AS(ctnn::load_model_text_into(net, "nonsense\n"), std::runtime_error);
  CHECK(
      what_ctnn_raises([&] { ctnn::load_model_text_into(net, "nonsense\n"); }).starts_with("ctnn: cannot load model"));
  using Linear = ctnn::Network<ctnn::Dense<2, 1, ctnn::Identity>>;
  Linear diverging = ctnn::initialized<Linear>(ctnn::Uniform01{}, ctnn::Seed{1});
  CHECK_THROWS_AS(ctnn::fit(diverging, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{1e200}, {}),
                  ctnn::divergence_error);
  Linear again = ctnn::initialized<Linear>(ctnn::Uniform01{}, ctnn::Seed{1});
  CHECK(what_ctnn_raises([&] {
          ctnn::fit(again, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{1e200}, {});
        }).starts_with("ctnn: training diverged at epoch 1"));
  const ctnn::Vector<double, 3> v{{1.0, 2.0, 3.0}};
  CHECK(what_ctnn_raises([&] { (void)v.at(3); }) == "ctnn: index 3 is out of range for 3 values");
  CHECK_THROWS_AS(v.at(7), std::exception);
  const ctnn::Matrix<double, 2, 3> m{};
  CHECK(what_ctnn_raises([&] { (void)m.at(1, 3); }) == "ctnn: index 3 is out of range for 3 values");
}

TEST_CASE("errors: a Vector from a span or a pointer and a count takes exactly its size")
{
  const std::vector<float> values{0.5f, -1.0f, 2.0f, 0.0f};
  const auto v = ctnn::Vector<float, 4>::from(values);
  CHECK(v == ctnn::Vector<float, 4>{{0.5f, -1.0f, 2.0f, 0.0f}});
  const float raw[] = {1.0f, 2.0f};
  CHECK(ctnn::Vector<float, 2>::from(raw, 2) == ctnn::Vector<float, 2>{{1.0f, 2.0f}});
  CHECK(what_ctnn_raises([&] { (void)ctnn::Vector<float, 3>::from(values); }) ==
        "ctnn: a Vector of 3 values cannot be made from 4 values");
  CHECK(what_ctnn_raises([&] { (void)ctnn::Vector<float, 2>::from(raw, 1); }) ==
        "ctnn: a Vector of 2 values cannot be made from 1 value");
  static_assert(ctnn::Vector<double, 2>::from(std::array<double, 2>{3.0, 4.0})[1] == 4.0);
}
