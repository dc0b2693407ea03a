/* Clean fixture of prove.py's WP run (tests/evidence/campaign_prove.py):
 * two functions whose contracts WP proves. */

/*@ requires \valid_read(a + (0 .. 7));
    assigns \nothing;
    ensures \result == 0 || (i < 8 && \result == a[i]);
 */
int lookup(const int *a, unsigned int i)
{
    if (i >= 8u) {
        return 0;
    }
    return a[i];
}

/*@ assigns \nothing;
    ensures \result <==> a + s <= 4294967295;
 */
int fits(unsigned int a, unsigned int s)
{
    return s <= 4294967295u - a;
}
