//! How the model's maps and meta are written in the load cache.

/// The model's `meta` in a form a binary format can read back: `Meta`
/// itself skips an empty description when written, for the store.
pub(crate) mod meta_repr {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::store::Meta;
    use crate::store::shared::SharedStr;

    pub fn serialize<S: Serializer>(m: &Meta, s: S) -> Result<S::Ok, S::Error> {
        (&m.title, &m.description).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Meta, D::Error> {
        let (title, description) = <(SharedStr, SharedStr)>::deserialize(d)?;
        Ok(Meta { title, description })
    }
}

/// A hash map written as its entries and read back into a map made at its
/// full size at once. Read through serde's own map code, a map with a
/// fixed hasher (Fx) grows while its entries arrive in the order of the
/// table they came from, and its probes collide: at a million ids that
/// took 2.6 s of a 3.8 s load, at once it takes well under a second.
///
/// Entries keyed by strings of the store's text are written in the order
/// of the text: hashing them as they are read back then reads the text
/// in order, not a million places at random (a sixth of a warm open).
pub(crate) mod map_repr {
    use std::hash::{BuildHasher, Hash};

    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Map<K, V, S> = std::collections::HashMap<K, V, S>;

    /// Where a key is in the store's text, to write entries in its order.
    pub trait WriteOrder {
        fn write_order(&self) -> usize;
    }

    impl WriteOrder for crate::store::shared::SharedStr {
        fn write_order(&self) -> usize {
            // Strings of one text are in its order by address.
            self.as_str().as_ptr() as usize
        }
    }

    impl WriteOrder for crate::model::Subject {
        fn write_order(&self) -> usize {
            0
        }
    }

    pub fn serialize<K: Serialize + WriteOrder, V: Serialize, S, Z: Serializer>(
        m: &Map<K, V, S>,
        s: Z,
    ) -> Result<Z::Ok, Z::Error> {
        let mut entries: Vec<(&K, &V)> = m.iter().collect();
        entries.sort_by_key(|(k, _)| k.write_order());
        let mut seq = s.serialize_seq(Some(m.len()))?;
        for entry in entries {
            seq.serialize_element(&entry)?;
        }
        seq.end()
    }

    pub fn deserialize<'de, K, V, S, D>(d: D) -> Result<Map<K, V, S>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        S: BuildHasher + Default,
        D: Deserializer<'de>,
    {
        struct Entries<K, V, S>(std::marker::PhantomData<(K, V, S)>);
        impl<'de, K, V, S> Visitor<'de> for Entries<K, V, S>
        where
            K: Deserialize<'de> + Eq + Hash,
            V: Deserialize<'de>,
            S: BuildHasher + Default,
        {
            type Value = Map<K, V, S>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map's entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // The entries first: the map is made at its size at once
                // (a stated length could be a lie, the entries are not).
                let mut entries: Vec<(K, V)> = Vec::new();
                while let Some(e) = seq.next_element()? {
                    entries.push(e);
                }
                let mut m = Map::with_capacity_and_hasher(entries.len(), S::default());
                m.extend(entries);
                Ok(m)
            }
        }
        d.deserialize_seq(Entries(std::marker::PhantomData))
    }
}
