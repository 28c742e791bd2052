// A tiny Rust program the test builds in several ways (stripped, static,
// panic=abort). It reads its argument so its unwrap and index checks stay in.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(Ok(0), |a| a.parse()).unwrap();
    let words = ["oxidized", "hello"];
    println!(
        "{} {}",
        words[n % 2],
        std::env::var("OXIDATION_WRAPPED").unwrap_or_default()
    );
}
