//! The event store file format: what a RON file holds, field for field.
//! These types mirror the file; `model` turns them into the validated,
//! indexed model. Dates and ids stay plain strings here so that every bad
//! one can be reported together during validation, not just the first.

use serde::{Deserialize, Serialize};

use crate::store::shared::SharedStr;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreFile {
    pub meta: Meta,
    #[serde(default)]
    pub sources: Vec<SourceRec>,
    #[serde(default)]
    pub actors: Vec<ActorRec>,
    #[serde(default)]
    pub places: Vec<PlaceRec>,
    #[serde(default)]
    pub events: Vec<EventRec>,
    #[serde(default)]
    pub relations: Vec<RelationRec>,
    #[serde(default)]
    pub claims: Vec<ClaimRec>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: SharedStr,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub description: SharedStr,
}

/// What kind of text a source is. `Sponsored` marks paid or promotional content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceKind {
    #[default]
    News,
    Sponsored,
    OfficialStatement,
    PressRelease,
    Report,
    Opinion,
    /// An encyclopedia, a dictionary, a gazetteer.
    Reference,
    Book,
    /// A record in an archive: a letter, a file, a recording.
    Archive,
    /// A record of a dataset (ACLED, GDELT, a spreadsheet).
    Dataset,
    Other,
}

impl SourceKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [SourceKind; 11] = [
        SourceKind::News,
        SourceKind::Sponsored,
        SourceKind::OfficialStatement,
        SourceKind::PressRelease,
        SourceKind::Report,
        SourceKind::Opinion,
        SourceKind::Reference,
        SourceKind::Book,
        SourceKind::Archive,
        SourceKind::Dataset,
        SourceKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::News => "news",
            SourceKind::Sponsored => "sponsored",
            SourceKind::OfficialStatement => "official statement",
            SourceKind::PressRelease => "press release",
            SourceKind::Report => "report",
            SourceKind::Opinion => "opinion",
            SourceKind::Reference => "reference",
            SourceKind::Book => "book",
            SourceKind::Archive => "archive",
            SourceKind::Dataset => "dataset record",
            SourceKind::Other => "other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRec {
    pub id: SharedStr,
    pub outlet: SharedStr,
    pub title: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<SharedStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<SharedStr>,
    #[serde(default)]
    pub kind: SourceKind,
    /// The byline, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<SharedStr>,
    /// The text's language (a BCP 47 tag such as `en` or `fr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<SharedStr>,
    /// Id of the source in this store this one derives from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<SharedStr>,
    /// The original this one derives from, when the store does not hold
    /// it ("a Reuters report"). Sources naming the same original share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<SharedStr>,
    /// How it derives from `based_on` or `original`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivation: Option<Derivation>,
    pub text: SharedStr,
}

/// How a source derives from another: none of these is independent of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Derivation {
    #[default]
    Rewrite,
    /// A syndicated or verbatim copy.
    Copy,
    Summary,
    Translation,
    Excerpt,
}

impl Derivation {
    pub fn label(self) -> &'static str {
        match self {
            Derivation::Rewrite => "rewrite",
            Derivation::Copy => "copy",
            Derivation::Summary => "summary",
            Derivation::Translation => "translation",
            Derivation::Excerpt => "excerpt",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRec {
    pub id: SharedStr,
    pub name: SharedStr,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<SharedStr>,
    pub kind: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<SharedStr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRec {
    pub id: SharedStr,
    pub name: SharedStr,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<SharedStr>,
    pub kind: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<SharedStr>,
    /// Latitude and longitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRec {
    pub source: SharedStr,
    pub quote: SharedStr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRec {
    pub id: SharedStr,
    pub date: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<SharedStr>,
    pub title: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<SharedStr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<SharedStr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<SharedStr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<SharedStr>,
    #[serde(default)]
    pub evidence: Vec<QuoteRec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRec {
    pub from: SharedStr,
    pub to: SharedStr,
    pub kind: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<SharedStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<SharedStr>,
    #[serde(default)]
    pub evidence: Vec<QuoteRec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRec {
    pub subject: SharedStr,
    pub attribute: SharedStr,
    pub value: SharedStr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<SharedStr>,
    /// Ids of the events the claim bears on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<SharedStr>,
    /// The value read as a date, when one can be (`value: "in July"`,
    /// `value_date: "~2023-07"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date: Option<SharedStr>,
    /// The value read as a number, when one can be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_number: Option<f64>,
    /// The least and the most the value's words allow, as the analyst
    /// reads them ("over $100 million": `value_min: 100000000.0`): values
    /// whose ranges overlap are compatible, not a contradiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<f64>,
    #[serde(default)]
    pub evidence: Vec<QuoteRec>,
}

/// The RON options every store is read and written with: `Some(..)` may be
/// left out around optional values.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}
