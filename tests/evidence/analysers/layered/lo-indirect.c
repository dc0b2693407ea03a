#include "lo.h"
#include "arch_if.h"
int (*volatile lo_hook)(int) = arch_x;
int lo_f(int v) { return lo_hook(v) * 3; }
