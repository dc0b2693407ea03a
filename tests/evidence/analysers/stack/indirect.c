int leaf(int v);
__attribute__((noinline)) int leaf(int v) { return v + 1; }
int (*volatile hook)(int) = leaf;
int entry(int v) { return hook(v); }
