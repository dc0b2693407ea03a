/*
 * Partitions and vCPUs: the core's view of what the configuration built.
 * All instances live in static tables (part_table, vcpu_table); nothing is
 * allocated after boot.
 */
#ifndef BH_PART_H
#define BH_PART_H

#include "types.h"
#include "vgic.h"

enum vcpu_state {
    VCPU_OFF = 0,  /* not started (or partition stopped) */
    VCPU_RUNNABLE, /* may be picked by the scheduler */
    VCPU_BLOCKED,  /* waits for an interrupt (WFI, SCHEDOP_block) */
};

/*
 * Life cycle, changed only under the partition's life lock:
 *   RUNNING -> RESTARTING   a restart accepted (part_restart)
 *   STOPPED -> RESTARTING   the same, ordered by the system partition
 *   RESTARTING -> RUNNING   the reload finished (part_reload_step)
 *   any -> STOPPED          part_stop
 * While RESTARTING no vCPU of the partition runs; the reload is done by the
 * CPU of its vCPU 0 in that vCPU's own windows, in bounded steps.
 */
enum part_state {
    PART_UNUSED = 0,
    PART_RUNNING,    /* mode COLD_START, WARM_START or NORMAL */
    PART_STOPPED,    /* mode IDLE: keeps its windows, uses none of their time */
    PART_RESTARTING, /* mode COLD_START or WARM_START, reload under way */
};

/* ARINC 653 partition operating modes (values as ARINC 653 numbers them;
 * guest ABI of the mode hypercalls). */
enum part_mode {
    PART_MODE_IDLE = 0,
    PART_MODE_COLD_START = 1,
    PART_MODE_WARM_START = 2,
    PART_MODE_NORMAL = 3,
};

/* Virtual timer registers as last seen (saved by the arch on switch-out). */
struct vtimer_state {
    uint64_t ctl;  /* CNTV_CTL_EL0 */
    uint64_t cval; /* CNTV_CVAL_EL0 */
};

struct partition;

struct vcpu {
    struct partition *part;
    uint32_t gid;   /* index in vcpu_table, also the arch context index */
    uint32_t vid;   /* index inside the partition (vCPU number, MPIDR Aff0) */
    uint32_t pcpu;  /* physical CPU it is pinned to */
    enum vcpu_state state;
    /* Set by the scheduler while v owns the current window of its CPU
     * (running or blocked in it); read by other CPUs to decide whether an
     * injection or a start must interrupt that CPU now (atomic access). */
    bool in_window;
    struct vtimer_state vtimer;
    struct vgic_cpu vgic;
    /* Physical interrupts the hypervisor took while v was loaded and
     * running, and the counter ticks from each entry to EL2 to the return
     * (BH_HC_IRQ_TIME; updated by the arch layer on v's own CPU only). */
    uint64_t irq_entries;
    uint64_t irq_ticks;
};

/* Progress of a restart's reload (part_reload_step). */
struct part_reload {
    bool cold;           /* restore memory from the blob */
    bool quiesced;       /* event pages and shared info dropped */
    bool closed;         /* ... and then every port closed (evtchn_reset_step) */
    uint32_t seg;        /* next segment: PART_SEG_* */
    uint64_t off;        /* bytes of that segment done */
    uint64_t not_before; /* module time the reload may finish: one per frame */
};

struct partition {
    uint32_t id;    /* index in part_table; VMID is id + 1 */
    enum part_state state;
    enum part_mode mode;
    bh_lock_t life;     /* serialises state and mode changes (see part_state) */
    uint32_t restarts;  /* restarts so far, however asked for */
    struct part_reload reload;
    bool system;        /* the system partition (BH_CFG_PART_F_SYSTEM) */
    char name[BH_CFG_NAME_LEN];
    uint64_t ram_gpa;
    uint64_t ram_pa;
    uint64_t ram_size;
    uint32_t num_vcpus;
    struct vcpu *vcpus[BH_MAX_VCPUS_PER_PART];
    struct vgic_dist vgic;
    const struct bh_cfg_part *cfg; /* validated configuration entry */
};

extern struct partition part_table[BH_MAX_PARTS];
extern struct vcpu vcpu_table[BH_MAX_VCPUS];
extern uint32_t part_count;
extern uint32_t vcpu_count;

/*
 * Translate a guest-physical range of partition p into a hypervisor pointer.
 * Returns NULL unless [gpa, gpa+len) lies wholly inside p's RAM (len may be
 * 0, then gpa must still lie inside RAM or at its end). Never faults.
 * Implements: LLR-PART-001.
 */
void *part_guest_ptr(const struct partition *p, uint64_t gpa, uint64_t len);

/*
 * Build all partitions from a validated configuration: fill part_table and
 * vcpu_table, copy images and device trees into partition RAM, ask the arch
 * to map RAM at stage 2 and reset each vCPU to the entry point with x0 set to
 * the device-tree address.
 * Pre: cfg_validate(cfg, ...) returned CFG_OK. Implements: LLR-PART-002.
 */
void part_build_all(const struct bh_cfg *cfg);

/*
 * Make p's vCPUs look at their state now: a choice is requested on the CPU
 * of each, and each in its window on another CPU is kicked (vgic_kick); one
 * outside its window sees the state when its window starts, so no other
 * partition's window is interrupted. Pre: the change is published.
 * Implements: LLR-PART-003, LLR-PART-004, LLR-CON-011.
 */
void part_wake_vcpus(const struct partition *p);

/*
 * Stop partition p for good: every vCPU becomes VCPU_OFF and is never
 * scheduled again; other partitions are untouched. reason is printed on the
 * console with the partition name. Implements: LLR-PART-003.
 */
void part_stop(struct partition *p, const char *reason);

/*
 * Ask that partition p restart. Accepted only for a running partition, or a
 * stopped one with from_idle set (the system partition's order); a request
 * while a restart is under way is dropped. On acceptance p is RESTARTING in
 * mode COLD_START (cold) or WARM_START, every vCPU is OFF and leaves its CPU,
 * and the restart is counted; nothing is reloaded or reset here: that is
 * part_reload_step's, in p's own windows. Returns whether it was accepted.
 * Implements: LLR-PART-004, LLR-PART-010.
 */
bool part_restart(struct partition *p, bool cold, bool from_idle);

/*
 * One bounded piece of p's restart, by the CPU of p's vCPU 0 in that vCPU's
 * window (sched_pick), until module time deadline. In order: wait until no
 * other vCPU of p is on its CPU; drop p's event channels and shared-info
 * pages, so that no other CPU writes p's RAM; for a cold restart copy the
 * image, device tree and ramdisk back from the blob, PART_RELOAD_CHUNK bytes
 * at a time, checking the time before each; wait until at least one major
 * frame has passed since p's previous restart finished; then reset the
 * virtual devices and vCPUs (vCPU 0 at the entry point, x0 = device tree,
 * the others off), bind the static channels and make p RUNNING.
 * Returns true when p runs again (or is no longer RESTARTING), false when
 * more steps are needed. Pre: p->vcpus[0] owns the caller CPU's window.
 * Implements: LLR-PART-011, LLR-PART-012.
 */
bool part_reload_step(struct partition *p, uint64_t now, uint64_t deadline);

/*
 * Whether v belongs to the running incarnation of its partition: its
 * partition is RUNNING. A vCPU whose partition another CPU stopped or began
 * to restart while it trapped has its hypercalls and faults refused; and a
 * restart's reload finishes only after every vCPU has left its CPU, so
 * nothing the old incarnation asked takes effect in the new one.
 * Implements: LLR-PART-010.
 */
bool part_vcpu_live(const struct vcpu *v);

/* Bytes a reload step copies or zeroes between two looks at the time. */
#define PART_RELOAD_CHUNK 4096u

/*
 * The mode hypercall: caller asks that partition target (its own id, or any
 * id for the system partition) enter mode. Allowed: NORMAL from COLD_START or
 * WARM_START (NORMAL again is no action); IDLE; COLD_START; WARM_START
 * except from COLD_START (ARINC 653); an IDLE target may only be restarted,
 * and only by the system partition. Returns 0, -XEN_EPERM (another partition
 * without the privilege), -XEN_EINVAL (unknown id, mode or transition).
 * Implements: LLR-PART-008.
 */
int64_t part_set_mode(struct vcpu *caller, uint32_t target, uint32_t mode);

/* Mode of partition target (own id, or any for the system partition) in
 * *mode. Returns 0, -XEN_EPERM or -XEN_EINVAL. Implements: LLR-PART-008. */
int64_t part_get_mode(const struct vcpu *caller, uint32_t target, uint32_t *mode);



#endif
