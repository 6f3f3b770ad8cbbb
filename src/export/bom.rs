//! A UTF-8 byte-order mark before a CSV export, for spreadsheets that
//! otherwise guess the file's encoding wrong (LibreOffice's default import,
//! Excel on Windows: "Jamaâ€™at" for "Jama’at").

use super::*;

/// The UTF-8 byte-order mark (U+FEFF encoded).
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Why `format` takes no byte-order mark, or `None` when it does (CSV only).
/// The others are read by programs that do not expect one: JSON forbids it
/// (RFC 8259, section 8.1), and a mark would become part of the first key
/// of a JSONL line or the first token of RON; Markdown needs none.
pub fn bom_refusal(format: Format) -> Option<String> {
    (format != Format::Csv).then(|| {
        format!(
            "--bom is for csv only, not {}: other formats are read by programs that expect no byte-order mark",
            format.name()
        )
    })
}

/// `render`, with the UTF-8 byte-order mark first when `bom` is set; an
/// error for a format other than CSV (see `bom_refusal`).
pub fn render_with_bom(
    m: &Model,
    events: &[Ix],
    format: Format,
    title: &str,
    made: &super::Made,
    bom: bool,
) -> Result<Vec<u8>, String> {
    if bom && let Some(why) = bom_refusal(format) {
        return Err(why);
    }
    let bytes = super::render_made(m, events, format, title, made)?;
    if !bom {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(UTF8_BOM.len() + bytes.len());
    out.extend_from_slice(&UTF8_BOM);
    out.extend_from_slice(&bytes);
    Ok(out)
}
