// Built with -fno-exceptions -fno-rtti: a model goes to text (format 3) and back bit for bit.
#include <ctnn/model_file.hpp>

#include "common.hpp"

namespace {
constexpr embedded::Net model = embedded::trained(30, 1);
}

int main()
{
  const std::string text = ctnn::model_text(model, {"zero", "one"});
  embedded::Net loaded{};
  std::vector<std::string> names;
  ctnn::load_model_text_into(loaded, text, "embedded", &names);
  int failures = 0;
  failures += embedded::check(ctnn::bitwise_equal(loaded, model), "the values came back");
  failures += embedded::check(names.size() == 2 && names[1] == "one", "the class names came back");
  failures += embedded::check(text.starts_with("ctnn-model 3\n"), "format version 3");
  return failures == 0 ? 0 : 1;
}
