/*
 * Linked into the sanitizer build of the host tools (build/host-asan, see
 * tools/tools.mk): a sanitizer finding ends the program with status 99,
 * which no tool returns by itself (bulkhead: 0..3), so a test expecting a
 * refusal cannot take a crash for one. ASAN_OPTIONS and UBSAN_OPTIONS in
 * the environment still add to these.
 */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
    return "exitcode=99";
}

const char *__ubsan_default_options(void)
{
    return "exitcode=99:print_stacktrace=1";
}
