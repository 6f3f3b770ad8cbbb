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
    let folded = fold_str(&c.attribute);
    let names_it = fold_str(subject)
        .split_whitespace()
        .filter(|w| w.len() > 2)
        .any(|w| folded.contains(w));
    if names_it {
        c.attribute.to_string()
    } else {
        format!("{} ({subject})", c.attribute)
    }
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
