int fix_sign(int v);
int fix_sign(int v)
{
    if (v < 0) {
        return -1;
    }
    return 1;
}
