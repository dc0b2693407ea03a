    .text
    .globl helper
helper:
    add x0, x0, #2
    ret
