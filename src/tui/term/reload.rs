//! A new version of the store (saved in an editor) replaces the model,
//! keeping what the person was doing: the selected event, filters, marks
//! and where the timeline was, all carried by id.

use std::sync::Arc;

use crate::model::{Entity, Model};
use crate::tui::app::{App, Chip, Overlay};
use crate::tui::searcher::Searcher;

impl App {
    /// Shows `model` instead of the current one; `searcher` searches it.
    pub fn replace_model(&mut self, model: Arc<Model>, searcher: Searcher) {
        let old = Arc::clone(&self.model);
        let selected = self.selected_event().map(|e| old.event(e).id.to_string());
        let marks: Vec<String> = self
            .marked_in_order()
            .iter()
            .map(|&e| old.event(e).id.to_string())
            .collect();
        let chips = std::mem::take(&mut self.chips);
        let kept: Vec<Chip> = chips
            .iter()
            .filter_map(|c| carry_chip(&old, &model, c))
            .collect();
        let dropped = chips.len() - kept.len();
        self.model = model;
        self.problems = None;
        // Worked out for the old model (a new one may even reuse its address).
        self.coverage = None;
        self.noted = self.notes.index(&self.model);
        self.searcher = searcher;
        self.text_index = self.searcher.index();
        self.text_waits = None;
        // Not known for a model the explorer wrote: hashed when needed.
        self.content = None;
        self.chips = kept;
        self.mark_order = marks
            .iter()
            .filter_map(|id| self.model.event_by_id(id))
            .collect();
        self.marks = self.mark_order.iter().copied().collect();
        self.range = None;
        self.refresh_story();
        // Views point into the old model by index: they close.
        self.overlay = Overlay::None;
        self.behind.clear();
        self.relations_shown = None;
        self.relations_cursor = 0;
        self.sources_cursor = 0;
        let top = self.timeline.top;
        self.refilter();
        if let Some(e) = selected.and_then(|id| self.model.event_by_id(&id))
            && let Ok(i) = self.visible.binary_search(&e)
        {
            self.timeline.cursor = i;
            self.timeline.top = top.min(i);
        }
        let n = self.model.events.len();
        let mut status = format!("Reloaded: {n} event{}", if n == 1 { "" } else { "s" });
        if dropped > 0 {
            status.push_str(&format!(
                "; {dropped} filter{} named what is no longer there and went",
                if dropped == 1 { "" } else { "s" }
            ));
        }
        self.status = Some(status);
    }
}

/// A chip of the old model in the new one, by id (or tag name).
fn carry_chip(old: &Model, new: &Model, chip: &Chip) -> Option<Chip> {
    Some(match chip {
        Chip::Actor(a) => match new.entity(&old.actor(*a).id)? {
            Entity::Actor(x) => Chip::Actor(x),
            _ => return None,
        },
        Chip::Place(p) => match new.entity(&old.place(*p).id)? {
            Entity::Place(x) => Chip::Place(x),
            _ => return None,
        },
        Chip::Source(s) => match new.entity(&old.source(*s).id)? {
            Entity::Source(x) => Chip::Source(x),
            _ => return None,
        },
        Chip::Tag(t) => Chip::Tag(new.tag_ix(&old.tags[*t as usize])?),
        other => other.clone(),
    })
}
