/* The benchmark's predict-only program, emlearn side: one prediction of the model emlearn.convert
   wrote as C ("loadable" inference, eml_net.h), through predict_once(), which run.sh counts the
   instructions of. Built as C99 with
     -DMODEL=sine_emlearn -DMODEL_HEADER='"sine_emlearn.h"' -DINPUTS=1 -DOUTPUTS=1  the model
     -DPRINT -DBENCH_INPUTS=sine_inputs, -DSTACK, -DBASELINE  as predict_ctnn.cpp
   A classifier's outputs are eml_net_predict_proba's probabilities, a regressor's eml_net_regress's
   values: what ctnn's predict gives. */

#include MODEL_HEADER

#if defined(PRINT) || defined(STACK)
#include <stdio.h>

#include "inputs.hpp"
#include "stack_probe.h"
#endif

__attribute__((noinline)) void predict_once(const float* in, float* out)
{
#if defined(BASELINE)
  (void)in;
  (void)out;
#elif OUTPUTS == 1
  eml_net_regress(&MODEL, in, INPUTS, out, OUTPUTS);
#else
  eml_net_predict_proba(&MODEL, in, INPUTS, out, OUTPUTS);
#endif
}

#if defined(PRINT)
int main(void)
{
  for (unsigned s = 0; s < sizeof BENCH_INPUTS / sizeof BENCH_INPUTS[0]; ++s) {
    float output[OUTPUTS];
    predict_once(BENCH_INPUTS[s], output);
    for (int i = 0; i < OUTPUTS; ++i) printf("%a ", (double)output[i]);
    printf("\n");
  }
  return 0;
}
#elif defined(STACK)
int main(void)
{
  float in[INPUTS] = {0};
  float out[OUTPUTS];
  printf("%u\n", stack_of_one_call(predict_once, in, out));
  return 0;
}
#else
volatile float input[INPUTS]; /* what the optimiser cannot see: one real prediction */
volatile float output[OUTPUTS];

int main(void)
{
  float in[INPUTS];
  float out[OUTPUTS];
  for (int i = 0; i < INPUTS; ++i) in[i] = input[i];
  predict_once(in, out);
  for (int i = 0; i < OUTPUTS; ++i) output[i] = out[i];
  return 0;
}
#endif
