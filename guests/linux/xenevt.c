/*
 * xenevt: a Linux user program (not a partition program) that exchanges
 * events with another partition through /dev/xen/evtchn (the xen-evtchn
 * module of the kernel package). Built static for arm64 into the Linux
 * partition's initramfs (scripts/mkinitramfs.sh).
 *
 *   xenevt DOMID PORT [COUNT]
 *
 * binds to port PORT of domain DOMID (IOCTL_EVTCHN_BIND_INTERDOMAIN; on
 * Bulkhead, naming the far end of a static channel of the configuration
 * yields the channel's own local port), then COUNT times (default 3) sends
 * an event and waits up to 10 s for one back. Prints each step; exits 0
 * when every event came back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <unistd.h>

typedef uint16_t domid_t; /* the UAPI header uses it without defining it */
#include <xen/evtchn.h>

#define WAIT_MS 10000

static int fail(const char *what)
{
    printf("xenevt: %s: %s\n", what, strerror(errno));
    return 1;
}

/* Wait for one event on fd; returns its port, or -1. Writing the port back
 * re-enables (unmasks) it, as the driver expects after each read. */
static long wait_event(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    unsigned int port;
    if (poll(&pfd, 1, WAIT_MS) != 1) {
        errno = (errno == 0) ? ETIMEDOUT : errno;
        return -1;
    }
    if (read(fd, &port, sizeof(port)) != (ssize_t)sizeof(port)) {
        return -1;
    }
    if (write(fd, &port, sizeof(port)) != (ssize_t)sizeof(port)) {
        return -1;
    }
    return (long)port;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: xenevt DOMID PORT [COUNT]\n");
        return 2;
    }
    struct ioctl_evtchn_bind_interdomain bind = {
        .remote_domain = (unsigned int)strtoul(argv[1], NULL, 0),
        .remote_port = (unsigned int)strtoul(argv[2], NULL, 0),
    };
    unsigned long count = (argc > 3) ? strtoul(argv[3], NULL, 0) : 3ul;
    int fd = open("/dev/xen/evtchn", O_RDWR);
    if (fd < 0) {
        return fail("open /dev/xen/evtchn");
    }
    int local = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (local < 0) {
        return fail("bind_interdomain");
    }
    printf("xenevt: domain %u port %u is local port %d\n", bind.remote_domain, bind.remote_port,
           local);
    for (unsigned long i = 1; i <= count; i++) {
        struct ioctl_evtchn_notify notify = {.port = (unsigned int)local};
        if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) != 0) {
            return fail("notify");
        }
        printf("xenevt: event %lu sent\n", i);
        fflush(stdout);
        long got = wait_event(fd);
        if (got != local) {
            return fail("no answer");
        }
        printf("xenevt: event %lu answered on port %ld\n", i, got);
    }
    printf("xenevt: done, %lu events each way\n", count);
    close(fd);
    return 0;
}
