#define STACK 0x400
