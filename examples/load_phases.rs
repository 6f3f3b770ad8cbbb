//! Times each phase of loading a store (read, parse, validate and index,
//! search index) and the peak memory after each.
//! `cargo run --release --example load_phases -- FILE`

use std::sync::Arc;
use std::time::Instant;

/// Peak resident memory so far, in MB (Linux; 0 elsewhere).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: load_phases FILE");
    let t = Instant::now();
    let text = Arc::new(annals::store::shared::Text::from(
        std::fs::read_to_string(&path).expect("readable UTF-8 file"),
    ));
    println!(
        "read           {:.3} s  peak {:.0} MB",
        t.elapsed().as_secs_f64(),
        peak_mb()
    );
    let t = Instant::now();
    let file = annals::store::load::parse_shared(&text, &path).expect("parses");
    println!(
        "parse          {:.3} s  peak {:.0} MB",
        t.elapsed().as_secs_f64(),
        peak_mb()
    );
    let t = Instant::now();
    let model = annals::validate::build(file).expect("valid");
    println!(
        "validate+index {:.3} s  peak {:.0} MB",
        t.elapsed().as_secs_f64(),
        peak_mb()
    );
    let t = Instant::now();
    let index = annals::SearchIndex::build(&model);
    println!(
        "search index   {:.3} s  peak {:.0} MB",
        t.elapsed().as_secs_f64(),
        peak_mb()
    );
    drop(index);
    println!("{} events", model.events.len());
}
