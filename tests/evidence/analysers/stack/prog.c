#define N 40
void sink(volatile char *p, int n);
__attribute__((noinline)) void sink(volatile char *p, int n) { for (int i = 0; i < n; i++) p[i] = 1; }
__attribute__((noinline)) int leaf(int v) { volatile char b[N * 4]; sink(b, N * 4); return b[v & 3]; }
__attribute__((noinline)) int mid(int v) { volatile char b[N]; sink(b, N); return leaf(v) + b[1]; }
int entry(int v) { return mid(v) + leaf(v + 1); }
