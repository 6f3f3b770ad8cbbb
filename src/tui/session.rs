//! The explorer's side of sessions (`crate::annotate::sessions`): what is saved on
//! quit, what comes back on the next start, and views saved by name.

use crate::annotate::sessions::{ChipRec, Session};
use crate::model::{Entity, Model};
use crate::tui::app::{App, Chip, Pane};

/// Lines of each history kept.
const MAX_HISTORY: usize = 100;

/// A chip as saved: by id, name or words.
pub fn rec_of(m: &Model, chip: &Chip) -> ChipRec {
    match chip {
        Chip::Actor(a) => ChipRec::Actor(m.actor(*a).id.to_string()),
        Chip::Place(p) => ChipRec::Place(m.place(*p).id.to_string()),
        Chip::Tag(t) => ChipRec::Tag(m.tags[*t as usize].to_string()),
        Chip::Source(s) => ChipRec::Source(m.source(*s).id.to_string()),
        Chip::Kind(k) => ChipRec::Kind(k.label().to_string()),
        Chip::Only(k) => ChipRec::Only(k.label().to_string()),
        Chip::Text(t) => ChipRec::Text(t.clone()),
        Chip::From(d) => ChipRec::From(d.to_string()),
        Chip::To(d) => ChipRec::To(d.to_string()),
        Chip::Starred => ChipRec::Starred,
        Chip::Noted => ChipRec::Noted,
        Chip::Disputed => ChipRec::Disputed,
    }
}

/// A saved chip in `m`, if what it names is still there.
pub fn chip_of(m: &Model, rec: &ChipRec) -> Option<Chip> {
    Some(match rec {
        ChipRec::Actor(id) => match m.entity(id)? {
            Entity::Actor(a) => Chip::Actor(a),
            _ => return None,
        },
        ChipRec::Place(id) => match m.entity(id)? {
            Entity::Place(p) => Chip::Place(p),
            _ => return None,
        },
        ChipRec::Source(id) => match m.entity(id)? {
            Entity::Source(s) => Chip::Source(s),
            _ => return None,
        },
        ChipRec::Tag(t) => Chip::Tag(m.tag_ix(t)?),
        ChipRec::Kind(k) => Chip::Kind(crate::filter::resolve_kind(k).ok()?),
        ChipRec::Only(k) => Chip::Only(crate::filter::resolve_kind(k).ok()?),
        ChipRec::Text(t) => Chip::Text(t.clone()),
        ChipRec::From(d) => Chip::From(d.parse().ok()?),
        ChipRec::To(d) => Chip::To(d.parse().ok()?),
        ChipRec::Starred => Chip::Starred,
        ChipRec::Noted => Chip::Noted,
        ChipRec::Disputed => Chip::Disputed,
    })
}

fn focus_name(p: Pane) -> &'static str {
    match p {
        Pane::Timeline => "timeline",
        Pane::Relations => "relationships",
        Pane::Sources => "sources",
    }
}

fn tail(v: &[String]) -> Vec<String> {
    v[v.len().saturating_sub(MAX_HISTORY)..].to_vec()
}

impl App {
    /// What to save for the store `key` whose content hashes to `content`.
    pub fn to_session(&self, key: &str, content: u64) -> Session {
        let m = &self.model;
        Session {
            store: key.to_string(),
            content,
            chips: self.chips.iter().map(|c| rec_of(m, c)).collect(),
            marks: self
                .marked_in_order()
                .iter()
                .map(|&e| m.event(e).id.to_string())
                .collect(),
            selected: self.selected_event().map(|e| m.event(e).id.to_string()),
            focus: focus_name(self.focus).into(),
            relations_at: self.relations_at.map(|d| d.to_string()),
            search_history: tail(&self.search_history),
            command_history: tail(&self.history),
            views: self.views.clone(),
            story: self.story.as_ref().map(|o| o.name.clone()),
            story_step: self.story.as_ref().map_or(0, |o| o.step),
        }
    }

    /// Puts a saved session back. `changed`: the store is not the one it
    /// was saved with; what no longer applies is said.
    pub fn restore_session(&mut self, s: Session, changed: bool) {
        let mut gone: Vec<String> = Vec::new();
        let chips: Vec<Chip> = s
            .chips
            .iter()
            .filter_map(|r| {
                let c = chip_of(&self.model, r);
                if c.is_none() {
                    gone.push(crate::annotate::sessions::describe(r));
                }
                c
            })
            .collect();
        let marks: Vec<u32> = s
            .marks
            .iter()
            .filter_map(|id| {
                let e = self.model.event_by_id(id);
                if e.is_none() {
                    gone.push(format!("marked event {id:?}"));
                }
                e
            })
            .collect();
        self.chips = chips;
        self.marks = marks.iter().copied().collect();
        self.mark_order = marks;
        self.history = s.command_history;
        self.search_history = s.search_history;
        self.views = s.views;
        self.relations_at = s.relations_at.and_then(|d| d.parse().ok());
        self.focus = match s.focus.as_str() {
            "relationships" => Pane::Relations,
            "sources" => Pane::Sources,
            _ => Pane::Timeline,
        };
        self.refilter();
        match s
            .selected
            .as_deref()
            .map(|id| (id, self.model.event_by_id(id)))
        {
            Some((_, Some(e))) => self.select_event(e),
            Some((id, None)) => gone.push(format!("selected event {id:?}")),
            None => {}
        }
        if let Some(name) = s.story.as_deref()
            && let Some(story) = self.stories.get(name)
        {
            let step = s.story_step.min(story.steps.len().saturating_sub(1));
            self.story = Some(crate::tui::panes::story::OpenStory {
                name: name.to_string(),
                step,
                missing: None,
            });
            self.refresh_story();
        }
        let lost_story = s.story.as_deref().filter(|_| self.story.is_none());
        let mut status = format!(
            "Your last session is back ({} filter{}, {} marked; --fresh starts clean)",
            self.chips.len(),
            if self.chips.len() == 1 { "" } else { "s" },
            self.marks.len()
        );
        if changed && !gone.is_empty() {
            status = format!(
                "The store changed since your last session; no longer there: {}. {status}",
                gone.join(", ")
            );
        } else if changed {
            status = format!(
                "The store changed since your last session; all of it still applies. {status}"
            );
        }
        if let Some(name) = lost_story {
            let why = if self.stories_path.is_none() && self.store_path.is_some() {
                "the stories file beside the store could not be read (annals check shows where)"
            } else {
                "it is no longer in the stories file"
            };
            status = format!("Story {name:?} was open and is not: {why}. {status}");
        }
        self.status = Some(status);
    }

    /// `:save NAME`: the current filters, by name, for `:view NAME` and
    /// `annals list --view NAME`.
    pub fn save_view(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("save needs a name: :save coup-reports".into());
        }
        if self.chips.is_empty() {
            return Err("no filters to save".into());
        }
        let recs = self.chips.iter().map(|c| rec_of(&self.model, c)).collect();
        self.views.insert(name.to_string(), recs);
        self.status = Some(format!("Saved the filters as view {name:?} (:view {name})"));
        Ok(())
    }

    /// `:view NAME` puts a saved view's filters in place; `:view` lists them.
    pub fn open_view(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            let names: Vec<&str> = self.views.keys().map(String::as_str).collect();
            self.status = Some(if names.is_empty() {
                "No saved views yet: :save NAME saves the filters".into()
            } else {
                format!("Saved views: {}", names.join(", "))
            });
            return Ok(());
        }
        let Some(recs) = self.views.get(name).cloned() else {
            let names: Vec<&str> = self.views.keys().map(String::as_str).collect();
            return Err(format!("no view {name:?}; saved: {}", names.join(", ")));
        };
        let chips: Vec<Chip> = recs
            .iter()
            .filter_map(|r| chip_of(&self.model, r))
            .collect();
        let lost = recs.len() - chips.len();
        self.chips = chips;
        self.refilter();
        self.status = Some(if lost > 0 {
            format!("View {name:?}: {lost} of its filters name what is no longer in the store")
        } else {
            format!("View {name:?}")
        });
        Ok(())
    }
}
