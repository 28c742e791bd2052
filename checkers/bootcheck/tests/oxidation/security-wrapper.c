/* A stand-in for NixOS's setuid/capability wrapper, written for this test
 * to the same structure as nixpkgs' nixos/modules/security/wrappers/wrapper.c:
 * the wrapped program's path is compiled in (-DSOURCE_PROG="..."), an
 * ASSERT macro aborts with "Assertion `...` in NixOS's wrapper.c failed.",
 * and main ends in execve(SOURCE_PROG, argv, environ). Built without
 * SOURCE_PROG it behaves like the wrapper's older versions, which read the
 * path from "<its own path>.real". No capabilities are raised here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ASSERT(expr) ((expr) ? (void)0 : assertion_failed(#expr))

extern char **environ;

static void assertion_failed(const char *what) {
    fprintf(stderr, "Assertion `%s` in NixOS's wrapper.c failed.\n", what);
    abort();
}

int main(int argc, char **argv) {
    ASSERT(argc >= 1);
#ifdef SOURCE_PROG
    const char *target = SOURCE_PROG;
#else
    static char self[4096], dot_real[4200], target_buf[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    ASSERT(n > 0);
    self[n] = 0;
    snprintf(dot_real, sizeof dot_real, "%s.real", self);
    FILE *f = fopen(dot_real, "r");
    ASSERT(f != NULL);
    size_t len = fread(target_buf, 1, sizeof target_buf - 1, f);
    fclose(f);
    ASSERT(len > 0);
    target_buf[len] = 0;
    const char *target = target_buf;
#endif
    if (getenv("WRAPPER_DEBUG"))
        fprintf(stderr, "wrapper: running %s\n", target);
    execve(target, argv, environ);
    fprintf(stderr, "%s: cannot run `%s': %s\n", argv[0], target, strerror(errno));
    return 1;
}
