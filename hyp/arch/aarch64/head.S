/*
 * Entry points. The first 64 bytes are the arm64 Image header, so any loader
 * that boots a Linux arm64 Image (QEMU -kernel, U-Boot booti) boots Bulkhead.
 * The primary CPU arrives at EL2 with the MMU off and x0 = the loader's DTB,
 * which Bulkhead does not use: the platform is described by platform.h and
 * the system by the configuration blob.
 * Implements: LLR-ARCH-001 (Image header), LLR-ARCH-002 (entry checks).
 */
#include "asm_defs.h"
#include "platform.h"

    .section .text.head, "ax"
    .globl _start
_start:
    b       primary_entry               /* code0 */
    .long   0                           /* code1 */
    .quad   _text_offset                /* text_offset */
    .quad   _image_size                 /* image_size; the packer grows it */
    .quad   0x2                         /* flags: little-endian, 4 KiB pages */
    .quad   0, 0, 0                     /* res2..res4 */
    .long   0x644d5241                  /* magic "ARM\x64" */
    .long   0                           /* res5 */

primary_entry:
    /* Linked at a fixed address: refuse, visibly, to run anywhere else. */
    adr     x1, _start
    ldr     x2, =_start
    cmp     x1, x2
    b.ne    wrong_address
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  mov     x0, #0
    b       cpu_common_entry

/* PSCI CPU_ON lands here with x0 = the context id = the CPU index. */
    .globl secondary_entry
secondary_entry:
    b       cpu_common_entry

/* x0 = CPU index. Give the CPU its stack and vectors, then enter C. */
cpu_common_entry:
    adrp    x1, arch_stacks
    add     x1, x1, :lo12:arch_stacks
    mov     x2, #PLAT_STACK_SIZE
    madd    x1, x0, x2, x1
    add     sp, x1, x2
    adrp    x1, el2_vectors
    add     x1, x1, :lo12:el2_vectors
    msr     vbar_el2, x1
    isb
    bl      arch_cpu_main
3:  wfi
    b       3b

/* Print a fixed message on the platform UART without any C, then stop. */
wrong_address:
    adr     x1, wrong_msg
    mov     x2, #PLAT_UART_BASE
4:  ldrb    w3, [x1], #1
    cbz     w3, 5f
    strb    w3, [x2]
    b       4b
5:  wfi
    b       5b

wrong_msg:
    .asciz  "(bulkhead) loaded at the wrong address: must be linked load address; halted\r\n"
    .balign 4
    .ltorg
