/* The stack bytes one call predict(in, out) uses, for predict_ctnn.cpp and predict_emlearn.c (C and
   C++): 8 KB below the stack pointer painted, the call, the lowest byte that changed. */
#ifndef CTNN_BENCH_MCU_STACK_PROBE_H
#define CTNN_BENCH_MCU_STACK_PROBE_H

static inline unsigned stack_of_one_call(void (*predict)(const float*, float*), const float* in, float* out)
{
  unsigned char* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  volatile unsigned char* const bottom = sp - 8192;
  for (volatile unsigned char* p = bottom; p < sp - 64; ++p) *p = 0xa5;
  predict(in, out);
  volatile unsigned char* lowest = bottom;
  while (*lowest == 0xa5) ++lowest;
  return (unsigned)(sp - lowest);
}

#endif
