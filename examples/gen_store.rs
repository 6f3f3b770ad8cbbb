//! Writes a reproducible, realistic synthetic event store that passes
//! `annals check`, for benchmarks and for trying annals at scale.
//!
//! cargo run --release --example gen_store -- --events 100000 --seed 1 -o big.ron

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// How many events.
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// The same seed gives the same store.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write it.
    #[arg(short = 'o', long)]
    output: PathBuf,
}

fn main() {
    let args = Args::parse();
    let text = annals::synth::to_ron(&annals::synth::generate(args.events, args.seed));
    if let Err(e) = std::fs::write(&args.output, text) {
        eprintln!("gen_store: cannot write {}: {e}", args.output.display());
        std::process::exit(1);
    }
    eprintln!("wrote {} events to {}", args.events, args.output.display());
}
