#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <ctnn/ctnn.hpp>

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

Xor fresh_xor()
{
  return ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024});
}

std::size_t count(const std::string& text, const std::string& what)
{
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string printf_f(double value)
{
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%f", value);
  return buffer;
}

// The "x,y" pairs of the one polyline's points attribute.
std::size_t polyline_points(const std::string& svg)
{
  const auto begin = svg.find("points=\"", svg.find("<polyline"));
  const auto end = svg.find('"', begin + 8);
  std::istringstream points(svg.substr(begin + 8, end - begin - 8));
  std::size_t n = 0;
  for (std::string pair; points >> pair; ++n) REQUIRE(pair.find(',') != std::string::npos);
  return n;
}

std::string read(const std::filesystem::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

ctnn::History made_up_history(std::size_t epochs)
{
  ctnn::History history;
  for (std::size_t e = 1; e <= epochs; ++e) history.record(e, 1.0 / static_cast<double>(e));
  return history;
}

}  // namespace

TEST_CASE("report: summary keeps its Keras layout")
{
  std::ostringstream out;
  ctnn::summary(Xor{}, out);
  CHECK(out.str() ==
        "Model: \"sequential\"\n"
        "_________________________________________________________________\n"
        " Layer (type)               Output Shape              Param #\n"
        "=================================================================\n"
        " dense_1 (Dense)            (None, 3)                 9\n"
        " dense_2 (Dense)            (None, 1)                 4\n"
        "=================================================================\n"
        "Total params: 13\n"
        "Trainable params: 13\n"
        "Non-trainable params: 0\n"
        "_________________________________________________________________\n");
}

TEST_CASE("report: History records every epoch of fit, as it is, by itself or among callbacks(...)")
{
  std::vector<std::size_t> seen_epochs;
  std::vector<double> seen_losses;
  Xor reference = fresh_xor();
  const auto result = ctnn::fit(reference, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1},
                                {.epochs = 25}, [&](std::size_t epoch, double loss) {
                                  seen_epochs.push_back(epoch);
                                  seen_losses.push_back(loss);
                                });

  ctnn::History direct;
  Xor a = fresh_xor();
  ctnn::fit(a, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 25}, direct);

  ctnn::History via_recorder;
  Xor b = fresh_xor();
  ctnn::fit(b, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 25},
            ctnn::callbacks(via_recorder, [](std::size_t, double) {}));

  for (const ctnn::History* h : {&direct, &via_recorder}) {
    REQUIRE(h->size() == 25);
    CHECK(h->epochs == seen_epochs);
    CHECK(h->losses == seen_losses);  // the same doubles, bit for bit
    CHECK(h->epochs.front() == 1);
    CHECK(h->losses.back() == result.loss);
  }
  CHECK(bitwise_equal(a, reference));
  CHECK(bitwise_equal(b, reference));

  direct.clear();
  CHECK(direct.empty());
}

TEST_CASE("report: History keeps float losses exactly")
{
  using FloatNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid, float>, ctnn::Dense<3, 1, ctnn::Sigmoid, float>>;
  FloatNet net = ctnn::initialized<FloatNet>(ctnn::Uniform01{}, ctnn::Seed{7});
  std::vector<float> seen;
  ctnn::History history;
  ctnn::fit(net, ctnn::datasets::xor_gate<float>(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1f}, {.epochs = 5},
            ctnn::callbacks(history, [&](std::size_t, float loss) { seen.push_back(loss); }));
  REQUIRE(history.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(static_cast<float>(history.losses[i]) == seen[i]);
}

TEST_CASE("report: a History among callbacks(...) records what the other callbacks see")
{
  Xor reference = fresh_xor();
  const auto result =
      ctnn::fit(reference, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 40});

  Xor net = fresh_xor();
  std::vector<std::size_t> extra_epochs;
  ctnn::History history;
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 40},
            ctnn::callbacks(history, [&](std::size_t epoch, double) { extra_epochs.push_back(epoch); }));
  REQUIRE(history.size() == 40);
  CHECK(history.epochs == extra_epochs);
  CHECK(history.losses.back() == result.loss);
  CHECK(bitwise_equal(net, reference));

  Xor again = fresh_xor();
  ctnn::History plain;
  ctnn::fit(again, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 40}, plain);
  CHECK(plain.losses == history.losses);
}

TEST_CASE("report: callbacks calls each in order and keeps lvalues by reference")
{
  std::string order;
  ctnn::History history;
  auto both = ctnn::callbacks(
      history, [&](std::size_t epoch, double) { order += std::to_string(epoch) + 'a'; },
      [&](std::size_t epoch, double) { order += std::to_string(epoch) + 'b'; });
  both(std::size_t{1}, 0.5);
  both(std::size_t{2}, 0.25);
  CHECK(order == "1a1b2a2b");
  CHECK(history.size() == 2);  // the History given as an lvalue is the one filled
  CHECK(history.losses == std::vector<double>{0.5, 0.25});
}

TEST_CASE("report: Reporter prints epoch 1, every N-th and the last epoch, as printf's %f")
{
  std::ostringstream out;
  ctnn::Reporter reporter(25, {.every = 10, .progress = ctnn::Progress::never}, out);
  for (std::size_t epoch = 1; epoch <= 25; ++epoch) reporter(epoch, 1.0 / static_cast<double>(epoch * epoch));
  CHECK(out.str() == "epoch: 1 / 25  Loss = " + printf_f(1.0) + "\n" +          //
                         "epoch: 10 / 25  Loss = " + printf_f(0.01) + "\n" +    //
                         "epoch: 20 / 25  Loss = " + printf_f(0.0025) + "\n" +  //
                         "epoch: 25 / 25  Loss = " + printf_f(0.0016) + "\n");
  CHECK(printf_f(0.0016) == "0.001600");
}

TEST_CASE("report: Reporter with summed_loss prints what the XOR example printed")
{
  Xor net = fresh_xor();
  std::ostringstream out;
  std::string expected;
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 3000},
            ctnn::callbacks(ctnn::Reporter{3000, {.summed_loss = true}, out}, [&](std::size_t epoch, double loss) {
              if (epoch == 1 || epoch % 1000 == 0) {
                char line[128];
                std::snprintf(line, sizeof line, "epoch: %zu / %zu  Loss = %f\n", epoch, std::size_t{3000}, loss);
                expected += line;
              }
            }));
  CHECK(count(out.str(), "\n") == 4);
  CHECK(out.str() == expected);  // and no progress bar: an std::ostringstream is no terminal
}

TEST_CASE("report: Reporter draws the progress bar only on a terminal or when forced")
{
  SECTION("automatic and never: quiet on a stream that is not a terminal")
  {
    std::ostringstream not_a_terminal;
    CHECK_FALSE(ctnn::is_terminal(not_a_terminal));
    for (auto mode : {ctnn::Progress::automatic, ctnn::Progress::never}) {
      std::ostringstream out;
      ctnn::Reporter reporter(100, {.every = 0, .progress = mode}, out);
      CHECK_FALSE(reporter.draws_progress());
      for (std::size_t epoch = 1; epoch <= 100; ++epoch) reporter(epoch, 0.5);
      CHECK(out.str().empty());
    }
  }

  SECTION("always, bar only: redrawn in place at each new percentage, left on screen at the end")
  {
    std::ostringstream exact;
    ctnn::Reporter bar(4, {.every = 0, .progress = ctnn::Progress::always, .bar_width = 4, .refresh = {}}, exact);
    CHECK(bar.draws_progress());
    bar(std::size_t{1}, 0.125);
    bar(std::size_t{2}, 0.5);  // a shorter text: padded to cover the longer one
    bar(std::size_t{3}, 0.25);
    bar(std::size_t{4}, 0.0625);
    bar(std::size_t{5}, 0.01);  // after the end: nothing
    CHECK(exact.str() ==
          "\r[#   ]  25% epoch 1/4 loss 0.125"
          "\r[##  ]  50% epoch 2/4 loss 0.5  "
          "\r[### ]  75% epoch 3/4 loss 0.25"
          "\r[####] 100% epoch 4/4 loss 0.0625\n");
  }

  SECTION("always, with lines: the bar is erased before each line and gone at the end")
  {
    std::ostringstream out;
    ctnn::Reporter reporter(4, {.every = 2, .progress = ctnn::Progress::always, .bar_width = 4, .refresh = {}}, out);
    for (std::size_t epoch = 1; epoch <= 4; ++epoch) reporter(epoch, 0.5);
    const std::string bar1 = "[#   ]  25% epoch 1/4 loss 0.5";
    const std::string bar2 = "[##  ]  50% epoch 2/4 loss 0.5";
    const std::string bar3 = "[### ]  75% epoch 3/4 loss 0.5";
    CHECK(out.str() == "epoch: 1 / 4  Loss = 0.500000\n\r" + bar1 +                                           //
                           "\r" + std::string(bar1.size(), ' ') + "\r" + "epoch: 2 / 4  Loss = 0.500000\n" +  //
                           "\r" + bar2 + "\r" + bar3 +                                                        //
                           "\r" + std::string(bar3.size(), ' ') + "\r" + "epoch: 4 / 4  Loss = 0.500000\n");
  }

  SECTION("percentage steps: at most one draw per percent when the timed redraw is off")
  {
    std::ostringstream out;
    ctnn::Reporter reporter(15000, {.every = 0, .progress = ctnn::Progress::always, .refresh = {}}, out);
    for (std::size_t epoch = 1; epoch <= 15000; ++epoch) reporter(epoch, 0.01);
    CHECK(count(out.str(), "\r") == 101);  // 0%, 1%, ..., 99%, and 100% at the end
    CHECK(out.str().find("\r[###############               ]  50% epoch 7500/15000 loss 0.01") != std::string::npos);
    CHECK(out.str().ends_with("\r[##############################] 100% epoch 15000/15000 loss 0.01\n"));
  }

  SECTION("finish() ends an unfinished bar's line once")
  {
    std::ostringstream out;
    ctnn::Reporter reporter(10, {.every = 0, .progress = ctnn::Progress::always, .bar_width = 2, .refresh = {}}, out);
    reporter(std::size_t{1}, 0.5);
    reporter.finish();
    reporter.finish();
    reporter(std::size_t{2}, 0.5);
    CHECK(out.str() == "\r[  ]  10% epoch 1/10 loss 0.5\n");
  }
}

TEST_CASE("report: Reporter needs the number of epochs")
{
  std::ostringstream out;
  CHECK_THROWS_AS(ctnn::Reporter(0, {}, out), std::invalid_argument);
}

TEST_CASE("report: history_csv has a header and one epoch,loss line per epoch that reads back exactly")
{
  ctnn::History history;
  history.record(std::size_t{1}, 0.8262200123);
  history.record(std::size_t{2}, 0.1);
  history.record(std::size_t{3}, 1e-20);
  CHECK(ctnn::history_csv(history) == "epoch,loss\n1,0.8262200123\n2,0.1\n3,1e-20\n");
  CHECK(ctnn::history_csv(ctnn::History{}) == "epoch,loss\n");

  Xor net = fresh_xor();
  ctnn::History trained;
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 50}, trained);
  std::istringstream csv(ctnn::history_csv(trained));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "epoch,loss");
  for (std::size_t i = 0; i < 50; ++i) {
    REQUIRE(std::getline(csv, line));
    const auto comma = line.find(',');
    CHECK(std::stoul(line.substr(0, comma)) == i + 1);
    CHECK(std::stod(line.substr(comma + 1)) == trained.losses[i]);
  }
  CHECK_FALSE(std::getline(csv, line));
}

TEST_CASE("report: loss_svg is one <svg> with axes, labels and a point per epoch")
{
  const auto history = made_up_history(200);
  const std::string svg = ctnn::loss_svg(history, {.title = "a <loss> & more"});
  CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(count(svg, "<svg") == 1);
  CHECK(count(svg, "</svg>") == 1);
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(count(svg, "<g") == count(svg, "</g>"));
  CHECK(count(svg, "<polyline") == 1);
  CHECK(polyline_points(svg) == 200);
  CHECK(svg.find("a &lt;loss&gt; &amp; more") != std::string::npos);  // the title, escaped
  CHECK(svg.find(">epoch</text>") != std::string::npos);
  CHECK(svg.find(">loss (log scale)</text>") != std::string::npos);
  // 1 .. 0.005: decades from 0.001 to 1
  for (const char* label : {">0.001</text>", ">0.01</text>", ">0.1</text>", ">1</text>"})
    CHECK(svg.find(label) != std::string::npos);
}

TEST_CASE("report: loss_svg keeps long histories small, and goes linear when a loss is not positive")
{
  const auto history = made_up_history(15000);
  const std::string svg = ctnn::loss_svg(history);
  const std::size_t points = polyline_points(svg);
  CHECK(points <= 2000 + 2);
  CHECK(points >= 1000);
  CHECK(polyline_points(ctnn::loss_svg(history, {.max_points = 0})) == 15000);
  CHECK(polyline_points(ctnn::loss_svg(history, {.max_points = 15000})) == 15000);

  ctnn::History with_zero = made_up_history(10);
  with_zero.record(std::size_t{11}, 0.0);
  const std::string linear = ctnn::loss_svg(with_zero);
  CHECK(linear.find(">loss</text>") != std::string::npos);
  CHECK(linear.find("log scale") == std::string::npos);
  CHECK(polyline_points(linear) == 11);

  ctnn::History one;
  one.record(std::size_t{1}, 0.5);
  CHECK(polyline_points(ctnn::loss_svg(one)) == 1);
  CHECK_THROWS_AS(ctnn::loss_svg(ctnn::History{}), std::invalid_argument);
}

TEST_CASE("report: the writers write the files and name the path when they cannot")
{
  const auto dir = std::filesystem::temp_directory_path() / "ctnn_io_test";
  std::filesystem::create_directories(dir);
  const auto history = made_up_history(30);

  ctnn::write_history_csv(history, dir / "history.csv");
  CHECK(read(dir / "history.csv") == ctnn::history_csv(history));
  ctnn::write_loss_svg(history, dir / "loss.svg");
  CHECK(read(dir / "loss.svg") == ctnn::loss_svg(history));

  const auto missing = dir / "no such directory" / "loss.svg";
  CHECK_THROWS_WITH(ctnn::write_loss_svg(history, missing), Catch::Contains(missing.string()));
  CHECK_THROWS_AS(ctnn::write_loss_svg(history, missing), std::runtime_error);
  CHECK_THROWS_WITH(ctnn::write_history_csv(history, missing), Catch::Contains(missing.string()));
  CHECK_THROWS_AS(ctnn::write_history_csv(history, missing), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("report: print_surface shades a 2-input model's output over a grid")
{
  // output = x0 (identity): columns go from ' ' to '@', rows are all alike
  using Linear = ctnn::Network<ctnn::Dense<2, 1, ctnn::Identity>>;
  Linear net{};
  net.layer<0>().weights = {{1.0, 0.0}};
  std::ostringstream out;
  ctnn::print_surface(net, out, {.columns = 11, .rows = 3});
  CHECK(out.str() ==
        " x1\n"
        "1.0 | .:-=+*#%@@|\n"
        "0.5 | .:-=+*#%@@|\n"
        "0.0 | .:-=+*#%@@|\n"
        "    +-----------+\n"
        "     0.0 0.5 1.0  x0\n"
        "shades: ' .:-=+*#%@' for output 0 .. 1\n");

  // output = x1 on another range and other shades; out-of-range outputs clamp
  net.layer<0>().weights = {{0.0, 1.0}};
  std::ostringstream other;
  ctnn::print_surface(net, other,
                      {.columns = 3, .rows = 3, .x1_min = -1, .x1_max = 3, .low = 0, .high = 2, .shades = "ab"});
  CHECK(other.str() ==
        "  x1\n"
        " 3.0 |bbb|\n"
        " 1.0 |bbb|\n"
        "-1.0 |aaa|\n"
        "     +---+\n"
        "      0.0  x0\n"  // no room for more x0 labels under three columns
        "shades: 'ab' for output 0 .. 2\n");
}

TEST_CASE("report: print_surface of the trained XOR model is dark where XOR is 1")
{
  Xor net = fresh_xor();
  ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 15000});
  std::ostringstream out;
  ctnn::print_surface(net, out);
  std::istringstream lines(out.str());
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  REQUIRE(rows.size() == 1 + 11 + 2 + 1);
  const auto cell = [&](std::size_t row, std::size_t column) { return rows[1 + row][5 + column]; };
  CHECK(cell(0, 0) == '@');    // x0 = 0, x1 = 1
  CHECK(cell(10, 20) == '@');  // x0 = 1, x1 = 0
  CHECK(cell(10, 0) == ' ');   // x0 = 0, x1 = 0
  CHECK(cell(0, 20) == ' ');   // x0 = 1, x1 = 1
}
