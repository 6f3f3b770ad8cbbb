//! Every key of the explorer. `table` is the one list of keys that the
//! help overlay, the key bar (`bar`) and docs/reference/keys.md
//! (`reference`) are made from; `keymap` holds the bindings from the
//! settings file that rebind them.

pub mod bar;
pub mod keymap;
pub mod reference;
pub mod table;
