void sink(volatile char *p, unsigned n);
__attribute__((noinline)) void sink(volatile char *p, unsigned n) { for (unsigned i = 0; i < n; i++) p[i] = 1; }
int entry(unsigned n) { volatile char b[n & 63u]; sink(b, n & 63u); return b[0]; }
