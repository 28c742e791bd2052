/* A stand-in for what nixpkgs' makeBinaryWrapper generates
 * (pkgs/build-support/setup-hooks/make-binary-wrapper/make-binary-wrapper.sh),
 * written for this test to the same structure: a main that sets the
 * environment, keeps argv[0] (--inherit-argv0) and returns
 * execv("<executable>", argv), followed by a global DOCSTRING that
 * records the makeCWrapper command the code came from. The test compiles
 * it with -DEXECUTABLE="..." and, like nixpkgs, with -Os. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    (void)argc;
    putenv("OXIDATION_WRAPPED=1");
    return execv(EXECUTABLE, argv);
}

const char *DOCSTRING =
    "\n\n\n# ------------------------------------------------------------------------------------\n"
    "# The C-code for this binary wrapper has been generated using the following command:\n\n\n"
    "makeCWrapper " EXECUTABLE " \\\n    --inherit-argv0 \\\n    --set OXIDATION_WRAPPED 1\n\n\n"
    "# ------------------------------------------------------------------------------------\n\n\n";
