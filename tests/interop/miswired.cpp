// Must not compile: miswired.hpp (made by make_cases.py) holds a model converted wrongly, one Tanh turned
// into a Sigmoid, with PyTorch's outputs as its --check data; its static_assert must reject it.
#include "miswired.hpp"
