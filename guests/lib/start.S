/*
 * Guest entry: arm64 Image header, then the first instruction samples the
 * counter (boot-time benchmark), then stack, BSS, vectors, main().
 * Entered at EL1h, MMU and caches off, DAIF masked, x0 = device tree.
 */

    .section .text.head, "ax"
    .globl _start
_start:
    b       guest_entry                 /* code0 */
    .word   0                           /* code1 */
    .quad   0                           /* text_offset */
    .quad   __image_size                /* image_size, BSS and stack included */
    .quad   0xA                         /* flags: LE, 4K pages, anywhere */
    .quad   0                           /* res2 */
    .quad   0                           /* res3 */
    .quad   0                           /* res4 */
    .word   0x644d5241                  /* magic "ARM\x64" */
    .word   0                           /* res5 */

guest_entry:
    mrs     x19, cntvct_el0             /* must stay the first instruction */
    mov     x20, x0
    adrp    x1, __stack_top
    add     x1, x1, :lo12:__stack_top
    mov     sp, x1
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  adrp    x1, guest_start_ticks
    str     x19, [x1, :lo12:guest_start_ticks]
    adrp    x1, guest_dtb
    str     x20, [x1, :lo12:guest_dtb]
    adrp    x1, guest_entry_x21
    str     x21, [x1, :lo12:guest_entry_x21] /* untouched until here */
    adrp    x1, guest_vectors
    add     x1, x1, :lo12:guest_vectors
    msr     vbar_el1, x1
    isb
    bl      main
    bl      guest_poweroff
3:  wfi
    b       3b

/*
 * Vector table. Only an IRQ from the current EL with SP_ELx is expected;
 * everything else reports and crashes the partition.
 */
    .macro  bad_vector kind
    .balign 0x80
    mov     x0, #\kind
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    b       guest_bad_exception
    .endm

    .macro  save_caller
    sub     sp, sp, #(24 * 8)
    stp     x0, x1, [sp, #(0 * 8)]
    stp     x2, x3, [sp, #(2 * 8)]
    stp     x4, x5, [sp, #(4 * 8)]
    stp     x6, x7, [sp, #(6 * 8)]
    stp     x8, x9, [sp, #(8 * 8)]
    stp     x10, x11, [sp, #(10 * 8)]
    stp     x12, x13, [sp, #(12 * 8)]
    stp     x14, x15, [sp, #(14 * 8)]
    stp     x16, x17, [sp, #(16 * 8)]
    stp     x18, x29, [sp, #(18 * 8)]
    mrs     x0, elr_el1
    mrs     x1, spsr_el1
    stp     x30, x0, [sp, #(20 * 8)]
    str     x1, [sp, #(22 * 8)]
    .endm

    .macro  restore_caller
    ldr     x1, [sp, #(22 * 8)]
    ldp     x30, x0, [sp, #(20 * 8)]
    msr     spsr_el1, x1
    msr     elr_el1, x0
    ldp     x18, x29, [sp, #(18 * 8)]
    ldp     x16, x17, [sp, #(16 * 8)]
    ldp     x14, x15, [sp, #(14 * 8)]
    ldp     x12, x13, [sp, #(12 * 8)]
    ldp     x10, x11, [sp, #(10 * 8)]
    ldp     x8, x9, [sp, #(8 * 8)]
    ldp     x6, x7, [sp, #(6 * 8)]
    ldp     x4, x5, [sp, #(4 * 8)]
    ldp     x2, x3, [sp, #(2 * 8)]
    ldp     x0, x1, [sp, #(0 * 8)]
    add     sp, sp, #(24 * 8)
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .globl guest_vectors
guest_vectors:
    bad_vector 0        /* current EL, SP0: sync */
    bad_vector 1        /* irq */
    bad_vector 2        /* fiq */
    bad_vector 3        /* serror */
    bad_vector 4        /* current EL, SPx: sync */
    .balign 0x80        /* current EL, SPx: irq */
    save_caller
    bl      guest_irq_entry
    restore_caller
    eret
    bad_vector 6        /* fiq */
    bad_vector 7        /* serror */
    bad_vector 8        /* lower EL, AArch64 */
    bad_vector 9
    bad_vector 10
    bad_vector 11
    bad_vector 12       /* lower EL, AArch32 */
    bad_vector 13
    bad_vector 14
    bad_vector 15
