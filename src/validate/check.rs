//! The checker every pass reports to: problems with where they are, at
//! most a few hundred of each kind listed, the rest counted.

use std::collections::HashMap;
use std::fmt;

use super::{Problem, Section};
use crate::evidence::date::Date;

pub(super) struct Checker {
    pub(super) problems: Vec<Problem>,
    /// Problems per (section, field), to stop listing after the first few
    /// hundred of one kind: the report stays readable and bounded.
    per_kind: HashMap<Kind, (usize, Option<At>)>,
}

/// A kind of problem: the section (as a number) and field it is in.
type Kind = (usize, Option<&'static str>);

/// Problems of one kind listed before the rest are only counted.
const MAX_PER_KIND: usize = 200;

/// Where in the file an item is, for its problems.
#[derive(Clone, Copy)]
pub(super) struct At {
    pub(super) section: Section,
    pub(super) index: usize,
}

impl Checker {
    pub(super) fn new() -> Self {
        Checker {
            problems: Vec::new(),
            per_kind: HashMap::new(),
        }
    }

    pub(super) fn at(section: Section, index: usize) -> At {
        At { section, index }
    }

    pub(super) fn report(
        &mut self,
        at: At,
        field: Option<&'static str>,
        value: Option<&str>,
        message: String,
    ) {
        let kind = (at.section as usize, field);
        let (count, first_unlisted) = self.per_kind.entry(kind).or_insert((0, None));
        *count += 1;
        if *count > MAX_PER_KIND {
            first_unlisted.get_or_insert(at);
            return;
        }
        self.problems.push(Problem {
            section: at.section,
            index: at.index,
            field,
            value: value.map(str::to_string),
            message,
            unlisted: 0,
        });
    }

    /// One problem more for each kind that had too many to list.
    pub(super) fn summarise(&mut self) {
        let mut more: Vec<_> = self
            .per_kind
            .iter()
            .filter_map(|(&(_, field), &(count, at))| Some((at?, field, count - MAX_PER_KIND)))
            .collect();
        more.sort_by_key(|(at, field, _)| (at.section as usize, at.index, *field));
        for (at, field, n) in more {
            let what = match field {
                Some(f) => format!("{} {f}", at.section.field_name()),
                None => at.section.field_name().to_string(),
            };
            self.problems.push(Problem {
                section: at.section,
                index: at.index,
                field,
                value: None,
                message: format!(
                    "{n} more problems in {what} from here on, like the {MAX_PER_KIND} above, not listed"
                ),
                unlisted: n,
            });
        }
    }

    pub(super) fn date(
        &mut self,
        at: At,
        label: &dyn fmt::Display,
        field: &'static str,
        text: &str,
    ) -> Option<Date> {
        match Date::parse(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.report(
                    at,
                    Some(field),
                    Some(text),
                    format!("{label}: {field}: {e}"),
                );
                None
            }
        }
    }

    pub(super) fn not_empty(
        &mut self,
        at: At,
        label: &dyn fmt::Display,
        field: &'static str,
        text: &str,
    ) {
        if text.trim().is_empty() {
            self.report(at, Some(field), None, format!("{label}: {field} is empty"));
        }
    }
}

/// "event \"coup\"", formatted only when a problem is reported.
pub(super) struct Label<'a>(Section, &'a str);

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.0.item_name(), self.1)
    }
}

pub(super) fn label(section: Section, id: &str) -> Label<'_> {
    Label(section, id)
}
