// Sequence data sets and LastStep: windows over a fixed series (a constexpr Dataset) and over a
// runtime one (a span, or a CSV time series read by read_csv) give the same samples; hold_out_last
// keeps time order; LastStep after a GRU that returns every step is the GRU that returns the last.

#include <catch2/catch.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/gru.hpp>
#include <ctnn/sequence.hpp>
#include <string>
#include <vector>

namespace {

constexpr double series[] = {1, 2, 3, 4, 5, 6, 7};
constexpr auto fixed = ctnn::windows<3, 2>(series);
static_assert(fixed.size() == 3);
static_assert(fixed[0].input == ctnn::Vector<double, 3>{{1, 2, 3}} &&
              fixed[0].target == ctnn::Vector<double, 2>{{4, 5}});
static_assert(fixed[2].input == ctnn::Vector<double, 3>{{3, 4, 5}} &&
              fixed[2].target == ctnn::Vector<double, 2>{{6, 7}});

// Two channels per row, as ctnn_add_dataset gives a CSV series of two columns (targets ignored).
constexpr ctnn::Dataset<2, 1, 4> rows{{{{{1, 10}}, {{0}}}, {{{2, 20}}, {{0}}}, {{{3, 30}}, {{0}}}, {{{4, 40}}, {{0}}}}};
constexpr auto two_channels = ctnn::windows<2>(rows);
static_assert(two_channels.size() == 2);
static_assert(two_channels[1].input == ctnn::Vector<double, 4>{{2, 20, 3, 30}});
static_assert(two_channels[1].target == ctnn::Vector<double, 2>{{4, 40}});

constexpr auto split = ctnn::hold_out_last<1>(fixed);
static_assert(split.train.size() == 2 && split.test[0].input[0] == 3 && split.train[1].input[0] == 2);

using Sequence = ctnn::Network<ctnn::GRU<4, 2, 3, true>, ctnn::LastStep<4, 3>, ctnn::Dense<3, 1, ctnn::Identity>>;
using Last = ctnn::Network<ctnn::GRU<4, 2, 3>, ctnn::Dense<3, 1, ctnn::Identity>>;

constexpr Sequence sequence_net = ctnn::initialized<Sequence>(ctnn::RecurrentUniform{}, ctnn::Seed{8});
constexpr Last last_net = [] {
  Last net{};
  net.layer<0>().weight_ih = sequence_net.layer<0>().weight_ih;
  net.layer<0>().weight_hh = sequence_net.layer<0>().weight_hh;
  net.layer<0>().bias_ih = sequence_net.layer<0>().bias_ih;
  net.layer<0>().bias_hh = sequence_net.layer<0>().bias_hh;
  net.layer<1>() = sequence_net.layer<2>();
  return net;
}();
constexpr Sequence::input_type x{{0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.7}};
static_assert(sequence_net.predict(x) == last_net.predict(x));

}  // namespace

TEST_CASE("windows over a runtime series and a CSV time series equal the fixed ones")
{
  const std::vector<double> values(std::begin(series), std::end(series));
  const auto runtime = ctnn::windows<3, 2>(std::span<const double>(values));
  REQUIRE(runtime.size() == fixed.size());
  for (std::size_t s = 0; s < fixed.size(); ++s) {
    CHECK(runtime[s].input == fixed[s].input);
    CHECK(runtime[s].target == fixed[s].target);
  }

  const std::string csv =
      "Date,value\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-04-01,4\n2020-05-01,5\n"
      "2020-06-01,6\n2020-07-01,7\n";
  const auto read = ctnn::read_csv_text<1, 1>(
      csv, "series.csv", {.header = ctnn::CsvHeader::names, .input_columns = {"value"}, .target_columns = {"value"}});
  const auto from_csv = ctnn::windows<3, 2>(read);
  REQUIRE(from_csv.size() == fixed.size());
  for (std::size_t s = 0; s < fixed.size(); ++s) {
    CHECK(from_csv[s].input == fixed[s].input);
    CHECK(from_csv[s].target == fixed[s].target);
  }

  const auto held = ctnn::hold_out_last(from_csv, 1);
  CHECK(held.train.size() == 2);
  CHECK(held.test[0].input == split.test[0].input);

  const ctnn::RuntimeDataset<2, 1> two(rows);
  const auto runtime_two = ctnn::windows<2>(two);
  CHECK(runtime_two[1].input == two_channels[1].input);
  CHECK(runtime_two[1].target == two_channels[1].target);
}

TEST_CASE("windows and hold_out_last refuse a series too short, naming the sizes")
{
  const std::vector<double> three{1, 2, 3};
  CHECK_THROWS_WITH(ctnn::windows<3>(std::span<const double>(three)),
                    "ctnn: windows: the series has 3 steps, fewer than one window and its horizon (4)");
  const auto data = ctnn::windows<2>(std::span<const double>(three));
  CHECK(data.size() == 1);
  CHECK_THROWS_WITH(ctnn::hold_out_last(data, 1),
                    "ctnn: hold_out_last: test_size 1 must be at least 1 and below the data set's size 1");
}

TEST_CASE("LastStep: sequence-to-one after a GRU that returns every step, trained, checked and streamed")
{
  CHECK(sequence_net.predict(x)[0] == last_net.predict(x)[0]);
  const auto check = ctnn::gradient_check(sequence_net, x, {{0.3}}, ctnn::MeanSquaredError{});
  CHECK(check.passed(1e-7));
  // The gradient reaching the GRU through LastStep is the one without it.
  const auto direct = ctnn::gradient_check(last_net, x, {{0.3}}, ctnn::MeanSquaredError{});
  CHECK(check.backprop_at_worst == Approx(direct.backprop_at_worst).epsilon(1e-12));

  auto state = sequence_net.initial_state();
  double y = 0;
  for (std::size_t t = 0; t < 4; ++t) y = sequence_net.step({{x[2 * t], x[2 * t + 1]}}, state)[0];
  CHECK(y == sequence_net.predict(x)[0]);

  const std::string text = ctnn::model_text(sequence_net);
  CHECK(text.find("\nlayer 2 LastStep 4x3 3\n") != std::string::npos);
  Sequence loaded{};
  ctnn::load_model_text_into(loaded, text, "sequence.ctnn");
  CHECK(ctnn::bitwise_equal(loaded, sequence_net));
  CHECK(ctnn::model_header(sequence_net, "sequence_model").find("ctnn::LastStep<4, 3, double>") != std::string::npos);
}
