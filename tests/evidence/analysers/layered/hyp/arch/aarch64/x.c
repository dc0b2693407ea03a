#include "lo.h"
int arch_internal(int v);
__attribute__((noinline)) int arch_internal(int v) { return v ^ 5; }
int arch_x(int v) { return arch_internal(v) + 2; }
int arch_entry(int v) { return hi_g(v); }
