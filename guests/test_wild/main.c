/* Writes where it has no memory: the hypervisor must stop only this partition. */
#include "guest.h"

#define WILD_ADDR 0x7f000000ull

int main(void)
{
    gputs("writing outside RAM\n");
    mmio_write32(WILD_ADDR, 0xdeadbeefu);
    gputs("not ok - survived wild write\n");
    guest_crash();
}
