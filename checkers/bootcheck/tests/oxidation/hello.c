#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello from C, %d argument(s) to %s\n", argc - 1, argv[0]);
    return 0;
}
