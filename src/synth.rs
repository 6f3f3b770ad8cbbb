//! Synthetic event stores: reproducible, realistic and valid, for benchmarks
//! and for trying annals at scale (`examples/gen_store.rs` writes one).
//! Dates span decades with mixed precision; actors and places have aliases
//! and `within` chains; relations and claims (some in conflict); articles
//! long enough to hold every quote; a few percent of non-ASCII names.

use crate::store::{
    ActorRec, ClaimRec, EventRec, Meta, PlaceRec, QuoteRec, RelationRec, SourceKind, SourceRec,
    StoreFile,
};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "forces",
    "government",
    "border",
    "troops",
    "ceasefire",
    "talks",
    "convoy",
    "airstrike",
    "militia",
    "protest",
    "election",
    "minister",
    "delegation",
    "agreement",
    "withdrawal",
    "offensive",
    "refugees",
    "aid",
    "sanctions",
    "embassy",
    "base",
    "drone",
    "patrol",
    "summit",
    "negotiations",
    "rebels",
    "garrison",
    "checkpoint",
    "airport",
    "harbour",
    "pipeline",
    "uranium",
    "mine",
    "exports",
    "coalition",
    "mandate",
    "mission",
    "observers",
    "villages",
    "district",
    "province",
    "capital",
    "army",
    "police",
    "court",
    "parliament",
    "opposition",
    "journalists",
    "statement",
    "spokesperson",
    "officials",
    "report",
    "investigation",
    "casualties",
    "reinforcements",
    "training",
    "equipment",
    "contract",
    "funding",
    "security",
];
const VERBS: &[&str] = &[
    "announces",
    "rejects",
    "signs",
    "suspends",
    "resumes",
    "condemns",
    "deploys",
    "withdraws",
    "expels",
    "trains",
    "attacks",
    "hosts",
    "meets",
    "accuses",
    "supports",
    "blocks",
    "opens",
    "closes",
    "reports",
    "denies",
];
const NAME_PARTS: &[&str] = &[
    "Amar", "Bela", "Corin", "Dara", "Elon", "Fara", "Goran", "Hali", "Ines", "Jora", "Kemal",
    "Lina", "Moro", "Nadi", "Oren", "Pala", "Quin", "Rasa", "Sena", "Tarek", "Uma", "Vero", "Wend",
    "Yara", "Zeno",
];
const ACCENTED: &[&str] = &[
    "Zoé", "Désiré", "Ñandú", "Ömer", "Łukasz", "São", "Île", "Çelik",
];
const CJK: &[&str] = &["北京", "東京", "서울", "上海", "大阪", "香港"];
const ACTOR_KINDS: &[&str] = &[
    "state",
    "government",
    "armed forces",
    "armed group",
    "alliance",
    "organisation",
    "person",
];
const RELATION_KINDS: &[&str] = &[
    "allied with",
    "partner of",
    "member of",
    "hosts forces of",
    "expels",
    "trains",
    "condemns",
    "fights",
];

fn name(rng: &mut Rng, i: usize) -> String {
    let a = rng.pick(NAME_PARTS);
    let b = rng.pick(NAME_PARTS).to_lowercase();
    // A few percent of names are accented or CJK.
    match rng.below(100) {
        0..=2 => format!("{} {a}{b} {i}", rng.pick(ACCENTED)),
        3..=4 => format!("{}{a} {i}", rng.pick(CJK)),
        _ => format!("{a}{b} {i}"),
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = if i % 5 == 2 {
            rng.pick(VERBS)
        } else {
            rng.pick(WORDS)
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn date(rng: &mut Rng) -> String {
    let year = 1965 + rng.below(60);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let approx = if rng.chance(10) { "~" } else { "" };
    match rng.below(10) {
        0..=1 => format!("{approx}{year}"),
        2..=5 => format!("{approx}{year}-{month:02}"),
        _ => format!("{approx}{year}-{month:02}-{day:02}"),
    }
}

/// A quote of about `len` bytes from `text`, starting and ending on word boundaries.
fn quote_from(rng: &mut Rng, text: &str, len: usize) -> String {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices(' ').map(|(i, _)| i + 1))
        .filter(|&i| i + len < text.len())
        .collect();
    let start = starts.get(rng.below(starts.len())).copied().unwrap_or(0);
    let end = text[start..]
        .char_indices()
        .skip(len)
        .find(|&(_, c)| c == ' ')
        .map_or(text.len(), |(i, _)| start + i);
    text[start..end].trim().to_string()
}

/// A store of `n` events; the same `n` and `seed` give the same store.
pub fn generate(n: usize, seed: u64) -> StoreFile {
    let mut rng = Rng(seed);
    let n_actors = (n / 40).clamp(50, 25_000);
    let n_sources = (n / 4).max(10);
    // In this order: each draws from the one random sequence.
    let actors = actors(&mut rng, n_actors);
    let places = places(&mut rng, n);
    let sources = sources(&mut rng, n_sources);
    let events = events(&mut rng, n, n_actors, &places, &sources);
    let relations = relations(&mut rng, n, n_actors, &sources);
    let claims = claims(&mut rng, n, &sources);

    StoreFile {
        meta: Meta {
            title: format!("Synthetic store: {n} events (seed {seed})").into(),
            description: "Generated by annals::synth (examples/gen_store.rs)".into(),
        },
        sources,
        actors,
        places,
        events,
        relations,
        claims,
    }
}

fn actors(rng: &mut Rng, n_actors: usize) -> Vec<ActorRec> {
    let actors: Vec<ActorRec> = (0..n_actors)
        .map(|i| {
            let name = name(rng, i);
            ActorRec {
                id: format!("a{i}").into(),
                aliases: vec![format!("{} group", name.split(' ').next().unwrap_or("A")).into()],
                name: name.into(),
                kind: rng.pick(ACTOR_KINDS).to_string().into(),
                description: None,
            }
        })
        .collect();
    actors
}

/// Countries, regions within them, cities within regions, bases within cities.
fn places(rng: &mut Rng, n: usize) -> Vec<PlaceRec> {
    let mut places = Vec::new();
    let n_countries = (n / 2000).clamp(10, 200);
    for c in 0..n_countries {
        places.push(PlaceRec {
            id: format!("c{c}").into(),
            name: format!("{}land", rng.pick(NAME_PARTS)).into(),
            aliases: vec![format!("Republic {c}").into()],
            kind: "country".into(),
            within: None,
            coordinates: None,
        });
        for r in 0..3 {
            let region = format!("c{c}r{r}");
            places.push(PlaceRec {
                id: region.clone().into(),
                name: format!("{} Province {c}-{r}", rng.pick(NAME_PARTS)).into(),
                aliases: Vec::new(),
                kind: "region".into(),
                within: Some(format!("c{c}").into()),
                coordinates: None,
            });
            for t in 0..4 {
                let city = format!("{region}t{t}");
                places.push(PlaceRec {
                    id: city.clone().into(),
                    name: name(rng, places.len()).into(),
                    aliases: Vec::new(),
                    kind: "city".into(),
                    within: Some(region.clone().into()),
                    coordinates: Some((
                        rng.below(180) as f64 - 90.0,
                        rng.below(360) as f64 - 180.0,
                    )),
                });
                if rng.chance(30) {
                    places.push(PlaceRec {
                        id: format!("{city}b").into(),
                        name: format!("Air Base {}", places.len()).into(),
                        aliases: vec![format!("Airbase {}", places.len()).into()],
                        kind: "base".into(),
                        within: Some(city.into()),
                        coordinates: None,
                    });
                }
            }
        }
    }
    places
}

fn sources(rng: &mut Rng, n_sources: usize) -> Vec<SourceRec> {
    let sources: Vec<SourceRec> = (0..n_sources)
        .map(|i| {
            let text: Vec<String> = (0..8)
                .map(|_| {
                    let words = 12 + rng.below(10);
                    sentence(rng, words)
                })
                .collect();
            SourceRec {
                id: format!("s{i}").into(),
                outlet: format!("{} Times", rng.pick(NAME_PARTS)).into(),
                title: sentence(rng, 8).into(),
                published: Some(date(rng).into()),
                url: None,
                kind: if rng.chance(3) {
                    SourceKind::Sponsored
                } else {
                    SourceKind::News
                },
                author: None,
                language: None,
                // One source in ten rewrites the one before it (derived
                // from the index, so the random sequence stays as it was).
                based_on: (i % 10 == 9).then(|| format!("s{}", i - 1).into()),
                original: None,
                derivation: None,
                text: text.join(" ").into(),
            }
        })
        .collect();
    sources
}

fn events(
    rng: &mut Rng,
    n: usize,
    n_actors: usize,
    places: &[PlaceRec],
    sources: &[SourceRec],
) -> Vec<EventRec> {
    let tags: Vec<String> = (0..60)
        .map(|i| format!("{}-{i}", rng.pick(WORDS)))
        .collect();
    let mut events = Vec::with_capacity(n);
    for i in 0..n {
        let d = date(rng);
        let quotes = 1 + rng.below(2);
        let evidence = (0..quotes)
            .map(|_| {
                let s = rng.below(sources.len());
                QuoteRec {
                    source: format!("s{s}").into(),
                    quote: quote_from(rng, &sources[s].text, 140).into(),
                }
            })
            .collect();
        let end = if rng.chance(5) && !d.contains('~') {
            let year: i32 = d[..4].parse().unwrap_or(2000);
            Some(format!("{}", year + 1 + rng.below(3) as i32))
        } else {
            None
        };
        // A few uncertain dates, chosen by index for the same reason.
        let d = match i % 50 {
            7 => format!("[{d}..]"),
            8 => format!("[..{d}]"),
            _ => d,
        };
        events.push(EventRec {
            id: format!("e{i}").into(),
            date: d.into(),
            end: end.map(Into::into),
            title: {
                let words = 7 + rng.below(3);
                sentence(rng, words).into()
            },
            summary: Some(
                format!(
                    "{} {} {}",
                    sentence(rng, 12),
                    sentence(rng, 12),
                    sentence(rng, 10)
                )
                .into(),
            ),
            tags: vec![tags[rng.below(tags.len())].clone().into()],
            actors: (0..1 + rng.below(3))
                .map(|_| format!("a{}", rng.below(n_actors)).into())
                .collect(),
            places: (0..1 + rng.below(2))
                .map(|_| places[rng.below(places.len())].id.clone())
                .collect(),
            evidence,
        });
    }
    events
}

/// One quote of 60 characters from a random source.
fn short_evidence(rng: &mut Rng, sources: &[SourceRec]) -> Vec<QuoteRec> {
    let s = rng.below(sources.len());
    vec![QuoteRec {
        source: format!("s{s}").into(),
        quote: quote_from(rng, &sources[s].text, 60).into(),
    }]
}

fn relations(rng: &mut Rng, n: usize, n_actors: usize, sources: &[SourceRec]) -> Vec<RelationRec> {
    let relations: Vec<RelationRec> = (0..n / 20)
        .map(|_| {
            let since = 1965 + rng.below(55);
            RelationRec {
                from: format!("a{}", rng.below(n_actors)).into(),
                to: format!("a{}", rng.below(n_actors)).into(),
                kind: rng.pick(RELATION_KINDS).to_string().into(),
                since: Some(format!("{since}").into()),
                until: rng
                    .chance(50)
                    .then(|| format!("{}", since + rng.below(10)).into()),
                evidence: short_evidence(rng, sources),
            }
        })
        .collect();
    relations
}

/// Claims come in pairs about the same subject; about half disagree.
fn claims(rng: &mut Rng, n: usize, sources: &[SourceRec]) -> Vec<ClaimRec> {
    let mut claims = Vec::new();
    for _ in 0..n / 100 {
        let subject = format!("e{}", rng.below(n));
        let attribute = format!("{} count", rng.pick(WORDS));
        let value = 10 * (1 + rng.below(100));
        for k in 0..2 {
            let v = if k == 1 && rng.chance(50) {
                value + 5
            } else {
                value
            };
            claims.push(ClaimRec {
                subject: subject.clone().into(),
                attribute: attribute.clone().into(),
                value: format!("about {v}").into(),
                as_of: None,
                events: Vec::new(),
                value_date: None,
                value_number: Some(v as f64),
                value_min: None,
                value_max: None,
                evidence: short_evidence(rng, sources),
            });
        }
    }
    claims
}

/// The store as pretty RON, the way a person would write it.
pub fn to_ron(store: &StoreFile) -> String {
    ron::Options::default()
        .to_string_pretty(
            store,
            ron::ser::PrettyConfig::new()
                .struct_names(false)
                .extensions(ron::extensions::Extensions::IMPLICIT_SOME),
        )
        .expect("a store serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_stores_are_reproducible_and_valid() {
        let a = to_ron(&generate(300, 7));
        assert_eq!(a, to_ron(&generate(300, 7)));
        assert_ne!(a, to_ron(&generate(300, 8)));
        let m = crate::load_str(&a, "synthetic").expect("a generated store passes check");
        assert_eq!(m.events.len(), 300);
        assert!(!m.conflicts.is_empty(), "some claims conflict");
        assert!(m.places.iter().any(|p| p.within.is_some()));
        assert!(m.actors.iter().any(|a| !a.name.is_ascii()));
    }
}
