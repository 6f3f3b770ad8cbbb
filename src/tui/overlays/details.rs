//! Details (`i`): everything the store says about the selected event, or
//! about an actor (its relations over time) or a place. A scrolled overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::evidence::date::{DaySpan, PartialDate, iso_day};
use crate::model::{Ix, Model, Relation};
use crate::tui::app::{App, Overlay};
use crate::tui::overlays::pager::Pager;
use crate::tui::panes::sources::source_label;
use crate::tui::theme::Theme;
use crate::tui::widgets::frame::popup_frame;
use crate::tui::widgets::text::{fit, safe, width, wrap};

/// Items listed under one heading; the rest are counted. The overlay is
/// built whole at each frame, so a hub actor must not make it huge.
const MAX_ITEMS: usize = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    Event(Ix),
    Actor(Ix),
    Place(Ix),
}

pub struct Details {
    pub about: About,
    pub pager: Pager,
}

impl Details {
    pub fn new(about: About) -> Self {
        Details {
            about,
            pager: Pager::default(),
        }
    }
}

/// Lines of `text` wrapped to `w` under an indent, in `style`.
fn para(out: &mut Vec<Line<'static>>, text: &str, indent: usize, w: usize, style: Style) {
    let inner = w.saturating_sub(indent).max(10);
    for r in wrap(text, inner) {
        out.push(Line::styled(
            format!("{}{}", " ".repeat(indent), safe(text[r].trim_end())),
            style,
        ));
    }
}

/// "Label   value" with the value wrapped under itself.
fn field(out: &mut Vec<Line<'static>>, label: &str, value: &str, w: usize, theme: Theme) {
    const LABEL: usize = 11;
    let inner = w.saturating_sub(LABEL).max(10);
    for (i, r) in wrap(value, inner).into_iter().enumerate() {
        let head = if i == 0 { label } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!("{head:<LABEL$}"), theme.dim()),
            Span::raw(safe(value[r].trim_end())),
        ]));
    }
}

fn bound(day: i64) -> String {
    if day == i64::MIN || day == i64::MAX {
        "open".into()
    } else {
        iso_day(day)
    }
}

/// "the whole span" words for a day range: its first and last possible day.
pub fn span_words(days: DaySpan) -> String {
    if days.first == days.last {
        bound(days.first)
    } else {
        format!(
            "earliest {} · latest {}",
            bound(days.first),
            bound(days.last)
        )
    }
}

/// A relation's time in words: `1905 – 1907`, `since 2023-07`, `undated`.
pub fn relation_span(r: &Relation) -> String {
    match (r.since, r.until) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("since {a}"),
        (None, Some(b)) => format!("until {b}"),
        (None, None) => "undated".into(),
    }
}

fn more(out: &mut Vec<Line<'static>>, n: usize, theme: Theme) {
    if n > MAX_ITEMS {
        out.push(Line::styled(
            format!("  … and {} more", n - MAX_ITEMS),
            theme.dim(),
        ));
    }
}

pub fn event_lines(m: &Model, e: Ix, w: usize, theme: Theme) -> Vec<Line<'static>> {
    let ev = m.event(e);
    let mut out = Vec::new();
    para(&mut out, &ev.title, 0, w, theme.title());
    out.push(Line::raw(""));
    let when = ev.when();
    let days = ev.days();
    // An uncertain date in the exports' words ("on or after c. March 15,
    // 2024"); an exact one by its precision.
    let precision = match (ev.date, ev.end) {
        (crate::evidence::date::Date::On(_), None) => ev.date.precision_label().to_string(),
        (start, end) => {
            let words = crate::evidence::words::span_words(start, end);
            match end {
                Some(_) => format!("period: {words}"),
                None => crate::evidence::words::date_words_inline(start),
            }
        }
    };
    field(
        &mut out,
        "When",
        &format!("{when}  ({precision})"),
        w,
        theme,
    );
    field(&mut out, "", &span_words(days), w, theme);
    let origins = m.event_origins(e);
    let sources = m.source_count(e);
    let mut backing = format!(
        "{sources} source{}, {origins} independent origin{}",
        if sources == 1 { "" } else { "s" },
        if origins == 1 { "" } else { "s" }
    );
    if m.rests_on_sponsored(e) {
        backing.push_str(" · rests only on sponsored content");
    }
    field(&mut out, "Backed by", &backing, w, theme);
    field(&mut out, "Id", &ev.id, w, theme);
    if !ev.tags.is_empty() {
        let tags: Vec<&str> = ev
            .tags
            .iter()
            .map(|&t| m.tags[t as usize].as_str())
            .collect();
        field(&mut out, "Tags", &tags.join(", "), w, theme);
    }
    if let Some(s) = &ev.summary {
        out.push(Line::raw(""));
        out.push(Line::styled("Summary", theme.heading()));
        para(&mut out, s, 2, w, theme.text());
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Places", theme.heading()));
    if ev.places.is_empty() {
        out.push(Line::styled("  none named", theme.dim()));
    }
    for &p in ev.places.iter().take(MAX_ITEMS) {
        let chain: Vec<String> = std::iter::once(p)
            .chain(m.place_ancestors_upto(p, 8))
            .map(|a| m.place(a).name.to_string())
            .collect();
        let kind = &m.place(p).kind;
        para(
            &mut out,
            &format!("{} ({kind})", chain.join(" ‹ ")),
            2,
            w,
            theme.text(),
        );
    }
    more(&mut out, ev.places.len(), theme);
    out.push(Line::raw(""));
    out.push(Line::styled("Actors", theme.heading()));
    if ev.actors.is_empty() {
        out.push(Line::styled("  none named", theme.dim()));
    }
    for &a in ev.actors.iter().take(MAX_ITEMS) {
        let actor = m.actor(a);
        out.push(Line::from(vec![
            Span::raw(format!("  {}", fit(&actor.name, w.saturating_sub(4)))),
            Span::styled(format!("  {}", safe(&actor.kind)), theme.kind()),
        ]));
        if let Some(d) = &actor.description {
            para(&mut out, d, 4, w, theme.dim());
        }
    }
    more(&mut out, ev.actors.len(), theme);
    out.push(Line::raw(""));
    out.push(Line::styled("Sources", theme.heading()));
    let mut seen: Vec<Ix> = ev.evidence.iter().map(|q| q.source).collect();
    seen.sort_unstable();
    seen.dedup();
    for &s in seen.iter().take(MAX_ITEMS) {
        let src = m.source(s);
        let style = if src.is_sponsored() {
            theme.sponsored()
        } else {
            theme.text()
        };
        para(
            &mut out,
            &format!("{} — “{}”", source_label(m, src), src.title),
            2,
            w,
            style,
        );
    }
    more(&mut out, seen.len(), theme);
    disputes(m, e, w, theme, &mut out);
    out
}

/// The analyst's star and notes on an event, its quotes and disagreements.
pub fn notes_lines(
    notes: &crate::annotate::notes::Notes,
    m: &Model,
    e: Ix,
    w: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    use crate::annotate::notes::Target;
    let mut out = Vec::new();
    let ev = m.event(e);
    let starred = notes.is_starred(&ev.id);
    let mine = notes.notes_of_event(m, e);
    if !starred && mine.is_empty() {
        return out;
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Your notes (not from the sources)",
        theme.heading(),
    ));
    if starred {
        out.push(Line::styled("  * starred", theme.key()));
    }
    for n in mine.into_iter().take(MAX_ITEMS) {
        let on = match &n.on {
            Target::Event(_) => "on the event".to_string(),
            Target::Quote { source, quote, .. } => {
                format!(
                    "on the quote “{}” ({source})",
                    quote.chars().take(60).collect::<String>()
                )
            }
            Target::Conflict { attribute, .. } => format!("on the disagreement over {attribute}"),
        };
        para(&mut out, &on, 2, w, theme.dim());
        para(&mut out, &n.text, 4, w, theme.text());
    }
    out
}

fn disputes(m: &Model, e: Ix, w: usize, theme: Theme, out: &mut Vec<Line<'static>>) {
    let conflicts = m.conflicts_of_event(e);
    if conflicts.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Sources disagree (select one in the Sources pane, Enter to read it)",
        theme.conflict(),
    ));
    for &c in conflicts {
        let values: Vec<String> = m.conflicts[c as usize]
            .claims
            .iter()
            .map(|&cl| m.claims[cl as usize].value.to_string())
            .collect();
        let name = crate::tui::overlays::conflict::conflict_name(m, c);
        para(
            out,
            &format!("! {name}: {}", values.join(" / ")),
            2,
            w,
            theme.text(),
        );
    }
}

/// An actor and its relations over time, earliest first; undated last.
pub fn actor_lines(m: &Model, a: Ix, w: usize, theme: Theme) -> Vec<Line<'static>> {
    let actor = m.actor(a);
    let mut out = Vec::new();
    para(&mut out, &actor.name, 0, w, theme.title());
    out.push(Line::raw(""));
    field(&mut out, "Kind", &actor.kind, w, theme);
    field(&mut out, "Id", &actor.id, w, theme);
    if !actor.aliases.is_empty() {
        let aliases: Vec<&str> = actor.aliases.iter().map(|s| s.as_str()).collect();
        field(&mut out, "Also", &aliases.join(", "), w, theme);
    }
    let events = m.events_of_actor(a).len();
    field(&mut out, "Events", &events.to_string(), w, theme);
    if let Some(d) = &actor.description {
        out.push(Line::raw(""));
        para(&mut out, d, 0, w, theme.text());
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Relations over time", theme.heading()));
    let rels = m.relations_of_actor(a);
    if rels.is_empty() {
        out.push(Line::styled("  none recorded", theme.dim()));
    }
    // Dated first, by start; undated (no bound known) at the end. Only the
    // first MAX_ITEMS are put in order (a hub actor may have 100,000): a
    // linear selection, then a sort of what is shown.
    let key = |r: &Ix| {
        let rel = &m.relations[*r as usize];
        // By the first date written (its start, else its end), placed as
        // the timeline places it: one with only an end, or an open start,
        // does not jump ahead of everything.
        let known = rel.since.or(rel.until).map(|d| d.anchor().first_day());
        (known.is_none(), known, *r)
    };
    let mut sorted: Vec<Ix> = rels.to_vec();
    if sorted.len() > MAX_ITEMS {
        sorted.select_nth_unstable_by_key(MAX_ITEMS, key);
        sorted.truncate(MAX_ITEMS);
    }
    sorted.sort_by_key(key);
    let shown = &sorted[..sorted.len().min(MAX_ITEMS)];
    // The dates' column as wide as the widest shown (at most a third of
    // the width), measured in columns: the relations start in line.
    let spans: Vec<String> = shown
        .iter()
        .map(|&r| relation_span(&m.relations[r as usize]))
        .collect();
    let col = spans.iter().map(|s| width(s)).max().unwrap_or(0).min(w / 3);
    for (&r, span) in shown.iter().zip(&spans) {
        let rel = &m.relations[r as usize];
        let style = if span == "undated" {
            theme.dim()
        } else {
            theme.text()
        };
        let date = fit(span, col);
        let pad = " ".repeat(col.saturating_sub(width(&date)));
        let text = format!(
            "{} → {} → {}",
            m.actor(rel.from).name,
            rel.kind,
            m.actor(rel.to).name
        );
        let rows = wrap(&text, w.saturating_sub(col + 3).max(1));
        for (i, range) in rows.into_iter().enumerate() {
            let head = if i == 0 {
                format!("  {date}{pad} ")
            } else {
                " ".repeat(col + 3)
            };
            out.push(Line::styled(
                format!("{head}{}", safe(text[range].trim_end())),
                style,
            ));
        }
    }
    more(&mut out, rels.len(), theme);
    out
}

pub fn place_lines(m: &Model, p: Ix, w: usize, theme: Theme) -> Vec<Line<'static>> {
    let place = m.place(p);
    let mut out = Vec::new();
    para(&mut out, &place.name, 0, w, theme.title());
    out.push(Line::raw(""));
    field(&mut out, "Kind", &place.kind, w, theme);
    field(&mut out, "Id", &place.id, w, theme);
    if !place.aliases.is_empty() {
        let aliases: Vec<&str> = place.aliases.iter().map(|s| s.as_str()).collect();
        field(&mut out, "Also", &aliases.join(", "), w, theme);
    }
    let chain: Vec<String> = m
        .place_ancestors_upto(p, 8)
        .iter()
        .map(|&a| m.place(a).name.to_string())
        .collect();
    if !chain.is_empty() {
        field(&mut out, "Within", &chain.join(" ‹ "), w, theme);
    }
    if let Some((lat, lon)) = place.coordinates {
        field(&mut out, "Where", &format!("{lat:.4}, {lon:.4}"), w, theme);
    }
    let events = m.events_at_place(p).len();
    field(
        &mut out,
        "Events",
        &format!("{events} (here or within)"),
        w,
        theme,
    );
    out
}

/// Relations of `actors` that held on `day`, for `:at`.
pub fn relations_at(m: &Model, actors: &[Ix], day: PartialDate) -> Vec<Ix> {
    m.relations_during(
        actors,
        DaySpan {
            first: day.first_day(),
            last: day.last_day(),
        },
    )
}

pub fn draw(app: &mut App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let model = std::sync::Arc::clone(&app.model);
    let notes = &app.notes;
    let Overlay::Details(d) = &mut app.overlay else {
        return;
    };
    let popup = area.centered(Constraint::Max(110), Constraint::Percentage(100));
    if popup.width < 20 || popup.height < 5 {
        return;
    }
    let title = match d.about {
        About::Event(_) => " Event ",
        About::Actor(_) => " Actor ",
        About::Place(_) => " Place ",
    };
    let inner = popup_frame(f, popup, Line::styled(title, theme.title()), theme);
    let [text, keys] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let w = text.width as usize;
    let lines = match d.about {
        About::Event(e) => {
            let mut lines = event_lines(&model, e, w, theme);
            lines.extend(notes_lines(notes, &model, e, w, theme));
            lines
        }
        About::Actor(a) => actor_lines(&model, a, w, theme),
        About::Place(p) => place_lines(&model, p, w, theme),
    };
    d.pager.draw(f, text, lines);
    let copy = if matches!(d.about, About::Event(_)) {
        " · Y copy event"
    } else {
        ""
    };
    let mut help = format!("j/k PgUp/PgDn scroll{copy} · Esc or q close");
    if let Some(pos) = d.pager.position() {
        help = format!("{pos} · {help}");
    }
    f.render_widget(
        Paragraph::new(fit(&help, keys.width as usize)).style(theme.dim()),
        keys,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_actor_lists_its_earliest_relations_first() {
        // 400 relations in shuffled years, more than are listed.
        let mut rels = String::new();
        for i in 0..400u32 {
            let year = 1600 + (i * 37) % 400;
            rels.push_str(&format!(
                "(from: \"a\", to: \"b\", kind: \"k{i}\", since: \"{year}\", evidence: [(source: \"s\", quote: \"A and B\")]),"
            ));
        }
        let text = format!(
            "(meta: (title: \"t\"), sources: [(id: \"s\", outlet: \"o\", title: \"t\", text: \"A and B\")], actors: [(id: \"a\", name: \"A\", kind: \"x\"), (id: \"b\", name: \"B\", kind: \"x\")], relations: [{rels}])"
        );
        let m = crate::load_str(&text, "t.ron").unwrap();
        let lines = actor_lines(&m, 0, 200, Theme::default());
        let years: Vec<i32> = lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .filter_map(|t| {
                t.trim()
                    .strip_prefix("since ")
                    .and_then(|r| r[..4].parse().ok())
            })
            .collect();
        assert_eq!(years.len(), MAX_ITEMS);
        assert_eq!(years, (1600..1600 + MAX_ITEMS as i32).collect::<Vec<_>>());
    }
}
