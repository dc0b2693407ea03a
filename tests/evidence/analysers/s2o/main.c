int helper(int v);
int start(int v) { return helper(v) + 1; }
