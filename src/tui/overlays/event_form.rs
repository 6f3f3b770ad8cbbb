//! The new-event form: an event started from a passage selected in the
//! reader, its quote filled in verbatim. State and keys here, drawing in
//! `draw`; submitting writes the store (`tui::term::write`).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::evidence::date::Date;
use crate::model::{Ix, Model};
use crate::tui::app::{App, Overlay};
use crate::tui::control::Control;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, safe, width, wrap};

/// The fields, in the order Tab visits them.
pub const FIELDS: [&str; 6] = ["Date", "Title", "Summary", "Actors", "Places", "Tags"];
pub const DATE: usize = 0;
pub const TITLE: usize = 1;
pub const SUMMARY: usize = 2;
/// The first of the three list fields (actors, places, tags).
const LISTS: usize = 3;

/// The date forms a store takes, shown under the date.
pub const DATE_FORMS: &str =
    "2024 · 2024-03 · 2024-03-15 · ~2024-03 · [2024-03..2024-05] · [2024-03..]";

/// Suggestions shown under a list field.
const SHOWN: usize = 5;
/// Names looked at per key, at most: a key's work stays bounded in a
/// store of any size.
const MAX_SCAN: usize = 50_000;

/// An actor, place or tag picked for the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    /// What the event names: a stored id, or a new one's name.
    pub value: String,
    /// As shown in the form.
    pub label: String,
    /// A new actor or place: its kind. None for stored ones and tags.
    pub new_kind: Option<String>,
}

/// A line under a list field: what Enter adds, or why it cannot.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub label: String,
    pub pick: Result<Pick, String>,
}

pub struct EventForm {
    pub source: Ix,
    pub source_id: String,
    pub source_title: String,
    /// The selected passage, verbatim.
    pub quote: String,
    /// The field being typed in (an index into `FIELDS`).
    pub field: usize,
    pub inputs: [Input; 6],
    /// Actors, places and tags picked.
    pub picks: [Vec<Pick>; 3],
    pub suggestions: Vec<Suggestion>,
    pub cursor: usize,
    /// Why the last submit wrote nothing, every problem.
    pub errors: Vec<String>,
}

/// What a key asks of the app.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Submit,
}

impl EventForm {
    pub fn new(source: Ix, source_id: &str, source_title: &str, quote: &str) -> Self {
        EventForm {
            source,
            source_id: source_id.to_string(),
            source_title: source_title.to_string(),
            quote: quote.to_string(),
            field: DATE,
            inputs: Default::default(),
            picks: Default::default(),
            suggestions: Vec::new(),
            cursor: 0,
            errors: Vec::new(),
        }
    }

    /// The date as typed, checked: what it means, or what is wrong.
    pub fn date(&self) -> Result<Date, String> {
        let text = self.inputs[DATE].value();
        if text.trim().is_empty() {
            return Err("a date is needed".into());
        }
        Date::parse(text).map_err(|e| e.to_string())
    }

    pub fn value(&self, field: usize) -> &str {
        self.inputs[field].value().trim()
    }

    /// Tab, ↑↓ and Enter. Enter in a list field with words typed adds the
    /// suggestion chosen; elsewhere it submits.
    pub fn step(&mut self, control: &Control, model: &Model) -> Outcome {
        match control {
            Control::FocusNext => self.focus((self.field + 1) % FIELDS.len(), model),
            Control::FocusPrev => self.focus((self.field + FIELDS.len() - 1) % FIELDS.len(), model),
            Control::Down => {
                self.cursor = (self.cursor + 1).min(self.suggestions.len().saturating_sub(1))
            }
            Control::Up => self.cursor = self.cursor.saturating_sub(1),
            Control::Enter if self.field >= LISTS && !self.value(self.field).is_empty() => {
                self.pick()
            }
            Control::Enter => return Outcome::Submit,
            _ => {}
        }
        Outcome::Stay
    }

    fn focus(&mut self, field: usize, model: &Model) {
        self.field = field;
        self.suggest(model);
    }

    /// Adds the chosen suggestion to its list.
    fn pick(&mut self) {
        let Some(s) = self.suggestions.get(self.cursor) else {
            let typed = self.value(self.field);
            self.errors = vec![format!("“{typed}” is picked already")];
            return;
        };
        match s.pick.clone() {
            Ok(pick) => {
                self.picks[self.field - LISTS].push(pick);
                self.inputs[self.field] = Input::default();
                self.suggestions.clear();
                self.cursor = 0;
                self.errors.clear();
            }
            Err(why) => self.errors = vec![why],
        }
    }

    /// A typed key. Backspace in an empty list field takes back the last
    /// pick.
    pub fn input(&mut self, event: &Event, model: &Model) {
        let f = self.field;
        if let Event::Key(k) = event
            && k.code == KeyCode::Backspace
            && f >= LISTS
            && self.inputs[f].value().is_empty()
        {
            self.picks[f - LISTS].pop();
            return;
        }
        if self.inputs[f].handle_event(event).is_some_and(|c| c.value) {
            self.suggest(model);
        }
    }

    /// The field being typed in changed (a paste): suggest again.
    pub fn changed(&mut self, model: &Model) {
        self.suggest(model);
    }

    /// The suggestions for what is typed in a list field: stored names
    /// by fuzzy match, best first, then a new one.
    fn suggest(&mut self, model: &Model) {
        self.suggestions.clear();
        self.cursor = 0;
        let f = self.field;
        let typed = self.value(f).to_string();
        if f < LISTS || typed.is_empty() {
            return;
        }
        let list = f - LISTS;
        let picked: Vec<&str> = self.picks[list].iter().map(|p| p.value.as_str()).collect();
        let (found, exact) = matches(model, list, &typed, &picked);
        self.suggestions = found;
        if !exact {
            self.suggestions.push(new_entry(list, &typed));
        }
    }
}

/// Stored actors (0), places (1) or tags (2) matching `typed`, best first,
/// and whether one is named exactly that.
fn matches(model: &Model, list: usize, typed: &str, picked: &[&str]) -> (Vec<Suggestion>, bool) {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut exact = false;
    let mut scored: Vec<(i64, Pick)> = Vec::new();
    let mut consider = |id: &str, names: &mut dyn Iterator<Item = &str>, label: String| {
        let mut best = None;
        for n in names {
            exact |= n.eq_ignore_ascii_case(typed);
            if let Some(s) = matcher.fuzzy_match(n, typed) {
                best = best.max(Some(s));
            }
        }
        if let Some(score) = best
            && !picked.contains(&id)
        {
            let pick = Pick {
                value: id.to_string(),
                label,
                new_kind: None,
            };
            scored.push((score, pick));
        }
    };
    match list {
        0 => {
            for a in model.actors.iter().take(MAX_SCAN) {
                let mut names = [&*a.name, &*a.id]
                    .into_iter()
                    .chain(a.aliases.iter().map(|s| &**s));
                consider(&a.id, &mut names, format!("{} ({})", a.name, a.kind));
            }
        }
        1 => {
            for p in model.places.iter().take(MAX_SCAN) {
                let mut names = [&*p.name, &*p.id]
                    .into_iter()
                    .chain(p.aliases.iter().map(|s| &**s));
                consider(&p.id, &mut names, format!("{} ({})", p.name, p.kind));
            }
        }
        _ => {
            for t in model.tags.iter().take(MAX_SCAN) {
                consider(t, &mut std::iter::once(&**t), t.to_string());
            }
        }
    }
    // Best first; equal scores in the store's order.
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    let found = scored
        .into_iter()
        .take(SHOWN)
        .map(|(_, pick)| Suggestion {
            label: pick.label.clone(),
            pick: Ok(pick),
        })
        .collect();
    (found, exact)
}

/// A new actor or place typed as `Name (kind)`, or a new tag.
fn new_entry(list: usize, typed: &str) -> Suggestion {
    let what = ["actor", "place", "tag"][list];
    if list == 2 {
        return Suggestion {
            label: format!("+ new tag “{typed}”"),
            pick: Ok(Pick {
                value: typed.to_string(),
                label: typed.to_string(),
                new_kind: None,
            }),
        };
    }
    let kind = typed
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once(" ("))
        .map(|(n, k)| (n.trim(), k.trim()))
        .filter(|(n, k)| !n.is_empty() && !k.is_empty());
    match kind {
        Some((name, kind)) => Suggestion {
            label: format!("+ new {what} “{name}”, {} {kind}", article(kind)),
            pick: Ok(Pick {
                value: name.to_string(),
                label: format!("{name} (new {kind})"),
                new_kind: Some(kind.to_string()),
            }),
        },
        None => Suggestion {
            label: format!("+ new {what} “{typed}”: type its kind too, as “{typed} (kind)”"),
            pick: Err(format!(
                "a new {what} needs a kind: type it as “{typed} (kind)”, e.g. “{typed} (organisation)”"
            )),
        },
    }
}

/// Whether the quote shown is cut: more lines than room, or more text.
fn cut_after(lines: &[std::ops::Range<usize>], room: usize, more: bool) -> bool {
    lines.len() > room || (more && lines.len() >= room)
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let Overlay::EventForm(form) = &app.overlay else {
        return;
    };
    let theme = app.theme;
    let popup = area.inner(Margin::new(2, 1));
    if popup.width < 20 || popup.height < 8 {
        return;
    }
    let title = Line::styled(
        fit(
            &format!(" New event from {} ", form.source_title),
            popup.width.saturating_sub(4) as usize,
        ),
        theme.title(),
    );
    let inner = popup_frame(f, popup, title, theme);
    let w = inner.width as usize;
    const LABEL: usize = 9;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, name) in FIELDS.iter().enumerate() {
        let focused = i == form.field;
        let label_style = if focused { theme.key() } else { theme.dim() };
        let mut spans = vec![Span::styled(format!("{name:<LABEL$}"), label_style)];
        let mut used = LABEL;
        if i >= LISTS {
            let picks = &form.picks[i - LISTS];
            // Each chip its share of the row, at least 30 columns where it fits.
            let share = (w.saturating_sub(LABEL) / picks.len().max(1)).max(30);
            for p in picks {
                let chip = fit(&p.label, w.saturating_sub(used + 3).min(share));
                used += width(&chip) + 1;
                spans.push(Span::styled(chip, theme.chip()));
                spans.push(Span::raw(" "));
            }
        }
        // The check of the date, beside it, as it is typed.
        let after = if i == DATE && !form.value(DATE).is_empty() {
            match form.date() {
                Ok(d) => Some((format!(" ✓ {}", d.precision_label()), theme.mark())),
                Err(e) => Some((format!(" ✗ {e}"), theme.error())),
            }
        } else {
            None
        };
        let room = w.saturating_sub(used + 1).max(1);
        let input = &form.inputs[i];
        let value_room = match &after {
            Some(_) if focused => room.min(24).max(room / 3),
            Some(_) => width(input.value()).min(room),
            None => room,
        };
        let scroll = input.visual_scroll(value_room);
        let shown: String = input.value().chars().skip(scroll).collect();
        let shown = fit(&shown, value_room);
        if focused {
            let x = used + input.visual_cursor().saturating_sub(scroll).min(value_room);
            cursor = Some((x, lines.len()));
        }
        used += width(&shown);
        spans.push(Span::raw(shown));
        if let Some((text, style)) = after {
            spans.push(Span::styled(fit(&text, w.saturating_sub(used)), style));
        }
        lines.push(Line::from(spans));
        if i == DATE {
            lines.push(Line::styled(
                fit(&format!("{:LABEL$}{DATE_FORMS}", ""), w),
                theme.dim(),
            ));
        }
        if focused && i >= LISTS {
            for (k, s) in form.suggestions.iter().enumerate() {
                let style = if k == form.cursor {
                    theme.selected()
                } else {
                    theme.text()
                };
                let text = fit(&s.label, w.saturating_sub(LABEL + 2));
                lines.push(Line::from(vec![
                    Span::raw(format!("{:LABEL$}  ", "")),
                    Span::styled(text, style),
                ]));
            }
        }
    }
    lines.push(Line::styled(
        fit(&format!("Quote, verbatim, from {}:", form.source_id), w),
        theme.dim(),
    ));
    let keys = "Tab field · ↑↓ choose · Enter adds the choice to a list, else writes · ⌫ takes one back · Esc";
    // Errors and keys keep their rows at the bottom; the quote takes what
    // the fields leave.
    // Each problem whole, wrapped, up to half the form's height.
    let shown_errors: Vec<String> = (form.errors.iter())
        .flat_map(|e| e.lines())
        .take(8)
        .map(safe)
        .collect();
    let rows: usize = shown_errors
        .iter()
        .map(|e| width(e).div_ceil(w.max(1)).max(1))
        .sum();
    let errors = rows.min(inner.height as usize / 2) as u16;
    let [main, errors_area, keys_area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Fill(1),
        ratatui::layout::Constraint::Length(errors),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    let room = (main.height as usize).saturating_sub(lines.len());
    // Only as much of the quote as could show is wrapped.
    let mut head = form.quote.len().min((room + 1) * (w + 1) * 4);
    while !form.quote.is_char_boundary(head) {
        head -= 1;
    }
    let quote_lines = wrap(&form.quote[..head], w.saturating_sub(2).max(1));
    let cut = cut_after(&quote_lines, room, head < form.quote.len());
    for (n, l) in quote_lines.iter().take(room).enumerate() {
        let mut text = safe(&form.quote[l.clone()]);
        if cut && n + 1 == room {
            text = fit(&format!("{text}…"), w.saturating_sub(2));
        }
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(text, theme.current_quote()),
        ]));
    }
    f.render_widget(Paragraph::new(lines), main);
    let errs: Vec<Line> = shown_errors
        .into_iter()
        .map(|e| Line::styled(e, theme.error()))
        .collect();
    f.render_widget(
        Paragraph::new(errs).wrap(ratatui::widgets::Wrap { trim: false }),
        errors_area,
    );
    f.render_widget(Paragraph::new(fit(keys, w)).style(theme.dim()), keys_area);
    let inner = main;
    if let Some((x, y)) = cursor
        && y < inner.height as usize
    {
        let x = (inner.x as usize + x).min(inner.right().saturating_sub(1) as usize);
        f.set_cursor_position(Position::new(x as u16, inner.y + y as u16));
    }
}

/// "a" or "an" before a kind, by its first letter (close enough for kinds).
fn article(kind: &str) -> &'static str {
    match kind.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
