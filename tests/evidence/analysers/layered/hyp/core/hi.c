#include "lo.h"
int hi_state;
int hi_g(int v) { hi_state = v; return lo_f(v) + 1; }
