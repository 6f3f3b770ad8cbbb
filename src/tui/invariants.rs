//! What must hold of the explorer's state between any two steps: the
//! property tests check it after every key, resize and draw.

use crate::tui::app::{App, Overlay};

impl App {
    /// What must hold between any two steps, whatever keys came before:
    /// the property tests call this after every key, resize and draw.
    pub fn check_invariants(&self) -> Result<(), String> {
        let events = self.model.events.len();
        if self.visible != self.apply_filters() {
            return Err("the timeline does not show what the filters let through".into());
        }
        let (cursor, top) = (self.timeline.cursor, self.timeline.top);
        if !self.visible.is_empty() && cursor >= self.visible.len() {
            return Err(format!(
                "cursor {cursor} past {} events",
                self.visible.len()
            ));
        }
        if top > cursor {
            return Err(format!("first row {top} is below the cursor {cursor}"));
        }
        if let Some(&e) = self.marks.iter().find(|&&e| e as usize >= events) {
            return Err(format!("mark {e} is not an event"));
        }
        if let Some((anchor, base)) = &self.range {
            if *anchor as usize >= events {
                return Err(format!("range anchor {anchor} is not an event"));
            }
            if !base.is_subset(&self.marks) {
                return Err("a range dropped marks made before it".into());
            }
        }
        let rel_items = self.relation_items().len();
        if self.relations_cursor >= rel_items.max(1) {
            return Err(format!(
                "relations cursor {} of {rel_items}",
                self.relations_cursor
            ));
        }
        let quotes = self.selected_event().map_or(0, |e| {
            crate::tui::panes::sources::item_count(&self.model, e)
        });
        if self.sources_cursor >= quotes.max(1) {
            return Err(format!(
                "sources cursor {} of {quotes}",
                self.sources_cursor
            ));
        }
        match &self.overlay {
            Overlay::Search(sb) if sb.selected >= sb.hits.len().max(1) => Err(format!(
                "search selection {} of {}",
                sb.selected,
                sb.hits.len()
            )),
            Overlay::Reader(r) if r.source as usize >= self.model.sources.len() => {
                Err(format!("reader on source {}", r.source))
            }
            Overlay::Reader(r)
                if r.selection.as_ref().is_some_and(|sel| {
                    let text = &self.model.source(r.source).text;
                    sel.span.is_empty() || text.get(sel.span.clone()).is_none()
                }) =>
            {
                Err("the reader's selection is empty or not on the text's characters".into())
            }
            Overlay::Reader(r) if r.current >= r.quotes.len().max(1) => Err(format!(
                "reader on quote {} of {}",
                r.current,
                r.quotes.len()
            )),
            _ => Ok(()),
        }
    }
}
