#include "lo.h"
#include "arch_if.h"
int lo_f(int v) { return arch_x(v) * 3; }
