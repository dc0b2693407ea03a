/* Routing of trapped guest MMIO accesses to the emulated devices. */
#include "mmio.h"

#include "vgic.h"
#include "vuart.h"

/* Implements: LLR-MMIO-001 */
enum mmio_result mmio_dispatch(struct vcpu *v, uint64_t gpa, uint32_t size, bool write,
                               uint64_t *val)
{
    enum mmio_result r = vgic_mmio(v, gpa, size, write, val);
    if (r == MMIO_NOT_MINE) {
        r = vuart_mmio(v, gpa, size, write, val);
    }
    return r;
}
