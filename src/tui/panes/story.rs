//! The open story (`:story NAME`): a strip under the panes with "Step k
//! of N" and the step's prose, while the timeline, the relationships and
//! the sources follow the step. Its keys: `>` `<` next and previous step,
//! `S` add what is selected after this step, `D` remove this step, `(`
//! `)` move it earlier or later, `W` its prose and `I` the introduction
//! in the editor. Every change is saved in `STORE.stories.ron` at once.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::annotate::stories::{self, Found, Stories, Story, Target};
use crate::model::Ix;
use crate::tui::app::{App, Overlay, Pane};
use crate::tui::term::editor::EditRequest;
use crate::tui::widgets::text::{fit, safe, wrap};

/// The story shown, by name, and the step (0-based) it is at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenStory {
    pub name: String,
    pub step: usize,
    /// Why the step is missing from the store, worked out when the step
    /// is reached (not on every frame).
    pub missing: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoryKey {
    Next,
    Prev,
    Add,
    Remove,
    Earlier,
    Later,
    Prose,
    Intro,
}

/// The story keys: none of them is bound elsewhere in the panes.
pub fn key(c: char) -> Option<StoryKey> {
    Some(match c {
        '>' => StoryKey::Next,
        '<' => StoryKey::Prev,
        'S' => StoryKey::Add,
        'D' => StoryKey::Remove,
        '(' => StoryKey::Earlier,
        ')' => StoryKey::Later,
        'W' => StoryKey::Prose,
        'I' => StoryKey::Intro,
        _ => return None,
    })
}

/// Which prose an editor file holds: a step's, or (`None`) the
/// introduction's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProseOf {
    pub story: String,
    pub step: Option<usize>,
}

/// Prose written in the editor is read back up to this size.
const MAX_PROSE_BYTES: u64 = 1 << 20;

impl App {
    /// Reads the stories beside the store; a broken file is said and left
    /// alone (not saved over until it is fixed).
    pub fn load_stories(&mut self) {
        let Some(store) = &self.store_path else {
            return;
        };
        let path = stories::stories_path(store);
        match Stories::load(&path) {
            Ok(s) => {
                self.stories = s;
                self.stories_path = Some(path);
            }
            Err(e) => {
                let first = e.lines().next().unwrap_or("").to_string();
                self.status = Some(format!(
                    "Stories not loaded, and not saved until fixed: {first}"
                ));
                self.stories_path = None;
            }
        }
    }

    /// False (and said) when changes cannot be kept: the built-in store
    /// (no file beside it), or a stories file that could not be read.
    fn stories_writable(&mut self, what: &str) -> bool {
        if self.stories_path.is_none() {
            self.status = Some(if self.store_path.is_none() {
                format!("{what}: the built-in store is not a file (:write FILE first)")
            } else {
                format!("{what}: the stories file beside the store could not be read; fix it first")
            });
            return false;
        }
        true
    }

    fn save_stories(&mut self, done: &str) {
        let Some(path) = &self.stories_path else {
            return;
        };
        self.status = Some(match self.stories.save(path) {
            Ok(()) => done.to_string(),
            Err(e) => format!("{done}, but NOT SAVED: {e}"),
        });
    }

    /// The marked events in the order they were marked; those marked
    /// together (a range, all shown) in date order.
    pub fn marked_in_order(&self) -> Vec<Ix> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out: Vec<Ix> = self
            .mark_order
            .iter()
            .copied()
            .filter(|e| self.marks.contains(e) && seen.insert(*e))
            .collect();
        out.extend(self.marks.iter().filter(|e| !seen.contains(e)));
        out
    }

    /// `:story new NAME`: a story of the marked events, in the order they
    /// were marked, opened at its first step.
    pub fn new_story(&mut self, name: &str) -> Result<(), String> {
        if !self.stories_writable("No story made") {
            return Ok(());
        }
        let m = std::sync::Arc::clone(&self.model);
        let steps: Vec<Target> = self
            .marked_in_order()
            .iter()
            .map(|&e| Target::Event(m.event(e).id.to_string()))
            .collect();
        let n = steps.len();
        let name = self.stories.create(name, steps)?.name.clone();
        self.save_stories(&format!(
            "Story {name:?} made of {n} marked event{}",
            if n == 1 { "" } else { "s" }
        ));
        let said = self.status.take();
        self.open_story(&name)?;
        self.status = said;
        Ok(())
    }

    /// `:story NAME`: opens it at its first step; `:story` alone lists
    /// the stories.
    pub fn open_story(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            self.open_stories();
            return Ok(());
        }
        if self.stories.get(name).is_none() {
            let names: Vec<&str> = self
                .stories
                .stories
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            return Err(if names.is_empty() {
                format!("no story {name:?}: :story new NAME makes one of the marked events")
            } else {
                format!("no story {name:?}; there are: {}", names.join(", "))
            });
        }
        self.story = Some(OpenStory {
            name: name.to_string(),
            step: 0,
            missing: None,
        });
        self.overlay = Overlay::None;
        self.behind.clear();
        self.follow_step();
        Ok(())
    }

    /// The open story, if it is still in the file.
    pub fn open_story_ref(&self) -> Option<(&Story, usize)> {
        let open = self.story.as_ref()?;
        Some((self.stories.get(&open.name)?, open.step))
    }

    /// Selects what the open step shows: its event in the timeline, its
    /// quote or disagreement in the sources.
    fn follow_step(&mut self) {
        let Some((story, k)) = self.open_story_ref() else {
            return;
        };
        let Some(step) = story.steps.get(k) else {
            self.status = Some("No steps yet: S adds the selected event".into());
            return;
        };
        let m = std::sync::Arc::clone(&self.model);
        let found = stories::find(&m, &stories::ConflictIndex::of(&m), &step.on);
        if let Some(open) = &mut self.story {
            open.missing = match &found {
                Found::Missing(why) => Some(why.clone()),
                _ => None,
            };
        }
        if let Found::Missing(why) = &found {
            self.status = Some(format!("This step is missing from the store: {why}"));
            return;
        }
        let Some(e) = found.event(&m) else {
            if let Found::Conflict(c) = found {
                self.open(Overlay::Conflict(
                    crate::tui::overlays::conflict::ConflictView {
                        conflict: c,
                        cursor: 0,
                    },
                ));
            }
            return;
        };
        self.select_event(e);
        match found {
            Found::Quote(_, q) => {
                self.focus = Pane::Sources;
                self.sources_cursor = q;
            }
            Found::Conflict(c) => {
                let nq = m.event(e).evidence.len();
                match m.conflicts_of_event(e).iter().position(|&x| x == c) {
                    Some(k) => {
                        self.focus = Pane::Sources;
                        self.sources_cursor = nq + k;
                    }
                    None => self.open(Overlay::Conflict(
                        crate::tui::overlays::conflict::ConflictView {
                            conflict: c,
                            cursor: 0,
                        },
                    )),
                }
            }
            _ => self.focus = Pane::Timeline,
        }
    }

    /// A story key, on the open story.
    pub(in crate::tui) fn story_key(&mut self, key: StoryKey) {
        let Some((story, k)) = self.open_story_ref() else {
            self.story = None;
            return;
        };
        let n = story.steps.len();
        match key {
            StoryKey::Next | StoryKey::Prev => {
                let to = match key {
                    StoryKey::Next => (k + 1).min(n.saturating_sub(1)),
                    _ => k.saturating_sub(1),
                };
                if let Some(open) = &mut self.story {
                    open.step = to;
                }
                self.follow_step();
            }
            StoryKey::Prose => self.edit_prose(Some(k)),
            StoryKey::Intro => self.edit_prose(None),
            StoryKey::Add | StoryKey::Remove | StoryKey::Earlier | StoryKey::Later => {
                self.change_steps(key, k, n)
            }
        }
    }

    /// Adds, removes or moves a step, and saves.
    fn change_steps(&mut self, key: StoryKey, k: usize, n: usize) {
        if !self.stories_writable("Story not changed") {
            return;
        }
        let target = self.note_target();
        let Some(open) = self.story.clone() else {
            return;
        };
        let Some(story) = self.stories.get_mut(&open.name) else {
            return;
        };
        let (to, done) = match key {
            StoryKey::Add => match target {
                Some(on) => {
                    let at = if n == 0 { 0 } else { k + 1 };
                    story.steps.insert(
                        at,
                        stories::Step {
                            on,
                            text: String::new(),
                        },
                    );
                    (at, format!("Step {} of {} added", at + 1, n + 1))
                }
                None => {
                    self.status = Some("Nothing selected to add".into());
                    return;
                }
            },
            StoryKey::Remove if n > 0 => {
                story.steps.remove(k);
                (
                    k.min(n.saturating_sub(2)),
                    format!("Step {} removed", k + 1),
                )
            }
            StoryKey::Earlier if k > 0 && k < n => {
                story.steps.swap(k, k - 1);
                (k - 1, format!("Now step {} of {n}", k))
            }
            StoryKey::Later if k + 1 < n => {
                story.steps.swap(k, k + 1);
                (k + 1, format!("Now step {} of {n}", k + 2))
            }
            _ => return,
        };
        if let Some(o) = &mut self.story {
            o.step = to;
        }
        self.save_stories(&done);
        let said = self.status.take();
        self.follow_step();
        self.status = said.or(self.status.take());
    }

    /// `W` and `I`: the step's prose or the introduction in the editor.
    fn edit_prose(&mut self, step: Option<usize>) {
        let Some((story, _)) = self.open_story_ref() else {
            return;
        };
        let text = match step {
            Some(k) => match story.steps.get(k) {
                Some(s) => s.text.clone(),
                None => {
                    self.status = Some("No step to write on: S adds one".into());
                    return;
                }
            },
            None => story.intro.clone(),
        };
        let name = story.name.clone();
        if !self.stories_writable("No prose") {
            return;
        }
        let path = match crate::tui::annotate::note_file(&std::env::temp_dir(), &text) {
            Ok(p) => p,
            Err(e) => {
                self.status = Some(format!("Cannot write a prose file: {e}"));
                return;
            }
        };
        self.edit = Some(EditRequest {
            path,
            line: 1,
            column: 1,
            note: None,
            story: Some(ProseOf { story: name, step }),
        });
    }

    /// Sets the prose of step `step` (or the introduction) of the open
    /// story: `:prose TEXT`, `:intro TEXT`, and after the editor.
    pub fn set_prose(
        &mut self,
        story: &str,
        step: Option<usize>,
        text: &str,
    ) -> Result<(), String> {
        if !self.stories_writable("Prose not saved") {
            return Ok(());
        }
        let text = text.trim_end().to_string();
        let s = self
            .stories
            .get_mut(story)
            .ok_or_else(|| format!("no story {story:?}"))?;
        let done = match step {
            Some(k) => {
                let n = s.steps.len();
                let st = s
                    .steps
                    .get_mut(k)
                    .ok_or("no step to write on: S adds one")?;
                st.text = text;
                format!("Prose of step {} of {n} saved", k + 1)
            }
            None => {
                s.intro = text;
                "Introduction saved".to_string()
            }
        };
        self.save_stories(&done);
        Ok(())
    }

    /// `:prose TEXT` / `:intro TEXT` on the open story.
    pub fn prose_here(&mut self, intro: bool, text: &str) -> Result<(), String> {
        let open = self
            .story
            .clone()
            .ok_or("no story open: :story NAME opens one")?;
        self.set_prose(&open.name, (!intro).then_some(open.step), text)
    }

    /// After the editor: the prose file's text becomes the prose; the
    /// file is removed once it is saved, else kept and said.
    pub fn finish_prose(&mut self, req: &EditRequest) {
        let Some(of) = req.story.clone() else {
            return;
        };
        match crate::io::read::read_text_bounded(&req.path, MAX_PROSE_BYTES) {
            Ok(Some(text)) => {
                let res = self.set_prose(&of.story, of.step, &text);
                let saved = res.is_ok()
                    && self
                        .status
                        .as_deref()
                        .is_some_and(|s| s.contains("saved") && !s.contains("NOT SAVED"));
                if let Err(e) = res {
                    self.status = Some(e);
                }
                if saved {
                    let _ = std::fs::remove_file(&req.path);
                } else {
                    let s = self.status.get_or_insert_with(String::new);
                    s.push_str(&format!("; the text is kept in {}", req.path.display()));
                }
            }
            Ok(None) => self.status = Some("The prose file is gone: nothing saved".into()),
            Err(e) => self.status = Some(format!("The prose was not read back, and is kept: {e}")),
        }
    }

    /// Works out again whether the open step is missing (after a reload
    /// or a restored session), without moving the selection.
    pub fn refresh_story(&mut self) {
        let Some((story, k)) = self.open_story_ref() else {
            return;
        };
        let m = &self.model;
        let missing = story.steps.get(k).and_then(|step| {
            match stories::find(m, &stories::ConflictIndex::of(m), &step.on) {
                Found::Missing(why) => Some(why),
                _ => None,
            }
        });
        if let Some(open) = &mut self.story {
            open.missing = missing;
        }
    }

    pub fn close_story(&mut self) {
        self.story = None;
    }
}

/// Rows the strip takes out of a body `height` rows high.
pub fn rows(app: &App, height: u16) -> u16 {
    if app.story.is_none() {
        return 0;
    }
    (height / 3).clamp(4, 9).min(height.saturating_sub(6))
}

/// The strip: the story's name and where it stands, the step's prose,
/// what it names when that is missing, and the keys.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Some((story, k)) = app.open_story_ref() else {
        return;
    };
    let n = story.steps.len();
    let place = if n == 0 {
        "no steps yet".to_string()
    } else {
        format!("Step {} of {n}", k + 1)
    };
    let title = Line::from(vec![
        Span::styled(format!(" Story: {} ", fit(&story.name, 40)), theme.title()),
        Span::styled(format!("— {place} "), theme.heading()),
    ]);
    let block = Block::bordered().title(title).border_style(theme.border());
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    if w == 0 || inner.height == 0 {
        return;
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(step) = story.steps.get(k) {
        if let Some(why) = app.story.as_ref().and_then(|o| o.missing.as_ref()) {
            lines.push(Line::styled(
                fit(&format!("Missing from the store: {why}"), w),
                theme.error(),
            ));
        }
        let text = if step.text.trim().is_empty() {
            "(no prose yet: W writes it)".to_string()
        } else {
            step.text.clone()
        };
        let room = (inner.height as usize).saturating_sub(1);
        // Each line of the prose its own line, made safe, then wrapped;
        // only as many as the strip shows.
        'all: for line in text.lines().map(safe) {
            if lines.len() >= room {
                break;
            }
            for r in wrap(&line, w) {
                if lines.len() >= room {
                    break 'all;
                }
                lines.push(Line::styled(line[r].to_string(), theme.text()));
            }
        }
    } else if k == 0 {
        lines.push(Line::styled(
            "S adds the selected event, quote or disagreement",
            theme.dim(),
        ));
    }
    let keys = "> next  < previous  S add  D remove  ( ) move  W prose  I intro";
    while lines.len() + 1 < inner.height as usize {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(fit(keys, w), theme.dim()));
    f.render_widget(Paragraph::new(lines), inner);
}
