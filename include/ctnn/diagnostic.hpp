#pragma once
// Types whose only job is to appear in compiler errors. A failed check is instantiated with the
// offending numbers spelled into template arguments, so GCC and Clang both print them next to the
// message ("check_shape<layer<2>::expects_inputs<4>, layer<1>::outputs<3>>").

#include <cstddef>
#include <type_traits>

namespace ctnn::diagnostic {

/// The 1-based position of a layer in a Network, as the error messages count.
template <std::size_t Position>
struct layer {
  template <std::size_t N>
  struct expects_inputs {
    static constexpr std::size_t value = N;
  };
  template <std::size_t N>
  struct outputs {
    static constexpr std::size_t value = N;
  };
  template <class T>
  struct scalar {
    using type = T;
  };
};

/// Sizes of one sample of a data set.
struct dataset {
  template <std::size_t N>
  struct sample_inputs {
    static constexpr std::size_t value = N;
  };
  template <std::size_t N>
  struct sample_targets {
    static constexpr std::size_t value = N;
  };
  template <class T>
  struct scalar {
    using type = T;
  };
};

/// The sizes a whole Network reads and writes.
struct network {
  template <std::size_t N>
  struct expects_inputs {
    static constexpr std::size_t value = N;
  };
  template <std::size_t N>
  struct outputs {
    static constexpr std::size_t value = N;
  };
  template <class T>
  struct scalar {
    using type = T;
  };
};

/// A Dense layer's declared sizes.
template <std::size_t In, std::size_t Out>
struct dense_inputs_outputs {
  static constexpr bool value = In > 0 && Out > 0;
};

/// The scalar type a layer was declared with.
template <class T>
struct scalar_type {
  static constexpr bool value = std::is_same_v<T, float> || std::is_same_v<T, double>;
};

template <class Expected, class Actual>
struct check_shape {
  static_assert(Expected::value == Actual::value,
                "ctnn: a layer's input size must equal the previous layer's output size");
  static constexpr bool value = true;
};

template <class Expected, class Actual>
struct check_same_scalar {
  static_assert(std::is_same_v<typename Expected::type, typename Actual::type>,
                "ctnn: all layers of a Network must use the same scalar type");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_inputs {
  static_assert(NetworkSide::value == DatasetSide::value,
                "ctnn: the data set's sample input width must equal the network's input size");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_targets {
  static_assert(NetworkSide::value == DatasetSide::value,
                "ctnn: the data set's sample target width must equal the network's output size");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_scalar {
  static_assert(std::is_same_v<typename NetworkSide::type, typename DatasetSide::type>,
                "ctnn: the data set's scalar type must equal the network's scalar type");
  static constexpr bool value = true;
};

template <class Sizes>
struct check_layer_size {
  static_assert(Sizes::value, "ctnn: a Dense layer needs at least one input and at least one output");
  static constexpr bool value = true;
};

template <class Scalar>
struct check_scalar {
  static_assert(Scalar::value, "ctnn: the scalar type must be float or double");
  static constexpr bool value = true;
};

template <class NetworkOutputs>
struct check_categorical_outputs {
  static_assert(NetworkOutputs::value >= 2,
                "ctnn: categorical cross-entropy needs an output layer of at least 2 units (for one unit use "
                "BinaryCrossEntropy with Sigmoid)");
  static constexpr bool value = true;
};

/// How many layers a Network has and how many initialisers a PerLayer holds, for the error below.
template <std::size_t N>
struct network_layers {
  static constexpr std::size_t value = N;
};
template <std::size_t N>
struct per_layer_initializers {
  static constexpr std::size_t value = N;
};

template <class Layers, class Initializers>
struct check_initializer_count {
  static_assert(Layers::value == Initializers::value,
                "ctnn: PerLayer needs exactly one initializer for each layer of the network");
  static constexpr bool value = true;
};

}  // namespace ctnn::diagnostic
