//! Every key of the explorer: the bindings from the settings file
//! (`keymap`), and how the help and the key bar name the keys bound.

pub mod keymap;
