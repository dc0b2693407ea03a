__attribute__((noinline)) int walk(int v) { volatile int x = v; return v > 0 ? walk(v - x) + 1 : 0; }
int entry(int v) { return walk(v); }
