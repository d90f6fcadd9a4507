#pragma once
// The umbrella header: everything ctnn offers, the constexpr core and the runtime-only I/O
// (CSV reading, model files, generated headers, reports and plots).

#include "ctnn/core.hpp"            // IWYU pragma: export
#include "ctnn/csv.hpp"             // IWYU pragma: export
#include "ctnn/header_emitter.hpp"  // IWYU pragma: export
#include "ctnn/layers.hpp"          // IWYU pragma: export
#include "ctnn/metrics_io.hpp"      // IWYU pragma: export
#include "ctnn/model_file.hpp"      // IWYU pragma: export
#include "ctnn/plot.hpp"            // IWYU pragma: export
#include "ctnn/report.hpp"          // IWYU pragma: export
#include "ctnn/verify.hpp"          // IWYU pragma: export (bounds.hpp comes with it)
