/* Bounded FDT reader; see fdt.h. The MMU is off, so only aligned 32-bit and
 * byte loads are used. */
#include "fdt.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX_SIZE (2u * 1024u * 1024u)

struct fdt_view {
    const uint8_t *base;
    uint32_t total;
    uint32_t off_struct;
    uint32_t size_struct;
    uint32_t off_strings;
    uint32_t size_strings;
};

static uint32_t be32(const uint8_t *p)
{
    uint32_t v = *(const volatile uint32_t *)(const void *)p;
    return __builtin_bswap32(v);
}

/* Does the NUL-terminated string at off (bounded by end) equal s? */
static int str_at_equals(const uint8_t *base, uint32_t off, uint32_t end, const char *s)
{
    uint32_t i;
    for (i = 0; off + i < end; i++) {
        char c = (char)base[off + i];
        if (c != s[i]) {
            return 0;
        }
        if (c == '\0') {
            return 1;
        }
    }
    return 0;
}

/* Length of the NUL-terminated string at off including the NUL, or 0. */
static uint32_t str_len_at(const uint8_t *base, uint32_t off, uint32_t end)
{
    uint32_t i;
    for (i = 0; off + i < end; i++) {
        if (base[off + i] == 0u) {
            return i + 1u;
        }
    }
    return 0;
}

static int fdt_open(const void *dtb, struct fdt_view *f)
{
    f->base = (const uint8_t *)dtb;
    if (dtb == NULL || ((uintptr_t)dtb & 3u) != 0u || be32(f->base) != FDT_MAGIC) {
        return 0;
    }
    f->total = be32(f->base + 4);
    f->off_struct = be32(f->base + 8);
    f->off_strings = be32(f->base + 12);
    f->size_strings = be32(f->base + 32);
    f->size_struct = be32(f->base + 36);
    return f->total <= FDT_MAX_SIZE && f->off_struct <= f->total &&
           f->size_struct <= f->total - f->off_struct && f->off_strings <= f->total &&
           f->size_strings <= f->total - f->off_strings && (f->off_struct & 3u) == 0u;
}

const void *fdt_find_prop(const void *dtb, const char *node, const char *prop, uint32_t *len)
{
    struct fdt_view f;
    uint32_t pos;
    uint32_t end;
    uint32_t depth = 0;
    int in_node = 0;

    if (!fdt_open(dtb, &f)) {
        return NULL;
    }
    pos = f.off_struct;
    end = f.off_struct + f.size_struct;
    while (pos + 4u <= end) { /* every step advances pos by at least 4 */
        uint32_t tok = be32(f.base + pos);
        pos += 4u;
        if (tok == FDT_BEGIN_NODE) {
            uint32_t n = str_len_at(f.base, pos, end);
            if (n == 0u) {
                return NULL;
            }
            depth++;
            in_node = (depth == 2u && str_at_equals(f.base, pos, end, node));
            pos += (n + 3u) & ~3u;
        } else if (tok == FDT_END_NODE) {
            if (depth == 0u) {
                return NULL;
            }
            depth--;
            in_node = 0;
        } else if (tok == FDT_PROP) {
            if (pos + 8u > end) {
                return NULL;
            }
            uint32_t plen = be32(f.base + pos);
            uint32_t nameoff = be32(f.base + pos + 4u);
            pos += 8u;
            if (plen > end - pos || nameoff >= f.size_strings) {
                return NULL;
            }
            if (in_node && str_at_equals(f.base, f.off_strings + nameoff,
                                         f.off_strings + f.size_strings, prop)) {
                *len = plen;
                return f.base + pos;
            }
            pos += (plen + 3u) & ~3u;
        } else if (tok != FDT_NOP) {
            return NULL; /* FDT_END or garbage */
        }
    }
    return NULL;
}
