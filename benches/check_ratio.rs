//! `annals check` against the bare ron parse of the same file, measured in
//! one run: whole processes, the two run in turn, round after round, and
//! the ratio taken per round. On a shared machine the speed drifts by ±5%
//! from minute to minute (far more when others build); a ratio of two runs
//! made minutes apart measures the drift as much as the program.
//!
//! Each process is timed three ways: wall time, CPU time (user + system,
//! from `wait4`: what the process cost the machine, which a second core
//! does not hide), and peak memory (its largest resident set, per event).
//!
//! `cargo bench --bench check_ratio` (100k events; ANNALS_BENCH_SIZES picks
//! others, ANNALS_BENCH_ROUNDS the rounds, 15 by default). The bare parse
//! is this program run again: `ron::from_str::<IgnoredAny>` of the file
//! read into memory, building nothing (as `examples/ron_walk.rs`); the
//! read alone (`cat` into memory) is measured the same way. With
//! ANNALS_BENCH_OTHER set to another `annals` binary (an older build), it
//! runs in the same rounds, for a before and after in one run.

mod common;
#[path = "common/process.rs"]
mod process;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use process::{Cost, run};

/// Set to a store's path, this program only walks it (the bare parse).
const WALK: &str = "ANNALS_BENCH_WALK";
/// Set to a store's path, this program only reads it into memory.
const READ: &str = "ANNALS_BENCH_READ";

fn main() {
    if let Some(path) = std::env::var_os(WALK) {
        let text = std::fs::read_to_string(path).expect("a readable UTF-8 store");
        ron::from_str::<serde::de::IgnoredAny>(&text).expect("a store ron can walk");
        return;
    }
    if let Some(path) = std::env::var_os(READ) {
        let bytes = std::fs::read(path).expect("a readable store");
        std::hint::black_box(bytes);
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

/// The commands compared, by name.
fn commands(store: &Path) -> Vec<(String, Command)> {
    let me = std::env::current_exe().expect("this program's path");
    let mut out = Vec::new();
    for (name, var) in [("read (cat)", READ), ("bare ron parse", WALK)] {
        let mut c = Command::new(&me);
        c.env(var, store);
        out.push((name.to_string(), c));
    }
    let mut check = Command::new(env!("CARGO_BIN_EXE_annals"));
    check.args(["check", "--no-cache"]).arg(store);
    out.push(("check --no-cache".to_string(), check));
    if let Some(other) = std::env::var_os("ANNALS_BENCH_OTHER") {
        let mut c = Command::new(&other);
        c.args(["check", "--no-cache"]).arg(store);
        out.push(("check, other build".to_string(), c));
    }
    out
}

fn compare(n: usize, store: &Path, rounds: usize) {
    let mut commands = commands(store);
    // Once each first, so all start with the file in the page cache.
    for (_, c) in &mut commands {
        run(c);
    }
    let mut costs: Vec<Vec<Cost>> = vec![Vec::new(); commands.len()];
    for _ in 0..rounds {
        for (i, (_, c)) in commands.iter_mut().enumerate() {
            costs[i].push(run(c));
        }
    }
    println!("{n} events, {rounds} rounds, medians (fastest):");
    for ((name, _), costs) in commands.iter().zip(&costs) {
        let wall = median(costs.iter().map(|c| ms(c.wall)));
        let cpu = median(costs.iter().map(|c| ms(c.cpu)));
        let peak = median(costs.iter().map(|c| c.peak as f64));
        println!(
            "  {name:20} wall {wall:7.1} ms ({:.1})  cpu {cpu:7.1} ms ({:.1})  peak {:6.1} MB, {:.2} KB per event",
            min(costs.iter().map(|c| ms(c.wall))),
            min(costs.iter().map(|c| ms(c.cpu))),
            peak / 1e6,
            peak / 1e3 / n as f64,
        );
    }
    // Per round, against the bare parse (the second command).
    for (i, (name, _)) in commands.iter().enumerate().skip(2) {
        for (what, of) in [
            ("wall", (|c: &Cost| ms(c.wall)) as fn(&Cost) -> f64),
            ("cpu", |c: &Cost| ms(c.cpu)),
        ] {
            let mut ratios: Vec<f64> = costs[i]
                .iter()
                .zip(&costs[1])
                .map(|(c, w)| of(c) / of(w))
                .collect();
            ratios.sort_by(f64::total_cmp);
            println!(
                "  {name} / bare parse, {what}, per round: median {:.3}x, from {:.3}x to {:.3}x",
                ratios[ratios.len() / 2],
                ratios[0],
                ratios[ratios.len() - 1]
            );
        }
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(f64::INFINITY, f64::min)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
