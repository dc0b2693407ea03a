#include "lo.h"
#include "arch_if.h"
int lo_f(int v) { hi_state = 0; return arch_x(v) * 3; }
