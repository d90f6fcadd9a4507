#pragma once
// ctnn 0.2's name for report.hpp (summary, History, Reporter, print_confusion_matrix), which holds no
// I/O of files; kept for one release.

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC warning "ctnn/io.hpp is deprecated: include <ctnn/report.hpp>"
#endif

#include "ctnn/report.hpp"  // IWYU pragma: export
