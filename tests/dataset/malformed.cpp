// Never compiles: building it first generates malformed.hpp from malformed.csv, which must fail
// with read_csv's message (the test dataset.malformed_csv_fails_the_build).
#include "malformed.hpp"

int main()
{
  return static_cast<int>(ctnn::datasets::malformed<double>().size());
}
