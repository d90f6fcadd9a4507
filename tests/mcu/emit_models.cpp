// On the build machine: trains the XOR, Iris and breast-cancer recipes at runtime and writes each
// model as a header with ctnn::emit_header, for the check programs of every build to include.
//
//   emit_models DIRECTORY    writes DIRECTORY/xor_model.hpp, iris_model.hpp, breast_cancer_model.hpp

#include <cstdio>
#include <exception>
#include <string>

#include <ctnn/header_emitter.hpp>

#include "breast_cancer.hpp"  // ctnn_add_dataset
#include "breast_cancer_recipe.hpp"
#include "iris_recipe.hpp"
#include "xor_recipe.hpp"

int main(int argc, char** argv)
{
  if (argc != 2) {
    std::fprintf(stderr, "usage: emit_models DIRECTORY\n");
    return 2;
  }
  const std::string directory = argv[1];
  try {
    ctnn::emit_header(xor_recipe::train().model, directory + "/xor_model.hpp", "xor_model");
    ctnn::emit_header(iris_recipe::train().model, directory + "/iris_model.hpp", "iris_model");
    ctnn::emit_header(breast_cancer_recipe::train(ctnn::datasets::breast_cancer<double>()).model,
                      directory + "/breast_cancer_model.hpp", "breast_cancer_model");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "emit_models: %s\n", error.what());
    return 1;
  }
  return 0;
}
