#include "lo.h"
#include "arch_if.h"
int lo_f(int v) { return v > 100 ? hi_g(v - 100) : arch_x(v) * 3; }
