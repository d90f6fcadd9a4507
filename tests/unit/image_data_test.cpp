// Image data sets: as_images checks the shape against a sample's inputs, scales the pixels and, for
// channels-first files, reorders them into ctnn's channels-last order; for a RuntimeDataset read from
// CSV text and for a constexpr Dataset alike.

#include <catch2/catch.hpp>

#include <ctnn/ctnn.hpp>
#include <ctnn/image_data.hpp>

namespace {

// Two samples of a 2x2 image with 2 channels, stored channel by channel: (c, h, w) at c * 4 + h * 2 + w.
constexpr ctnn::Dataset<8, 1, 2> planar()
{
  ctnn::Dataset<8, 1, 2> data{};
  for (std::size_t s = 0; s < 2; ++s) {
    for (std::size_t i = 0; i < 8; ++i) data.samples[s].input.values[i] = static_cast<double>(10 * s + i);
    data.samples[s].target.values[0] = static_cast<double>(s);
  }
  return data;
}

using Image = ctnn::Shape<2, 2, 2>;
constexpr auto images = ctnn::as_images<Image, ctnn::PixelLayout::channels_first>(planar(), 0.5);
// Pixel (h, w, c) of ctnn's image is value c * 4 + h * 2 + w of the planar row, halved.
static_assert(ctnn::pixel<Image>(images[0].input, 0, 1, 0) == 0.5 * 1);
static_assert(ctnn::pixel<Image>(images[0].input, 1, 0, 1) == 0.5 * (4 + 2));
static_assert(ctnn::pixel<Image>(images[1].input, 1, 1, 1) == 0.5 * (10 + 7));
static_assert(images[1].target.values[0] == 1.0);
// Channels last already: only the scale.
static_assert(ctnn::as_images<Image>(planar(), 0.25)[1].input.values[3] == 0.25 * 13);

}  // namespace

TEST_CASE("rows of pixels read from CSV become images")
{
  const auto rows = ctnn::read_csv_text<8, 1>("0,1,2,3,4,5,6,7,0\n10,11,12,13,14,15,16,17,1\n", "images.csv");
  const auto channels_last = ctnn::as_images<Image>(rows, 0.5);
  CHECK(channels_last.size() == 2);
  CHECK(ctnn::pixel<Image>(channels_last[1].input, 1, 0, 1) == 0.5 * 15);
  const auto reordered = ctnn::as_images<Image, ctnn::PixelLayout::channels_first>(rows);
  for (std::size_t s = 0; s < 2; ++s)
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t w = 0; w < 2; ++w)
        for (std::size_t c = 0; c < 2; ++c)
          CHECK(ctnn::pixel<Image>(reordered[s].input, h, w, c) == rows[s].input.values[c * 4 + h * 2 + w]);
  // The same as the constexpr path's values.
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(ctnn::as_images<Image, ctnn::PixelLayout::channels_first>(rows, 0.5)[0].input.values[i] ==
          images[0].input.values[i]);
}
