#pragma once
// Runtime-only output: the Keras-style model summary. The only header that includes <iostream>.

#include <cstddef>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "ctnn/network.hpp"

namespace ctnn {

/// Writes a Keras-style summary: one row per layer (name, output shape, parameter count), then
/// the total. Layers are named like Keras names them: dense_1, dense_2, ...
template <class... Layers>
void summary(const Network<Layers...>& net, std::ostream& out = std::cout)
{
  constexpr int name_width = 28;
  constexpr int shape_width = 26;
  const std::string rule(65, '_');
  const std::string double_rule(65, '=');

  out << "Model: \"sequential\"\n" << rule << '\n';
  out << ' ' << std::left << std::setw(name_width - 1) << "Layer (type)" << std::setw(shape_width) << "Output Shape"
      << "Param #\n";
  out << double_rule << '\n';
  std::size_t position = 0;
  net.for_each_layer([&](const auto& layer) {
    using L = std::remove_cvref_t<decltype(layer)>;
    ++position;
    std::string kind{L::kind};
    std::string lower;
    for (char c : kind) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    std::ostringstream name;
    name << lower << '_' << position << " (" << kind << ')';
    std::ostringstream shape;
    shape << "(None, " << L::outputs << ')';
    out << ' ' << std::left << std::setw(name_width - 1) << name.str() << std::setw(shape_width) << shape.str()
        << L::parameter_count << '\n';
  });
  out << double_rule << '\n';
  out << "Total params: " << Network<Layers...>::parameter_count << '\n';
  out << "Trainable params: " << Network<Layers...>::parameter_count << '\n';
  out << "Non-trainable params: 0\n" << rule << '\n';
}

}  // namespace ctnn
