//! What is drawn over the panes for a while: details, the reader, a
//! disagreement and the list of them, two sources' shared passages, search, the command line, export, help, problems.

pub mod command_line;
pub mod compare;
pub mod conflict;
pub mod details;
pub mod disputes;
pub mod event_form;
pub mod export_dialog;
pub mod help;
pub mod pager;
pub mod problems;
pub mod reader;
pub mod search_box;
pub mod selection;
pub mod stories;
