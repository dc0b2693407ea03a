#include "lo.h"
#include "arch_if.h"
int arch_internal(int v);
int lo_f(int v) { return arch_internal(v) * 3; }
