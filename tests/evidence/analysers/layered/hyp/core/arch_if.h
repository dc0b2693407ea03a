int arch_x(int v);
