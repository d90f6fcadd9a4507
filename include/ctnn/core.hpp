#pragma once
// Everything that runs in a constant expression, without the runtime-only headers (report.hpp,
// plot.hpp, model_file.hpp, header_emitter.hpp, csv.hpp and the standard library I/O they bring):
// the cheaper include for a translation unit that trains in the compiler.

#include "ctnn/activation.hpp"      // IWYU pragma: export
#include "ctnn/callbacks.hpp"       // IWYU pragma: export
#include "ctnn/class_weights.hpp"   // IWYU pragma: export
#include "ctnn/data.hpp"            // IWYU pragma: export
#include "ctnn/dense.hpp"           // IWYU pragma: export
#include "ctnn/diagnostic.hpp"      // IWYU pragma: export
#include "ctnn/epoch_report.hpp"    // IWYU pragma: export
#include "ctnn/error.hpp"           // IWYU pragma: export
#include "ctnn/errors.hpp"          // IWYU pragma: export
#include "ctnn/evaluate.hpp"        // IWYU pragma: export
#include "ctnn/fingerprint.hpp"     // IWYU pragma: export
#include "ctnn/footprint.hpp"       // IWYU pragma: export
#include "ctnn/gradient_check.hpp"  // IWYU pragma: export
#include "ctnn/impute.hpp"          // IWYU pragma: export
#include "ctnn/inference.hpp"       // IWYU pragma: export
#include "ctnn/init.hpp"            // IWYU pragma: export
#include "ctnn/layer.hpp"           // IWYU pragma: export
#include "ctnn/loss.hpp"            // IWYU pragma: export
#include "ctnn/math.hpp"            // IWYU pragma: export
#include "ctnn/metrics.hpp"         // IWYU pragma: export
#include "ctnn/network.hpp"         // IWYU pragma: export
#include "ctnn/optimizer.hpp"       // IWYU pragma: export
#include "ctnn/predict.hpp"         // IWYU pragma: export
#include "ctnn/random.hpp"          // IWYU pragma: export
#include "ctnn/schedule.hpp"        // IWYU pragma: export
#include "ctnn/shape.hpp"           // IWYU pragma: export
#include "ctnn/staged.hpp"          // IWYU pragma: export
#include "ctnn/standardize.hpp"     // IWYU pragma: export
#include "ctnn/tensor.hpp"          // IWYU pragma: export
#include "ctnn/train.hpp"           // IWYU pragma: export
#include "ctnn/training_state.hpp"  // IWYU pragma: export
#include "ctnn/version.hpp"         // IWYU pragma: export
