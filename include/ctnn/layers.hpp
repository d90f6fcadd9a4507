#pragma once
// Every layer beyond Dense, Standardize and Impute (which core.hpp has): the sequence layers (Conv1D,
// GRU, LSTM, TimeDistributed, PReLU, LastStep and sequence data sets, the ELU activation) and the image
// layers (Conv2D, pooling, Flatten, BatchNorm, Dropout and image data sets). All run in a constant
// expression. ctnn.hpp includes this; a translation unit that trains one model in the compiler can
// include only the layers it uses, which costs the compiler less.

#include "ctnn/batch_norm.hpp"        // IWYU pragma: export
#include "ctnn/conv1d.hpp"            // IWYU pragma: export
#include "ctnn/conv2d.hpp"            // IWYU pragma: export
#include "ctnn/dropout.hpp"           // IWYU pragma: export
#include "ctnn/elu.hpp"               // IWYU pragma: export
#include "ctnn/flatten.hpp"           // IWYU pragma: export
#include "ctnn/gru.hpp"               // IWYU pragma: export
#include "ctnn/image_data.hpp"        // IWYU pragma: export
#include "ctnn/lstm.hpp"              // IWYU pragma: export
#include "ctnn/pooling.hpp"           // IWYU pragma: export
#include "ctnn/prelu.hpp"             // IWYU pragma: export
#include "ctnn/sequence.hpp"          // IWYU pragma: export
#include "ctnn/time_distributed.hpp"  // IWYU pragma: export
