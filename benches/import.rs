//! Importing an ACLED-shaped CSV of 300,000 rows (ANNALS_IMPORT_ROWS to
//! change it), generated on first use into `target/bench-import/` with
//! made-up names and notes: never real ACLED data. Two benchmarks: reading
//! and building the store, and the whole of `annals import` but the disk
//! write (build, check as `annals check` does, RON text).

use std::fmt::Write as _;
use std::path::PathBuf;

use annals::import::{self, ImportFormat, Options};

fn main() {
    divan::main();
}

fn rows() -> usize {
    std::env::var("ANNALS_IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300_000)
}

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// The CSV file, written once.
pub fn csv_path() -> PathBuf {
    let n = rows();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-import");
    let path = dir.join(format!("acled-{n}.csv"));
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::from(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n",
    );
    let types = [
        ("Political violence", "Battles", "Armed clash"),
        ("Political violence", "Violence against civilians", "Attack"),
        ("Demonstrations", "Protests", "Peaceful protest"),
        (
            "Political violence",
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        (
            "Strategic developments",
            "Strategic developments",
            "Looting/property destruction",
        ),
    ];
    for i in 0..n {
        let c = rng.next(20);
        let a1 = rng.next(10);
        let a2 = rng.next(10);
        let loc = rng.next(40);
        let (dis, et, st) = types[rng.next(types.len() as u64) as usize];
        let actor1 = format!("Armed Group {} of Country {c}", rng.next(25));
        let actor2 = format!("Militia {} of Country {c}", rng.next(25));
        let day = 1 + rng.next(28);
        let month = 1 + rng.next(12);
        let year = 2015 + rng.next(10);
        let precision = [1, 1, 1, 2, 3][rng.next(5) as usize];
        let fatalities = rng.next(12);
        let _ = writeln!(
            out,
            "XX{i},{year}-{month:02}-{day:02},{year},{precision},{dis},{et},{st},{actor1},Villagers {a1}; Traders {a2},2,{actor2},,3,23,,{c},Region,Country {c},Province {a1} of {c},District {a2} of {a1},,Town {loc} of {a2},{:.4},{:.4},{},Outlet {},National,\"On {day} {month} {year}, {actor1} and {actor2} were reported in Town {loc} (event {i}); {fatalities} people were reported killed, local sources said.\",{fatalities},,1700000000",
            (rng.next(1_000_000) as f64) / 10_000.0 - 50.0,
            (rng.next(1_000_000) as f64) / 10_000.0 - 50.0,
            1 + rng.next(3),
            rng.next(300),
        );
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, out).expect("target/ is writable");
    std::fs::rename(&tmp, &path).expect("target/ is writable");
    path
}

#[divan::bench(sample_count = 3)]
fn read_and_build(bencher: divan::Bencher) {
    let path = csv_path();
    bencher.bench(|| {
        let (store, _) =
            import::import_path(ImportFormat::Acled, &path, &Options::default()).unwrap();
        divan::black_box(store.events.len())
    });
}

#[divan::bench(sample_count = 3)]
fn build_check_and_ron(bencher: divan::Bencher) {
    let path = csv_path();
    bencher.bench(|| {
        let (store, _) =
            import::import_path(ImportFormat::Acled, &path, &Options::default()).unwrap();
        import::validate(&store).unwrap();
        divan::black_box(import::ron(&store).unwrap().len())
    });
}
