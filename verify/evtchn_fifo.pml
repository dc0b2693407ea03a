/*
 * FIFO event channels: the hypervisor (producer) links raised events into
 * per-priority queues of one vCPU while the guest (consumer) unlinks and
 * handles them and, concurrently, masks, unmasks and re-prioritises ports.
 * Both sides share the event words and the control block; each shared-word
 * access below is one atomic step, as in hyp/core/evtchn_fifo.c (a
 * compare-and-swap that fails because the guest changed another bit is
 * retried there and is one step here; the give-up after EVTCHN_FIFO_TRIES
 * failures needs a misbehaving guest and is outside this model).
 *
 * Checked (assertions and end states):
 *   no-lost-event   at quiescence no port is PENDING and unmasked, and none is
 *                   left LINKED (stranded in a queue nobody will drain)
 *   no-double-link  a port is never linked while it is still in a queue, and
 *                   the consumer only ever unlinks a queued port of the queue
 *                   it walks
 *   bounded-drain   one upcall drains in at most MAXSTEPS unlinks
 *   no-deadlock     no invalid end state
 * verify/run.sh runs it; -DSEED_BUG removes the hypervisor's "forget a moved
 * tail" step, which must make the check fail.
 */
#define N 3                 /* ports 1..N; 0 is "no port" */
#define Q 2                 /* priorities 0 (high) and 1 */
#ifndef SENDS
#define SENDS 3
#endif
#ifndef OPS
#define OPS 2               /* guest mask / unmask / set_priority actions */
#endif
#define MAXSTEPS (SENDS + OPS + N + 1)

/* guest-shared: event words and control block */
bit pend[N + 1];
bit mask[N + 1];
bit linked[N + 1];
byte link[N + 1];
byte ready;
byte head[Q];
bit irq;                    /* the event PPI */

/* hypervisor private */
bit hlock;                  /* the partition's event-channel lock */
byte tail[Q];
byte prio[N + 1];
byte last_prio[N + 1];

/* ghosts */
bit inq[N + 1];
byte inq_prio[N + 1];
bit prod_done;
bit drv_done;

inline lock() { atomic { hlock == 0 -> hlock = 1 } }
inline unlock() { hlock = 0 }

inline pick_port(p) {
    if
    :: p = 1
    :: p = 2
    :: p = 3
    fi
}

/* evtchn_fifo_raise after PENDING is set, and fifo_link; lock held. */
inline link_event(p, q, ok, was) {
    if
    :: mask[p] -> skip
    :: else ->
        atomic {
            was = linked[p];
            linked[p] = 1;
            if
            :: !was -> assert(!inq[p]); inq[p] = 1; inq_prio[p] = prio[p]
            :: else -> skip
            fi
        }
        if
        :: was -> skip
        :: else ->
            q = prio[p];
#ifndef SEED_BUG
            if
            :: tail[last_prio[p]] == p -> tail[last_prio[p]] = 0
            :: else -> skip
            fi;
#endif
            ok = 0;
            if
            :: tail[q] != 0 ->
                atomic {
                    if
                    :: linked[tail[q]] -> link[tail[q]] = p; ok = 1
                    :: else -> skip
                    fi
                }
            :: else -> skip
            fi;
            if
            :: !ok -> head[q] = p
            :: else -> skip
            fi;
            tail[q] = p;
            last_prio[p] = q;
            if
            :: !ok ->
                atomic {
                    if
                    :: (ready & (1 << q)) == 0 -> ready = ready | (1 << q); irq = 1
                    :: else -> skip
                    fi
                }
            :: else -> skip
            fi
        fi
    fi
}

/* The hypervisor: EVTCHNOP_send on a loopback channel, SENDS times. */
active proctype producer() {
    byte i = 0;
    byte p;
    byte q;
    bit ok;
    bit was;
    do
    :: i < SENDS ->
        pick_port(p);
        lock();
        pend[p] = 1;
        link_event(p, q, ok, was);
        unlock();
        i++
    :: else -> break
    od;
    prod_done = 1
}

/* Guest unmask: clear MASKED unless PENDING, else EVTCHNOP_unmask. */
inline guest_unmask(p, q, ok, was, hc) {
    atomic {
        if
        :: !mask[p] -> hc = 0
        :: mask[p] && pend[p] -> hc = 1
        :: mask[p] && !pend[p] -> mask[p] = 0; hc = 0
        fi
    }
    if
    :: hc ->
        lock();
        mask[p] = 0;
        if
        :: pend[p] -> link_event(p, q, ok, was)
        :: else -> skip
        fi;
        unlock()
    :: else -> skip
    fi
}

/* A guest thread that masks, unmasks and re-prioritises concurrently, then
 * leaves every port unmasked. */
active proctype driver() {
    byte k = 0;
    byte p;
    byte q;
    bit ok;
    bit was;
    bit hc;
    do
    :: k < OPS ->
        pick_port(p);
        if
        :: mask[p] = 1
        :: guest_unmask(p, q, ok, was, hc)
        :: lock(); prio[p] = 1 - prio[p]; unlock()
        fi;
        k++
    :: else -> break
    od;
    p = 1;
    do
    :: p <= N -> guest_unmask(p, q, ok, was, hc); p++
    :: else -> break
    od;
    drv_done = 1
}

/* The guest's upcall handler (the consumer). */
active proctype consumer() {
    byte rl;
    byte q;
    byte port;
    byte l;
    byte steps;
    byte lhead[Q];
    do
    :: atomic { irq -> irq = 0 };
        atomic { rl = ready; ready = 0 };
        steps = 0;
        do
        :: rl == 0 -> break
        :: else ->
            q = ((rl & 1) -> 0 : 1);
            if
            :: lhead[q] == 0 -> lhead[q] = head[q]
            :: else -> skip
            fi;
            port = lhead[q];
            assert(port != 0);
            atomic {
                assert(inq[port] && inq_prio[port] == q);
                l = link[port];
                linked[port] = 0;
                link[port] = 0;
                inq[port] = 0
            }
            if
            :: l == 0 -> rl = rl & ~(1 << q)
            :: else -> skip
            fi;
            atomic {
                if
                :: pend[port] && !mask[port] -> pend[port] = 0
                :: else -> skip
                fi
            }
            steps++;
            assert(steps <= MAXSTEPS);
            lhead[q] = l;
            atomic { rl = rl | ready; ready = 0 }
        od
    :: atomic { prod_done && drv_done && !irq -> break }
    od;
    assert(ready == 0);
    port = 1;
    do
    :: port <= N ->
        assert(!(pend[port] && !mask[port]));
        assert(!linked[port]);
        assert(!mask[port]);
        port++
    :: else -> break
    od
}
