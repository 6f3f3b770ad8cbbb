//! Times each phase of loading a store: read, parse, validate and index.
//! `cargo run --release --example load_phases -- FILE`

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: load_phases FILE");
    let t = Instant::now();
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let read = t.elapsed();
    let t = Instant::now();
    let file = annals::load::parse(&text, &path).expect("parses");
    let parse = t.elapsed();
    let t = Instant::now();
    let model = annals::validate::build(file).expect("valid");
    let build = t.elapsed();
    let t = Instant::now();
    let index = annals::SearchIndex::build(&model);
    let search = t.elapsed();
    drop(index);
    println!(
        "read {:.3} s, parse {:.3} s, validate+index {:.3} s, search index {:.3} s ({} events)",
        read.as_secs_f64(),
        parse.as_secs_f64(),
        build.as_secs_f64(),
        search.as_secs_f64(),
        model.events.len()
    );
}
