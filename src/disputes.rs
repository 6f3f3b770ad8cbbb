//! Disagreements as a list: each with its subject and attribute, every
//! value with the sources that state it (outlets, independent origins,
//! sponsored), the events it concerns, and whether the values contradict
//! each other or can all hold (compatible).

use crate::model::{Ix, Model, Subject};
use crate::search::fold::fold_str;

/// One value of a disagreement, as one claim states it.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub claim: Ix,
    /// The outlets quoted, in evidence order, each once.
    pub outlets: Vec<String>,
    /// Independent origins behind the quotes (a rewrite is not a second).
    pub origins: usize,
    /// Every quote is from sponsored content.
    pub sponsored_only: bool,
}

/// A disagreement: `Model::conflicts[conflict]`, made readable.
#[derive(Clone, Debug, PartialEq)]
pub struct Dispute {
    pub conflict: Ix,
    pub name: String,
    pub values: Vec<Value>,
    /// The events it is about: named by its claims, or its subject.
    pub events: Vec<Ix>,
}

/// A conflict's name: its attribute, and its subject unless the attribute
/// names it already ("cost of Air Base 201", "U.S. troops in Niger (U.S.
/// military)").
pub fn name(m: &Model, conflict: Ix) -> String {
    let c = &m.conflicts[conflict as usize];
    let subject = m.subject_name(c.subject);
    if names(&c.attribute, subject) {
        c.attribute.to_string()
    } else {
        format!("{} ({subject})", c.attribute)
    }
}

/// How a claim's value was read for comparing, when it was: its date, its
/// number, or the range its words allow ("at least 100000000"). Shown
/// beside the value, so that "compatible" can be checked by a reader.
pub fn read_as(c: &crate::model::Claim) -> Option<String> {
    if let Some(d) = c.value_date {
        return Some(d.to_string());
    }
    Some(match (c.value_min, c.value_number, c.value_max) {
        (None, Some(n), None) => format!("{n}"),
        (Some(lo), n, Some(hi)) => match n {
            Some(n) => format!("{n}, within {lo} to {hi}"),
            None => format!("{lo} to {hi}"),
        },
        (Some(lo), _, None) => format!("at least {lo}"),
        (None, _, Some(hi)) => format!("at most {hi}"),
        (None, None, None) => return None,
    })
}

/// Whether `attribute` names `subject` already: it holds the whole name,
/// or a word of it that says something (four letters or more, not a
/// number or a little word), whole or as the start of one of its words. "date of the coup" names the
/// coup; "number of the dead" names neither "The flood" nor "The
/// earthquake", which then stay apart in a list.
fn names(attribute: &str, subject: &str) -> bool {
    const LITTLE: [&str; 9] = [
        "with", "from", "that", "this", "over", "into", "about", "after", "before",
    ];
    let attribute = fold_str(attribute);
    let subject = fold_str(subject);
    if attribute.contains(subject.trim()) {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_numeric()))
            .filter(|w| !LITTLE.contains(w))
            .map(str::to_string)
            .collect()
    };
    // One word may be the start of the other: "withdraw", "withdrawal".
    let said = words(&attribute);
    words(&subject).iter().any(|w| {
        said.iter()
            .any(|a| a.starts_with(w.as_str()) || w.starts_with(a.as_str()))
    })
}

/// The events a conflict is about, in chronological order: those its
/// claims name, and its subject when that is an event.
pub fn events_of(m: &Model, conflict: Ix) -> Vec<Ix> {
    let c = &m.conflicts[conflict as usize];
    let mut out: Vec<Ix> = c
        .claims
        .iter()
        .flat_map(|&i| m.claims[i as usize].events.iter().copied())
        .collect();
    if let Subject::Event(e) = c.subject {
        out.push(e);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every disagreement of the store, in file order.
pub fn all(m: &Model) -> Vec<Dispute> {
    (0..m.conflicts.len() as Ix).map(|c| of(m, c)).collect()
}

/// The disagreements about events of a slice (`events`, sorted).
pub fn in_slice(m: &Model, events: &[Ix]) -> Vec<Dispute> {
    all(m)
        .into_iter()
        .filter(|d| d.events.iter().any(|e| events.binary_search(e).is_ok()))
        .collect()
}

/// One disagreement.
pub fn of(m: &Model, conflict: Ix) -> Dispute {
    let c = &m.conflicts[conflict as usize];
    let values = c
        .claims
        .iter()
        .map(|&ci| {
            let claim = &m.claims[ci as usize];
            let mut outlets: Vec<String> = Vec::new();
            for q in &claim.evidence {
                let o = m.source(q.source).outlet.to_string();
                if !outlets.contains(&o) {
                    outlets.push(o);
                }
            }
            Value {
                claim: ci,
                outlets,
                origins: m.origin_count(&claim.evidence),
                sponsored_only: !claim.evidence.is_empty()
                    && claim
                        .evidence
                        .iter()
                        .all(|q| m.source(q.source).is_sponsored()),
            }
        })
        .collect();
    Dispute {
        conflict,
        name: name(m, conflict),
        values,
        events: events_of(m, conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_adds_the_subject_unless_the_attribute_names_it() {
        assert!(names("cost of Air Base 201", "Air Base 201"));
        assert!(names("U.S. troops in Niger", "Niger"));
        assert!(names(
            "date of the coup",
            "Military coup in Niger overthrows President Mohamed Bazoum"
        ));
        assert!(!names("number of the dead", "The flood"));
        assert!(!names("attribute 474", "Event number 474"));
        assert!(!names("U.S. troops in Niger", "U.S. military"));
    }

    #[test]
    fn the_builtin_store_lists_its_disagreements_with_their_events() {
        let m = crate::load_builtin().unwrap();
        let all = all(&m);
        assert_eq!(all.len(), m.conflicts.len());
        assert!(!all.is_empty());
        for d in &all {
            assert!(d.values.len() >= 2, "{}", d.name);
            for v in &d.values {
                assert!(!v.outlets.is_empty(), "{}", d.name);
                assert!(v.origins >= 1);
            }
            // A contradiction marks exactly the events it is about.
            if !m.conflicts[d.conflict as usize].compatible {
                for &e in &d.events {
                    assert!(m.conflicts_of_event(e).contains(&d.conflict), "{}", d.name);
                }
            }
        }
        let every: Vec<Ix> = (0..m.events.len() as Ix).collect();
        let sliced = in_slice(&m, &every);
        assert_eq!(
            sliced.len(),
            all.iter().filter(|d| !d.events.is_empty()).count()
        );
        assert!(in_slice(&m, &[]).is_empty());
    }
}
