//! Collections that remember which of their entries were changed, so that a state file is
//! written in proportion to a change (the rows it touched) instead of all over again.
//!
//! Each derefs to the plain collection for reading; there is no `DerefMut`, so every way to
//! change one goes through a method here that records what it touches (add one here when a
//! handler needs another). A mutation cannot be
//! forgotten by the state file: code that changes an entry without recording it does not
//! compile. Every new collection (`Default`, deserialized) counts as wholly changed.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, btree_map};
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which entries changed since the last [`take`](Touched::take).
#[derive(Clone, Debug)]
pub(crate) struct Touched<K> {
    keys: BTreeSet<K>,
    /// Everything may have changed (the collection is rewritten whole).
    all: bool,
}

impl<K: Ord> Default for Touched<K> {
    fn default() -> Self {
        Touched {
            keys: BTreeSet::new(),
            all: true,
        }
    }
}

/// The changes of one collection: whether it was rewritten whole, else the keys touched.
pub(crate) enum Changes<K> {
    All,
    Keys(BTreeSet<K>),
}

impl<K: Ord> Touched<K> {
    fn none() -> Self {
        Touched {
            keys: BTreeSet::new(),
            all: false,
        }
    }

    fn mark(&mut self, key: K) {
        if !self.all {
            self.keys.insert(key);
        }
    }

    fn mark_all(&mut self) {
        self.all = true;
        self.keys.clear();
    }

    /// The changes so far, forgetting them; `None` when there are none.
    pub(crate) fn take(&mut self) -> Option<Changes<K>> {
        if std::mem::take(&mut self.all) {
            self.keys.clear();
            Some(Changes::All)
        } else if self.keys.is_empty() {
            None
        } else {
            Some(Changes::Keys(std::mem::take(&mut self.keys)))
        }
    }
}

/// Serializes and deserializes as the collection itself; a deserialized one is all changed.
macro_rules! serde_as_inner {
    ($ty:ident < $($p:ident),* >, $field:ident, $inner:ty, $($bound:tt)*) => {
        impl<$($p),*> Serialize for $ty<$($p),*> where $inner: Serialize {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.$field.serialize(s)
            }
        }

        impl<'de, $($p),*> Deserialize<'de> for $ty<$($p),*>
        where
            $inner: Deserialize<'de>,
            $($bound)*
        {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::from(<$inner>::deserialize(d)?))
            }
        }

        impl<$($p),*> Deref for $ty<$($p),*> {
            type Target = $inner;

            fn deref(&self) -> &$inner {
                &self.$field
            }
        }
    };
}

/// A map that records the keys changed through it.
#[derive(Clone, Debug)]
pub(crate) struct Table<K, V> {
    map: BTreeMap<K, V>,
    touched: Touched<K>,
}

serde_as_inner!(Table<K, V>, map, BTreeMap<K, V>, K: Ord,);

impl<K: Ord, V> Default for Table<K, V> {
    fn default() -> Self {
        Self::from(BTreeMap::new())
    }
}

impl<K: Ord, V> From<BTreeMap<K, V>> for Table<K, V> {
    fn from(map: BTreeMap<K, V>) -> Self {
        Table {
            map,
            touched: Touched::default(),
        }
    }
}

impl<K: Ord + Clone, V> Table<K, V> {
    /// A table read from the state file: nothing changed yet.
    pub(crate) fn loaded(map: BTreeMap<K, V>) -> Self {
        Table {
            map,
            touched: Touched::none(),
        }
    }

    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ToOwned<Owned = K> + ?Sized,
    {
        let v = self.map.get_mut(key)?;
        self.touched.mark(key.to_owned());
        Some(v)
    }

    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.touched.mark(key.clone());
        self.map.insert(key, value)
    }

    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ToOwned<Owned = K> + ?Sized,
    {
        let v = self.map.remove(key)?;
        self.touched.mark(key.to_owned());
        Some(v)
    }

    pub(crate) fn entry(&mut self, key: K) -> btree_map::Entry<'_, K, V> {
        self.touched.mark(key.clone());
        self.map.entry(key)
    }

    /// What changed since the last call.
    pub(crate) fn take_changes(&mut self) -> Option<Changes<K>> {
        self.touched.take()
    }

    /// Counts everything as changed (to write the table whole).
    pub(crate) fn touch_all(&mut self) {
        self.touched.mark_all();
    }
}

impl<K, V> IntoIterator for Table<K, V> {
    type Item = (K, V);
    type IntoIter = btree_map::IntoIter<K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a Table<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = btree_map::Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

/// A set that records the elements added or removed through it.
#[derive(Clone, Debug)]
pub(crate) struct KeySet<K> {
    set: BTreeSet<K>,
    touched: Touched<K>,
}

serde_as_inner!(KeySet<K>, set, BTreeSet<K>, K: Ord,);

impl<K: Ord> Default for KeySet<K> {
    fn default() -> Self {
        Self::from(BTreeSet::new())
    }
}

impl<K: Ord> From<BTreeSet<K>> for KeySet<K> {
    fn from(set: BTreeSet<K>) -> Self {
        KeySet {
            set,
            touched: Touched::default(),
        }
    }
}

impl<K: Ord + Clone> KeySet<K> {
    /// A set read from the state file: nothing changed yet.
    pub(crate) fn loaded(set: BTreeSet<K>) -> Self {
        KeySet {
            set,
            touched: Touched::none(),
        }
    }

    pub(crate) fn insert(&mut self, key: K) -> bool {
        self.touched.mark(key.clone());
        self.set.insert(key)
    }

    pub(crate) fn remove<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ToOwned<Owned = K> + ?Sized,
    {
        let removed = self.set.remove(key);
        if removed {
            self.touched.mark(key.to_owned());
        }
        removed
    }

    /// What changed since the last call.
    pub(crate) fn take_changes(&mut self) -> Option<Changes<K>> {
        self.touched.take()
    }

    /// Counts everything as changed (to write the set whole).
    pub(crate) fn touch_all(&mut self) {
        self.touched.mark_all();
    }
}

/// A list that records the positions changed through it. Entries are only ever appended or
/// changed in place (positions are their keys in the state file); anything that moves them
/// counts as a change of the whole list.
#[derive(Clone, Debug)]
pub(crate) struct List<T> {
    items: Vec<T>,
    touched: Touched<usize>,
}

serde_as_inner!(List<T>, items, Vec<T>,);

impl<T> Default for List<T> {
    fn default() -> Self {
        Self::from(Vec::new())
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        List {
            items,
            touched: Touched::default(),
        }
    }
}

impl<T> List<T> {
    /// A list read from the state file: nothing changed yet.
    pub(crate) fn loaded(items: Vec<T>) -> Self {
        List {
            items,
            touched: Touched::none(),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        self.touched.mark(self.items.len());
        self.items.push(item);
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let item = self.items.get_mut(index)?;
        self.touched.mark(index);
        Some(item)
    }

    /// The first entry `pred` holds for, to change (only it counts as changed).
    pub(crate) fn find_mut(&mut self, pred: impl FnMut(&T) -> bool) -> Option<&mut T> {
        let index = self.items.iter().position(pred)?;
        self.get_mut(index)
    }

    /// What changed since the last call.
    pub(crate) fn take_changes(&mut self) -> Option<Changes<usize>> {
        self.touched.take()
    }

    /// Counts everything as changed (to write the list whole).
    pub(crate) fn touch_all(&mut self) {
        self.touched.mark_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_recorded_by_key_and_forgotten_once_taken() {
        let mut t: Table<String, i32> = Table::loaded(BTreeMap::new());
        assert!(t.take_changes().is_none());
        t.insert("a".into(), 1);
        t.insert("b".into(), 2);
        let _ = t.get("a");
        assert!(matches!(t.take_changes(), Some(Changes::Keys(k)) if k.len() == 2));
        assert!(t.get_mut("zz").is_none());
        assert!(t.take_changes().is_none());
        *t.get_mut("b").unwrap() = 3;
        t.remove("a");
        assert!(matches!(t.take_changes(), Some(Changes::Keys(k)) if k.len() == 2));
        t.touch_all();
        assert!(matches!(t.take_changes(), Some(Changes::All)));
        assert!(matches!(
            Table::<String, i32>::default().take_changes(),
            Some(Changes::All)
        ));

        let mut l = List::loaded(vec![1, 2, 3]);
        *l.find_mut(|x| *x == 2).unwrap() = 5;
        l.push(4);
        assert!(
            matches!(l.take_changes(), Some(Changes::Keys(k)) if k.iter().copied().collect::<Vec<_>>() == [1, 3])
        );
    }
}
