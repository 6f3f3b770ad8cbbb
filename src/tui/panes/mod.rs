//! The panes side by side: the timeline, the relationships (or the map in
//! their place) and the sources. Each owns its state, keys and drawing.

pub mod map;
pub mod relations;
pub mod sources;
pub mod timeline;
