/* Routing of trapped guest MMIO accesses to the emulated devices. */
#include "mmio.h"

#include "part.h"
#include "passthru.h"
#include "vgic.h"
#include "vuart.h"

/* A guest write the vGIC handled may have moved a pass-through SPI to
 * another vCPU (GICD_IROUTER) or completed it (ICPENDR, ICACTIVER): its
 * physical SPI follows (passthru_sync).
 * Implements: LLR-MMIO-001, LLR-PT-027 */
enum mmio_result mmio_dispatch(struct vcpu *v, uint64_t gpa, uint32_t size, bool write,
                               uint64_t *val)
{
    enum mmio_result r = vgic_mmio(v, gpa, size, write, val);
    if (r == MMIO_HANDLED && write) {
        passthru_sync(v->part);
    }
    if (r == MMIO_NOT_MINE) {
        r = vuart_mmio(v, gpa, size, write, val);
    }
    return r;
}
