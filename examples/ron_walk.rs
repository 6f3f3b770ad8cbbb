//! Baseline for load-time budgets: only walks a RON file with the ron parser
//! (`ron::from_str::<serde::de::IgnoredAny>`), building nothing.
//! `cargo run --release --example ron_walk -- FILE`

fn main() {
    let path = std::env::args().nth(1).expect("usage: ron_walk FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let started = std::time::Instant::now();
    match ron::from_str::<serde::de::IgnoredAny>(&text) {
        Ok(_) => eprintln!("parsed in {:.3} s", started.elapsed().as_secs_f64()),
        Err(e) => eprintln!("{path}: {e}"),
    }
}
