/* A C program that links a Rust library (answer.rs) dynamically. */
#include <stdio.h>

unsigned oxidation_answer(unsigned key);

int main(void) {
    printf("%u\n", oxidation_answer(1));
    return 0;
}
