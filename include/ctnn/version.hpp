#pragma once

/// ctnn's version; CMake reads these three lines, so keep their shape.
#define CTNN_VERSION_MAJOR 0
#define CTNN_VERSION_MINOR 5
#define CTNN_VERSION_PATCH 0
