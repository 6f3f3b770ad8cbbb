//! The parse on every core against ron's parse of the whole file: on
//! generated stores written every way RON allows, on damaged and hostile
//! ones, with 1 to 8 threads and parts small enough to cut anywhere.

use super::*;
use crate::synth::{generate, to_ron};
use proptest::prelude::*;

/// Thread counts every comparison runs with.
const THREADS: [usize; 5] = [1, 2, 3, 4, 8];

/// ron's parse of the whole of `text`, its strings sharing `shared`.
fn ron_of(shared: &Arc<Text>) -> Option<StoreFile> {
    sharing(shared, None, || ron_options().from_str::<StoreFile>(shared)).ok()
}

/// `text` parsed with `threads` threads, in parts of at least `min_part`
/// bytes; when the split parse gives a store, `ron` (ron's parse of the
/// whole text) must be the same one. Says whether it gave one and
/// whether it used any part read from a cut.
fn compare(
    shared: &Arc<Text>,
    ron: Option<&StoreFile>,
    threads: usize,
    min_part: usize,
) -> (bool, bool) {
    let (file, joined) = parse_joining(shared, None, threads, min_part);
    if let Some(file) = &file {
        let ron = ron.expect("the split parse took a store that ron refuses");
        assert!(file == ron, "the split parse read the store differently");
    }
    (file.is_some(), joined)
}

fn both_ways_with(text: &str, threads: usize, min_part: usize) -> (bool, bool) {
    let shared = Arc::new(Text::from(text.to_string()));
    compare(&shared, ron_of(&shared).as_ref(), threads, min_part)
}

/// With every thread count, parts as small as a few items: whether the
/// split parse gave a store (always the same answer), whether ron did,
/// and whether a part read from a cut was used.
fn both_ways(text: &str) -> (bool, bool, bool) {
    let shared = Arc::new(Text::from(text.to_string()));
    let ron = ron_of(&shared);
    let mut out = (false, ron.is_some(), false);
    for threads in THREADS {
        let (read, joined) = compare(&shared, ron.as_ref(), threads, 512);
        if threads == 1 {
            assert!(!joined, "one thread reads no part from a cut");
            out.0 = read;
        }
        assert_eq!(read, out.0, "{threads} threads");
        out.2 |= joined;
    }
    out
}

fn synthetic(events: usize, seed: u64) -> String {
    to_ron(&generate(events, seed))
}

#[test]
fn a_generated_store_is_read_as_ron_reads_it_on_any_number_of_threads() {
    let text = synthetic(400, 3);
    assert_eq!(both_ways(&text), (true, true, true));
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(both_ways(&crlf), (true, true, true));
}

#[test]
fn the_built_in_store_and_a_one_line_store_are_read_as_ron_reads_them() {
    let niger = include_str!("../../data/niger.ron");
    assert!(both_ways(niger).0);
    let one_line = ron_options()
        .to_string(&generate(200, 4))
        .expect("a store serialises");
    assert!(!one_line.contains('\n'));
    assert!(both_ways(&one_line).0);
}

/// Each extension a file may enable: read as ron's whole-file parse
/// reads it, or left to ron.
#[test]
fn every_enabled_extension_is_read_as_ron_reads_it() {
    let body = synthetic(300, 5);
    for ext in [
        "unwrap_newtypes",
        "implicit_some",
        "unwrap_variant_newtypes",
        "explicit_struct_names",
    ] {
        let text = format!("#![enable({ext})]\n{body}");
        let (read, ron_ok, _) = both_ways(&text);
        assert!(!read || ron_ok, "{ext}: read what ron refuses");
    }
    // Every struct named, as explicit_struct_names asks, but the top
    // level: ron refuses it, so the split parse must too.
    let pretty = ron::ser::PrettyConfig::new().struct_names(true);
    let named = ron::ser::to_string_pretty(&generate(300, 5), pretty).unwrap();
    let unnamed_top = named.strip_prefix("StoreFile").expect("a named top level");
    for text in [named.clone(), unnamed_top.to_string()] {
        both_ways(&text);
        let text = format!("#![enable(explicit_struct_names)]\n{text}");
        let (read, ron_ok, _) = both_ways(&text);
        assert!(!read || ron_ok, "read an unnamed top level ron refuses");
    }
}

/// What comes before the store's top-level fields, and each field with
/// its text, in file order.
fn fields(text: &str) -> (String, Vec<String>) {
    let mut head = String::new();
    let mut out: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let top = line.starts_with("    ") && !line.starts_with("     ");
        if top
            && line
                .trim_start()
                .starts_with(|c: char| c.is_ascii_lowercase())
        {
            out.push(String::new());
        }
        match out.last_mut() {
            _ if line.trim_end() == ")" => {}
            Some(field) => field.push_str(line),
            None => head.push_str(line),
        }
    }
    (head, out)
}

#[test]
fn fields_in_any_order_are_read_as_ron_reads_them() {
    let (head, fields) = fields(&synthetic(300, 5));
    assert_eq!(fields.len(), 7, "meta and six lists");
    let orders: [&[usize]; 5] = [
        &[4, 0, 1, 2, 3, 5, 6],
        &[6, 5, 4, 3, 2, 1, 0],
        &[1, 4, 0, 2, 3],
        &[0, 4],
        &[0, 4, 4],
    ];
    for order in orders {
        let mut text = head.clone();
        for &i in order {
            text.push_str(&fields[i]);
        }
        text.push(')');
        let repeated = order.len() == 3;
        assert_eq!(both_ways(&text).0, !repeated, "order {order:?}");
    }
}

#[test]
fn an_event_written_inside_a_string_is_not_taken_for_one() {
    // Summaries in raw strings that hold what looks like an event, one
    // to a line after a comma, where parts are cut.
    let fake = ",\n        (\n            id: \"fake\",\n            date: \"2020\",\n            \
                title: \"inside a string\",\n            evidence: [],\n        ),\n        (";
    let text: String = synthetic(200, 6)
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix("            summary: \"") {
            Some(rest) => format!(
                "            summary: r#\"{}{fake}\"#,\n",
                rest.trim_end().trim_end_matches("\",")
            ),
            None => line.to_string(),
        })
        .collect();
    let fake_at = text.find("id: \"fake\"").expect("a fake event");
    let shared = Arc::new(Text::from(text.clone()));
    let (start, options) = header(&text).expect("a store");
    assert!(start < fake_at);
    let cut = guess(&shared, fake_at - 40, &options).expect("a guess");
    // The fake event is read as one: the cut is wrong, and must be found so.
    assert!(cut.at > fake_at - 40, "{cut:?}");
    assert!(both_ways(&text).0);
}

#[test]
fn what_the_split_parse_does_not_take_is_left_to_ron() {
    let text = synthetic(300, 7);
    let cut = text.len() * 3 / 4;
    // Between two events.
    let line = cut + text[cut..].find(",\n        (\n").expect("an event") + 1;
    let with = |insert: &str| format!("{}{insert}{}", &text[..line], &text[line..]);
    // A comment holding `#`, a block comment, attributes where only the
    // file's first lines may have them, an unknown field, a missing
    // comma, a struct's name: none reaches a wrong store.
    let inserts = [
        "\n// see #12",
        "\n/* a, ( */",
        "\n/* a /* nested */ ( */",
        "\n#![enable(unwrap_newtypes)]",
        "\nbogus: 1,",
        "\n)",
        "\nEventRec(id: \"x\", date: \"2020\", title: \"t\", evidence: []),",
        "\n\u{2028}\u{85}",
    ];
    for insert in inserts {
        let (read, ron_ok, _) = both_ways(&with(insert));
        assert!(!read || ron_ok);
    }
    // A comma missing between two items, two strings of a list, two
    // fields, two top-level fields: ron refuses each.
    for (with, without) in [
        ("),\n        (", ")\n        ("),
        ("\",\n                \"", "\"\n                \""),
        ("\",\n            title", "\"\n            title"),
        ("],\n    events", "]\n    events"),
    ] {
        let at = text[line..].find(with).map(|i| i + line);
        let at = at.or_else(|| text.find(with)).expect("there");
        let t = format!("{}{without}{}", &text[..at], &text[at + with.len()..]);
        assert_eq!(both_ways(&t), (false, false, false), "{without:?}");
    }
    assert!(!both_ways(&format!("{text}\nbogus")).0);
    let twice = text.replacen("meta:", "meta: (title: \"x\"),\n    meta:", 1);
    assert!(!both_ways(&twice).0);
}

/// `text` with the value of every line `field: value,` written anew by
/// `f`, or only the first such line.
fn rewrite(text: &str, field: &str, first_only: bool, f: impl Fn(&str) -> String) -> String {
    let mut done = false;
    text.split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let value = trimmed
                .strip_prefix(field)
                .and_then(|r| r.strip_prefix(": "))
                .and_then(|r| r.trim_end().strip_suffix(','));
            match value {
                Some(v) if !(done && first_only) => {
                    done = true;
                    format!("{indent}{field}: {},\n", f(v))
                }
                _ => line.to_string(),
            }
        })
        .collect()
}

/// Values the fast reader leaves to ron, and forms of whitespace and
/// comments it reads itself, in every place of a record: what ron reads,
/// the split parse reads (item by item, not by falling back to ron's
/// parse of the whole file), and the same way.
#[test]
fn every_form_ron_allows_is_read_as_ron_reads_it() {
    let text = synthetic(120, 12);
    type Form = (&'static str, fn(&str) -> String);
    let forms: &[Form] = &[
        ("title", |v| {
            format!("\"\\u{{e9}}\\\"\\\\ \\n\\x41{}", &v[1..])
        }),
        ("title", |v| format!("\"\\\\ \\t{}", &v[1..])),
        ("title", |v| format!("r#{v}#")),
        ("title", |v| format!("r##\"x\"# {}##", &v[1..])),
        ("summary", |v| format!("Some({v})")),
        ("summary", |v| format!("Some /* c */ ( {v} , )")),
        ("summary", |_| "None".into()),
        ("summary", |v| format!("Some {v}")),
        ("published", |v| format!("Some(r{v})")),
        ("quote", |v| format!("r{v}")),
        ("source", |v| format!("{v} // a comment, ( [\n")),
        ("kind", |v| {
            if v == "News" {
                "Report".into()
            } else {
                format!("{v} /* a */")
            }
        }),
        ("kind", |v| format!("r#{v}")),
        ("based_on", |v| format!("Some({v}), derivation: Copy")),
        ("based_on", |v| format!("{v}, derivation: Some(Summary)")),
        ("value_number", |v| format!("Some({v})")),
        ("value_number", |v| format!("1_{v}")),
        ("value_number", |v| format!("{v}e0")),
        ("value_number", |_| "None".into()),
        ("id", |v| format!("{v}\u{2028}\u{85}\t")),
        ("date", |v| format!("{v} /* /* nested */ */")),
        ("name", |v| format!("\"\\\n   {}", &v[1..])),
    ];
    let (mut read_fast, mut refused) = (0, 0);
    for (field, f) in forms {
        for first_only in [true, false] {
            let t = rewrite(&text, field, first_only, f);
            assert_ne!(t, text, "{field}: nothing rewritten");
            let (read, ron_ok, _) = both_ways(&t);
            assert_eq!(read, ron_ok, "{field}: {:?}", f("\"v\""));
            read_fast += usize::from(read);
            refused += usize::from(!ron_ok);
        }
    }
    // Most are stores; a few ron refuses (`Some "x"` is one it takes).
    assert!(
        read_fast >= 36 && refused <= 6,
        "{read_fast} read, {refused} refused"
    );
    // Whitespace and comments where the reader skips them itself.
    for (from, to) in [
        (",\n", " , \u{200E}\n"),
        ("(\n", "( /* ( [ */\n"),
        ("[\n", "[\t// ]\n"),
        (": ", " \x0B:\x0C "),
    ] {
        let t = text.replace(from, to);
        assert_eq!(both_ways(&t), (true, true, true), "{to:?}");
    }
}

#[test]
fn comments_holding_a_hash_are_taken_and_attributes_are_not() {
    let text = synthetic(300, 11);
    let cut = text.len() * 3 / 4;
    let line = cut + text[cut..].find(",\n        (\n").expect("an event") + 1;
    let with = format!("{}\n// see issue #42{}", &text[..line], &text[line..]);
    assert_eq!(both_ways(&with), (true, true, true));
    let after = format!("{text}\n// generated #1\n");
    assert_eq!(both_ways(&after), (true, true, true));
    let attribute = format!(
        "{}\n#![enable(implicit_some)]{}",
        &text[..line],
        &text[line..]
    );
    assert!(!both_ways(&attribute).0);
}

#[test]
fn a_large_store_loads_as_before_and_its_errors_point_where_they_did() {
    let text = synthetic(1200, 9);
    assert!(text.len() > MIN_SPLIT, "large enough to be split");
    let serial = ron_options().from_str::<StoreFile>(&text).expect("valid");
    let parsed = crate::store::load::parse(&text, "big.ron").expect("valid");
    assert!(parsed == serial);
    // An error in the second half of the events, reported by ron.
    let at = text.len() * 3 / 4;
    let at = at + text[at..].find("            title:").expect("an event");
    let broken = format!(
        "{}            colour: \"red\",\n{}",
        &text[..at],
        &text[at..]
    );
    let want = ron_options()
        .from_str::<StoreFile>(&broken)
        .unwrap_err()
        .span
        .start;
    let got = crate::store::load::parse(&broken, "big.ron").unwrap_err();
    let d = &got.diagnostics[0];
    assert_eq!((d.line, d.column), (want.line, want.col));
    assert!(d.message.contains("colour"), "{}", d.message);
}

#[test]
fn parts_are_cut_where_the_work_is_divided_not_the_bytes() {
    let uniform = "(id: \"x\"),\n".repeat(100_000);
    let t = targets(&uniform, 4);
    assert_eq!(t.len(), 3);
    for (i, &at) in t.iter().enumerate() {
        let share = at as f64 / uniform.len() as f64;
        let want = (i + 1) as f64 / 4.0;
        assert!((share - want).abs() < 0.01, "{share} for {want}");
    }
    // A long string (an article) then short ones (events), a megabyte
    // each: the short ones cost far more, so the middle is in them.
    let mixed = format!(
        "\"{}\",\n{}",
        "a".repeat(1 << 20),
        "(x: \"1\", y: \"2\"),\n".repeat((1 << 20) / 20)
    );
    let m = targets(&mixed, 2)[0] as f64 / mixed.len() as f64;
    assert!((0.6..0.95).contains(&m), "{m}");
    assert!(targets("", 3).len() <= 2);
}

#[test]
fn a_part_passed_over_is_told_to_stop_and_progress_counts_the_parts_used() {
    let text = synthetic(2000, 10);
    let shared = Arc::new(Text::from(text.clone()));
    let reached = AtomicU64::new(0);
    let file = parse(&shared, Some(&reached), 4, 4096).expect("valid");
    assert_eq!(file.events.len(), 2000);
    let (counted, len) = (reached.load(Ordering::Relaxed), text.len() as u64);
    // All but the attributes before the store and what follows its end.
    assert!(
        counted > len * 99 / 100 && counted <= len,
        "{counted} of {len}"
    );
}

/// Random edits of a store, each parsed both ways with every thread
/// count: the split parse never gives a store that ron would not give,
/// nor a different one.
#[test]
fn edited_stores_are_never_read_differently() {
    let text = synthetic(120, 8);
    let bytes = text.as_bytes();
    let edits: &[&str] = &[
        "", ",", "(", ")", "[", "]", "\"", "#", "/", "\n", ":", "r#\"", "//", " ", "/*", "*/", "\\",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut taken, mut joined) = (0, 0);
    for _ in 0..150 {
        let at = char_floor(&text, next(bytes.len()));
        let len = if next(2) == 0 { 0 } else { next(3) };
        let end = char_floor(&text, at + len);
        let edited = format!(
            "{}{}{}",
            &text[..at],
            edits[next(edits.len())],
            &text[end..]
        );
        let (t, _, j) = both_ways(&edited);
        taken += usize::from(t);
        joined += usize::from(j && t);
    }
    assert!(
        taken > 50 && joined > 25,
        "taken {taken}, from cuts {joined}"
    );
}

#[test]
fn the_lists_of_a_record_hold_no_spare_room() {
    // Spare room would stay allocated for the whole load: at 100,000
    // events it was a tenth of the memory `check` needed beyond the text.
    let shared = Arc::new(Text::from(synthetic(300, 5)));
    let (file, _) = parse_joining(&shared, None, 2, 512);
    let file = file.expect("a generated store parses");
    let mut lists = 0;
    for e in &file.events {
        let caps = [e.tags.capacity(), e.actors.capacity(), e.places.capacity()];
        let lens = [e.tags.len(), e.actors.len(), e.places.len()];
        assert_eq!(caps, lens, "event {}", e.id);
        assert_eq!(e.evidence.capacity(), e.evidence.len(), "event {}", e.id);
        lists += lens.iter().filter(|&&n| n > 0).count();
    }
    assert!(lists > 300, "only {lists} lists with items");
}

#[test]
fn pieces_join_only_where_a_list_was_left_open() {
    let piece = |items, opened, closed| Piece {
        items,
        opened,
        closed,
    };
    let meta = || piece(Items::Meta(Meta::default()), true, true);
    let part = |pieces| Part {
        pieces,
        landed: None,
    };
    let events = |opened, closed| piece(Items::Events(Vec::new()), opened, closed);
    let sources = |opened, closed| piece(Items::Sources(Vec::new()), opened, closed);
    let joined = assemble(vec![
        part(vec![meta(), events(true, false)]),
        part(vec![events(false, true)]),
    ]);
    assert!(joined.is_some());
    for pieces in [
        // Continued where no list was open, or another list.
        vec![meta(), events(false, true)],
        vec![meta(), events(true, false), sources(false, true)],
        // A list opened while another is, or twice; one never closed.
        vec![meta(), events(true, false), sources(true, true)],
        vec![meta(), events(true, true), events(true, true)],
        vec![meta(), events(true, false)],
        // No meta.
        vec![events(true, true)],
    ] {
        assert!(assemble(vec![part(pieces)]).is_none());
    }
}

/// A text made of pieces of stores and RON syntax, for the proptest.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",\n        ".to_string()),
        Just("events: [".to_string()),
        Just("sources: [".to_string()),
        Just("meta: (title: \"t\")".to_string()),
        Just("(id: \"e\", date: \"2020\", title: \"x\", evidence: [])".to_string()),
        Just("(source: \"s\", quote: \"q\")".to_string()),
        Just("\"".to_string()),
        Just("r#\"".to_string()),
        Just("\"#".to_string()),
        Just("/*".to_string()),
        Just("*/".to_string()),
        Just("//".to_string()),
        Just("\n".to_string()),
        "[a-z_: ]{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A generated store cut into at a random place, with hostile text
    /// put there: read as ron reads it, with any thread count.
    #[test]
    fn hostile_text_in_a_store_is_never_read_differently(
        seed in 0u64..1000,
        at in 0.0f64..1.0,
        insert in hostile(),
        cut in 0usize..40,
        threads in 1usize..9,
    ) {
        let text = synthetic(40, seed);
        let at = char_floor(&text, (text.len() as f64 * at) as usize);
        let end = char_floor(&text, at + cut);
        let edited = format!("{}{insert}{}", &text[..at], &text[end..]);
        both_ways_with(&edited, threads, 256);
        both_ways_with(&insert, threads, 16);
    }
}
