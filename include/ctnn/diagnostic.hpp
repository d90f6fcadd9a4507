#pragma once
// Types whose only job is to appear in compiler errors. A failed check is instantiated with the
// offending numbers spelled into template arguments, so GCC and Clang both print them next to the
// message ("check_shape<layer<2>::takes<Shape<4>>, layer<1>::produces<Shape<3>>>").

#include <cstddef>
#include <type_traits>

namespace ctnn::diagnostic {

// Each check_* below fails its static_assert, naming the problem, when `holds` is false; its
// `value` is true either way, so that the check that reports is the only error.

/// Reads a check's value through a variable template: a static_assert in a function that read
/// Check::value directly would, on Clang, add a second error after the check's own.
template <class Check>
inline constexpr bool passes = Check::value;

/// Checks in order, stopping after the first that fails, so that one mistake gives one error. holds
/// is whether every check holds; value, as for a single check, is true either way. An in_order may
/// be one of the checks of another.
template <class... Checks>
struct in_order {
  static constexpr bool holds = true;
  static constexpr bool value = true;
};
struct stopped {
  static constexpr bool holds = false;
};
template <class First, class... Rest>
struct in_order<First, Rest...> {
  static constexpr bool holds = std::conditional_t<First::holds, in_order<Rest...>, stopped>::holds;
  static constexpr bool value = holds || true;  // reading holds runs the checks
};

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
  /// The shape a layer takes and the shape it produces, for shape errors.
  template <class S>
  struct takes {
    using type = S;
  };
  template <class S>
  struct produces {
    using type = S;
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
  static constexpr bool holds = std::is_same_v<typename Expected::type, typename Actual::type>;
  static_assert(std::is_same_v<typename Expected::type, typename Actual::type>,
                "ctnn: a layer's input shape must equal the previous layer's output shape");
  static constexpr bool value = true;
};

template <class Expected, class Actual>
struct check_same_scalar {
  static constexpr bool holds = std::is_same_v<typename Expected::type, typename Actual::type>;
  static_assert(std::is_same_v<typename Expected::type, typename Actual::type>,
                "ctnn: all layers of a Network must use the same scalar type");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_inputs {
  static constexpr bool holds = NetworkSide::value == DatasetSide::value;
  static_assert(NetworkSide::value == DatasetSide::value,
                "ctnn: the data set's sample input width must equal the network's input size");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_targets {
  static constexpr bool holds = NetworkSide::value == DatasetSide::value;
  static_assert(NetworkSide::value == DatasetSide::value,
                "ctnn: the data set's sample target width must equal the network's output size");
  static constexpr bool value = true;
};

template <class NetworkSide, class DatasetSide>
struct check_dataset_scalar {
  static constexpr bool holds = std::is_same_v<typename NetworkSide::type, typename DatasetSide::type>;
  static_assert(std::is_same_v<typename NetworkSide::type, typename DatasetSide::type>,
                "ctnn: the data set's scalar type must equal the network's scalar type");
  static constexpr bool value = true;
};

template <class Sizes>
struct check_layer_size {
  static constexpr bool holds = Sizes::value;
  static_assert(Sizes::value, "ctnn: a Dense layer needs at least one input and at least one output");
  static constexpr bool value = true;
};

template <class Scalar>
struct check_scalar {
  static constexpr bool holds = Scalar::value;
  static_assert(Scalar::value, "ctnn: the scalar type must be float or double");
  static constexpr bool value = true;
};

template <class NetworkOutputs>
struct check_categorical_outputs {
  static constexpr bool holds = NetworkOutputs::value >= 2;
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
  static constexpr bool holds = Layers::value == Initializers::value;
  static_assert(Layers::value == Initializers::value,
                "ctnn: PerLayer needs exactly one initializer for each layer of the network");
  static constexpr bool value = true;
};

/// How many values a Vector has and how many its initialiser gave; how many samples a Dataset has and
/// how many its initialiser gave.
template <std::size_t N>
struct vector_size {
  static constexpr std::size_t value = N;
};
template <std::size_t N>
struct values_given {
  static constexpr std::size_t value = N;
};
template <std::size_t N>
struct dataset_size {
  static constexpr std::size_t value = N;
};
template <std::size_t N>
struct samples_given {
  static constexpr std::size_t value = N;
};

template <class Size, class Given>
struct check_value_count {
  static constexpr bool holds = Size::value == Given::value;
  static_assert(Size::value == Given::value,
                "ctnn: a Vector must be given exactly as many values as its size (none is filled in with zero)");
  static constexpr bool value = true;
};

template <std::size_t N>
struct targets_given {
  static constexpr std::size_t value = N;
};

template <class Expected, class Given>
struct check_sample_has_target {
  static constexpr bool holds = Expected::value == Given::value;
  static_assert(Expected::value == Given::value,
                "ctnn: a Sample needs its target as well as its input (no target is filled in with zeros)");
  static constexpr bool value = true;
};

template <class Size, class Given>
struct check_sample_count {
  static constexpr bool holds = Size::value == Given::value;
  static_assert(Size::value == Given::value,
                "ctnn: a Dataset must be given exactly as many samples as its size (none is filled in with zeros)");
  static constexpr bool value = true;
};

// What a custom activation, loss, optimizer or initialiser misses: one check per member, in the
// order of the concept (docs/extending.md). Extension is the user's type; Present is whether the
// member is there, with the signature the concept asks for.
#define CTNN_DIAGNOSTIC_MEMBER_CHECK(check_name, message) \
  template <class Extension, bool Present>                \
  struct check_name {                                     \
    static constexpr bool holds = Present;                \
    static_assert(Present, message);                      \
    static constexpr bool value = true;                   \
  };

CTNN_DIAGNOSTIC_MEMBER_CHECK(activation_needs_name,
                             "ctnn: an activation needs `static constexpr std::string_view name`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(activation_needs_forward,
                             "ctnn: an activation needs `static constexpr void forward(const T (&h)[N], T (&y)[N])`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(activation_needs_backward,
                             "ctnn: an activation needs `static constexpr void backward(const T (&h)[N], const T "
                             "(&y)[N], const T (&dy)[N], T (&dh)[N])`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(loss_needs_name, "ctnn: a loss needs `static constexpr std::string_view name`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(loss_needs_value,
                             "ctnn: a loss needs `constexpr T value(const Vector<T, N>& y, const Vector<T, N>& "
                             "target) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(loss_needs_value_and_gradient,
                             "ctnn: a loss needs `constexpr T value_and_gradient(const Vector<T, N>& y, const "
                             "Vector<T, N>& target, Vector<T, N>& dy) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(optimizer_needs_validate, "ctnn: an optimizer needs `constexpr void validate() const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(optimizer_needs_state,
                             "ctnn: an optimizer needs `template <class T, std::size_t N> struct state`, default "
                             "constructible (an empty struct if it keeps nothing)")
CTNN_DIAGNOSTIC_MEMBER_CHECK(optimizer_needs_update,
                             "ctnn: an optimizer needs `template <class T, std::size_t N> constexpr void update(T "
                             "(&parameters)[N], const T (&gradient)[N], state<T, N>&) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(initializer_needs_weight,
                             "ctnn: an initializer needs `template <class T, class Generator> constexpr T "
                             "weight(Generator&, std::size_t fan_in, std::size_t fan_out) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(initializer_needs_bias,
                             "ctnn: an initializer needs `template <class T, class Generator> constexpr T "
                             "bias(Generator&, std::size_t fan_in, std::size_t fan_out) const`")

CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_scalar_type, "ctnn: a layer needs `using scalar_type = float` (or double)")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_shapes,
                             "ctnn: a layer needs `using input_shape = ctnn::Shape<...>` and `using output_shape = "
                             "ctnn::Shape<...>`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_value_types,
                             "ctnn: a layer needs `using input_type = ctnn::Vector<scalar_type, input_shape::size>` "
                             "and `using output_type = ctnn::Vector<scalar_type, output_shape::size>`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_kind, "ctnn: a layer needs `static constexpr std::string_view kind`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(
    layer_needs_parameter_count,
    "ctnn: a layer needs `static constexpr std::size_t parameter_count` (its trainable values)")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_call_operator,
                             "ctnn: a layer needs `constexpr output_type operator()(const input_type& x) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_visit_parameters,
                             "ctnn: a layer needs `template <class F> constexpr void visit_parameters(F&& f)`, const "
                             "and not, calling f(tensor) for each array of trainable values")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_cache_and_forward,
                             "ctnn: a layer fit() trains needs `using cache_type = ...` (what backward needs besides x "
                             "and y) and `constexpr void forward(const input_type& x, cache_type& c, output_type& y) "
                             "const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_gradients,
                             "ctnn: a trainable layer needs `struct gradients` and `template <class F> static "
                             "constexpr void visit_gradients(gradients& g, F&& f)` (tensors in parameter order)")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_backward,
                             "ctnn: a trainable layer needs `template <bool NeedInputGradient> constexpr void "
                             "backward(const input_type& x, const cache_type& c, const output_type& y, const "
                             "output_type& dy, gradients& g, input_type& dx) const`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_update,
                             "ctnn: a trainable layer needs `template <class Optimizer> struct optimizer_state` and "
                             "`template <class Optimizer> constexpr void update(const Optimizer&, const gradients&, "
                             "optimizer_state<Optimizer>&)`")
CTNN_DIAGNOSTIC_MEMBER_CHECK(layer_needs_initialize,
                             "ctnn: a trainable layer needs `template <class Initializer, class Generator> constexpr "
                             "void initialize(const Initializer&, Generator&)`")

#undef CTNN_DIAGNOSTIC_MEMBER_CHECK

}  // namespace ctnn::diagnostic
