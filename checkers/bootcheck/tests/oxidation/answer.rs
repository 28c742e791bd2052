// A Rust cdylib with a C interface, like librsvg or a Python extension
// written in Rust: the C program answer-user.c links it.
use std::collections::HashMap;

#[no_mangle]
pub extern "C" fn oxidation_answer(key: u32) -> u32 {
    let mut m = HashMap::new();
    m.insert(1u32, 42u32);
    *m.get(&key).expect("only key 1 has an answer")
}
