// Never compiles: building it first generates CTNN_FAILING_HEADER from a CSV file with options that
// must fail (tests/dataset/CMakeLists.txt), with read_csv's or the generator's message.
#include CTNN_FAILING_HEADER

int main() {}
