/* Clean fixture of prove.py's EVA run (tests/evidence/campaign_prove.py):
 * every access is guarded but one, whose alarm justifications.json
 * justifies. The campaign seeds defects into a copy. */
#include "__fc_builtin.h"

static int table[8];

static int get(unsigned int i)
{
    if (i < 8u) {
        return table[i];
    }
    return 0;
}

static int ratio(int a, int b)
{
    if (b == 0) {
        return 0;
    }
    return a / b;
}

static int pick(unsigned int k)
{
    return table[k % 9u]; /* justified: the fixture's one alarm */
}

static int seed_hook(void)
{
    return 0;
}

int main(void)
{
    unsigned int i = Frama_C_unsigned_int_interval(0u, 100u);
    int b = Frama_C_interval(-3, 3);
    int r = get(i) + ratio(100, b) + pick(i) + seed_hook();
    return r;
}
