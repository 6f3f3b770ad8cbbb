//! `annals check` against the bare ron parse of the same file, measured in
//! one run: whole processes, the two run in turn, round after round, and
//! the ratio taken per round. On a shared machine the speed drifts by ±5%
//! from minute to minute; a ratio of two runs made minutes apart measures
//! the drift as much as the program.
//!
//! `cargo bench --bench check_ratio` (100k events; ANNALS_BENCH_SIZES picks
//! others, ANNALS_BENCH_ROUNDS the rounds, 15 by default). The bare parse
//! is this program run again: `ron::from_str::<IgnoredAny>` of the file
//! read into memory, building nothing (as `examples/ron_walk.rs`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set to a store's path, this program only walks it (the bare parse).
const WALK: &str = "ANNALS_BENCH_WALK";

fn main() {
    if let Some(path) = std::env::var_os(WALK) {
        let text = std::fs::read_to_string(path).expect("a readable UTF-8 store");
        ron::from_str::<serde::de::IgnoredAny>(&text).expect("a store ron can walk");
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test` runs benches with no
    // such flag, and should not spend a minute here.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rounds: usize = std::env::var("ANNALS_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    for n in common::sizes_or(&[100_000]) {
        compare(n, &common::store_path(n), rounds.max(1));
    }
}

fn compare(n: usize, store: &Path, rounds: usize) {
    let me = std::env::current_exe().expect("this program's path");
    let walk = || {
        let mut c = Command::new(&me);
        c.env(WALK, store);
        c
    };
    let check = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
        c.args(["check", "--no-cache"]).arg(store);
        c
    };
    // Once each first, so both start with the file in the page cache.
    time(walk());
    time(check());
    let (mut walks, mut checks, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let w = time(walk());
        let c = time(check());
        ratios.push(c.as_secs_f64() / w.as_secs_f64());
        walks.push(w);
        checks.push(c);
    }
    println!("{n} events, {rounds} rounds, medians (fastest):");
    println!(
        "  bare ron parse     {:7.1} ms ({:.1})",
        ms(median(&mut walks)),
        ms(walks[0])
    );
    println!(
        "  check --no-cache   {:7.1} ms ({:.1})",
        ms(median(&mut checks)),
        ms(checks[0])
    );
    ratios.sort_by(f64::total_cmp);
    println!(
        "  check / bare parse, per round: median {:.3}x, from {:.3}x to {:.3}x",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// How long the command takes, start to exit; it must succeed.
fn time(mut command: Command) -> Duration {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command starts");
    let took = started.elapsed();
    assert!(status.success(), "{command:?} failed");
    took
}

/// Sorts `times` and gives the middle one.
fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
