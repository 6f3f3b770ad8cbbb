//! GDELT's places: a `*Geo_` group of columns read and checked, and made
//! a chain country → ADM1 → ADM2 → city or landmark whose every link is
//! found by GDELT's own code, never by its spelling (the codebook: "use
//! the FeatureID column to determine whether two location names refer to
//! the same place").
//!
//! `*Geo_Type`: 1 a country, 2 a US state, 3 a US city or landmark, 4 a
//! city or landmark elsewhere, 5 a first-order division elsewhere.
//! FullName is "Country", "State, Country" or "City, State, Country" (a
//! state's name may itself hold a comma). ADM2 codes (GAUL numbers, or a
//! US state and county number) come without a name, so an ADM2 place is
//! named by its code.

use super::{Gdelt, Geo};
use crate::import::{Builder, name_key};
use crate::store::shared::SharedStr;

impl Geo<'_> {
    /// The same place, as far as the row says.
    pub(super) fn same(&self, other: &Geo) -> bool {
        (
            self.kind,
            self.full,
            self.country,
            self.adm1,
            self.adm2,
            self.feature,
        ) == (
            other.kind,
            other.full,
            other.country,
            other.adm1,
            other.adm2,
            other.feature,
        ) && self.at == other.at
    }
}

/// Reads the `*Geo_` columns from `at` (Type) on; `None` when the row
/// names no place there. Coordinates must both be given, be numbers and
/// lie on the globe; a place of a known type must be named.
pub(super) fn geo<'r>(
    get: &impl Fn(usize) -> &'r str,
    at: usize,
    label: &str,
) -> Result<Option<Geo<'r>>, String> {
    let g = Geo {
        kind: get(at),
        full: get(at + 1),
        country: get(at + 2),
        adm1: get(at + 3),
        adm2: get(at + 4),
        at: coordinates(get(at + 5), get(at + 6), label)?,
        feature: get(at + 7),
    };
    if !matches!(g.kind, "" | "0" | "1" | "2" | "3" | "4" | "5") {
        return Err(format!("{label}_Type {:?}: expected 0 to 5", g.kind));
    }
    if g.full.is_empty() {
        if !matches!(g.kind, "" | "0") {
            return Err(format!(
                "{label}_Type {} with an empty {label}_FullName",
                g.kind
            ));
        }
        if g.at.is_some() || !g.country.is_empty() {
            return Err(format!(
                "{label}: coordinates or a country code with an empty {label}_FullName"
            ));
        }
        return Ok(None);
    }
    Ok(Some(g))
}

fn coordinates(lat: &str, long: &str, label: &str) -> Result<Option<(f64, f64)>, String> {
    let read = |v: &str, name: &str, limit: f64| -> Result<f64, String> {
        let n: f64 = v
            .parse()
            .map_err(|_| format!("{label}_{name} {v:?} is not a number"))?;
        if !n.is_finite() || n.abs() > limit {
            return Err(format!(
                "{label}_{name} {v} is out of range (-{limit} to {limit})"
            ));
        }
        Ok(n)
    };
    match (lat.is_empty(), long.is_empty()) {
        (true, true) => Ok(None),
        (false, true) => Err(format!("{label}_Lat given without {label}_Long")),
        (true, false) => Err(format!("{label}_Long given without {label}_Lat")),
        (false, false) => Ok(Some((read(lat, "Lat", 90.0)?, read(long, "Long", 180.0)?))),
    }
}

impl Gdelt {
    /// The place of a `*Geo_` group, made on first use, and whether it
    /// has the row's coordinates.
    pub(super) fn place(&mut self, b: &mut Builder, g: &Geo) -> (Option<SharedStr>, bool) {
        // A row's place is most often one met before, exactly: its answer
        // then is the first's (names never change, and a place's
        // coordinates only go from none to the first given), found
        // without building its chain again.
        let key = &mut self.geo_key;
        key.clear();
        for part in [g.kind, g.full, g.country, g.adm1, g.adm2, g.feature] {
            key.push_str(part);
            key.push('\u{1f}');
        }
        if let Some((lat, long)) = g.at {
            key.push_str(&format!("{:x}/{:x}", lat.to_bits(), long.to_bits()));
        }
        let (id, got) = match self.geo_cache.get(key.as_str()) {
            Some(known) => known.clone(),
            None => {
                let chain = chain(g);
                let links: Vec<(&str, &str, &str)> = chain
                    .iter()
                    .map(|(k, n, kind)| (k.as_str(), n.as_str(), *kind))
                    .collect();
                let made = b.place_keyed(&links, g.at);
                self.geo_cache.insert(key.clone(), made.clone());
                made
            }
        };
        self.renamed_places += usize::from(got.renamed);
        self.other_coordinates += usize::from(!got.coordinates_kept);
        (id, got.coordinates_kept)
    }
}

/// Key, name and kind of each link, outermost first.
fn chain(g: &Geo) -> Vec<(String, String, &'static str)> {
    let parts: Vec<&str> = g
        .full
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut links = Vec::new();
    let country_name = match (parts.len(), g.kind) {
        (n, "1") if n > 0 => parts.join(", "),
        (n, _) if n > 1 => parts[n - 1].to_string(),
        _ => g.country.to_string(),
    };
    let country_key = if g.country.is_empty() {
        format!("country-name:{}", name_key(&country_name))
    } else {
        format!("country:{}", g.country)
    };
    if !country_name.is_empty() {
        links.push((country_key.clone(), country_name, "country"));
    }
    if g.kind == "1" {
        return links;
    }
    // A state's name is all but the country; a city's, all but the city
    // and the country.
    let (adm1_name, city) = match (g.kind, parts.len()) {
        ("2" | "5", n) if n > 1 => (parts[..n - 1].join(", "), None),
        ("3" | "4", n) if n > 2 => (parts[1..n - 1].join(", "), Some(parts[0])),
        ("3" | "4", 2) => (String::new(), Some(parts[0])),
        _ => (String::new(), Some(g.full)),
    };
    let mut parent = country_key;
    let adm1_name = match (adm1_name.is_empty(), g.adm1.is_empty()) {
        (false, _) => adm1_name,
        (true, false) => format!("ADM1 {}", g.adm1),
        (true, true) => String::new(),
    };
    if !adm1_name.is_empty() {
        let key = if g.adm1.is_empty() {
            format!("adm1-name:{parent}/{}", name_key(&adm1_name))
        } else {
            format!("adm1:{}", g.adm1)
        };
        links.push((key.clone(), adm1_name, "ADM1"));
        parent = key;
    }
    let Some(city) = city else { return links };
    if !g.adm2.is_empty() {
        let key = format!("adm2:{}", g.adm2);
        links.push((key.clone(), format!("ADM2 {}", g.adm2), "ADM2"));
        parent = key;
    }
    let key = if g.feature.is_empty() {
        format!("name:{parent}/{}", name_key(city))
    } else {
        format!("feature:{}", g.feature)
    };
    links.push((key, city.to_string(), "city or landmark"));
    links
}

/// "ActionGeo: Port Vell, Ardan Coast, Ardan (a city or landmark outside
/// the US; country AX; ADM1 AX05; ADM2 41234; FeatureID -3300101)."
pub(super) fn sentence(out: &mut String, label: &str, g: &Geo, coordinates_kept: bool) {
    use std::fmt::Write as _;
    if !out.is_empty() {
        out.push(' ');
    }
    let _ = write!(out, "{label}: {}", g.full);
    let mut first = true;
    let mut say = |out: &mut String| {
        out.push_str(if first { " (" } else { "; " });
        first = false;
    };
    match crate::import::cameo::geo_type(g.kind) {
        Some(t) => {
            say(out);
            out.push_str(t);
        }
        None if !g.kind.is_empty() => {
            say(out);
            let _ = write!(out, "type {}", g.kind);
        }
        None => {}
    }
    for (name, v) in [
        ("country", g.country),
        ("ADM1", g.adm1),
        ("ADM2", g.adm2),
        ("FeatureID", g.feature),
    ] {
        if !v.is_empty() {
            say(out);
            let _ = write!(out, "{name} {v}");
        }
    }
    if let (Some((lat, long)), false) = (g.at, coordinates_kept) {
        say(out);
        let _ = write!(
            out,
            "this row gave {lat}, {long}; the place keeps those of its first row"
        );
    }
    if !first {
        out.push(')');
    }
    out.push('.');
}
