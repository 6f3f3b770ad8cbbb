//! What the benchmarks share: the sizes to run and the synthetic stores.

use std::path::PathBuf;

/// The sizes named in ANNALS_BENCH_SIZES (comma-separated), else `default`.
pub fn sizes_or(default: &[usize]) -> Vec<usize> {
    match std::env::var("ANNALS_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) => default.to_vec(),
    }
}

/// The store file of `n` synthetic events (seed 1), generated on first use
/// under `target/bench-stores/`.
pub fn store_path(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    let path = dir.join(format!("synth-{n}-seed1.ron"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("target/ is writable");
        let text = annals::synth::to_ron(&annals::synth::generate(n, 1));
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).expect("target/ is writable");
        std::fs::rename(&tmp, &path).expect("target/ is writable");
    }
    path
}
