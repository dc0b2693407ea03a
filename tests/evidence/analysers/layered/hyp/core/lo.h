int lo_f(int v);
int hi_g(int v);
extern int hi_state;
