//! The patterns real APIs write (`^\+[1-9][0-9]{1,14}$`, `^[a-z0-9-]{3,64}$`)
//! compiled to plain Rust: a small matcher IR, and the code it emits.
//!
//! The IR is a sequence of items, each a character set with a count
//! (`[0-9]{1,14}`, a literal character is a set of one) or an alternation of
//! literal strings (`(?:foo|bar)`, maybe optional), between an optional `^`
//! and an optional `$`. The emitted code matches it in one pass without
//! backtracking: every variable count is taken greedily and never given back
//! (possessively). That is exact only when giving back could never help, so
//! [`compile`] admits a pattern only when each variable item shares no first
//! character with what may follow it (`[0-9]{1,14}$` yes, `[a-z]*z` no);
//! anything else stays with the engines of `super`.
//!
//! Matching is over code points, as ECMA-262 with the `u` flag (the dialect
//! the rest of the generator assumes).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::Parser;

/// Largest count (`{n}`, `{n,m}`) compiled; larger ones keep the engine.
const MAX_COUNT: u32 = 10_000;
/// Longest match of an unanchored pattern (`[0-9]{3}` without `^`): it is
/// tried at every start, so its cost is the input length times this.
const MAX_UNANCHORED_SPAN: u64 = 1_000;
const SURROGATES: (u32, u32) = (0xD800, 0xDFFF);
const LAST: u32 = 0x10FFFF;

/// A set of code points: sorted, disjoint, non-adjacent ranges, surrogates
/// excluded (no `char` is one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharSet(Vec<(u32, u32)>);

impl CharSet {
    fn new(mut ranges: Vec<(u32, u32)>) -> Self {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            // Cut the surrogate block out.
            let pieces = [
                (lo, hi.min(SURROGATES.0 - 1)),
                (lo.max(SURROGATES.1 + 1), hi),
            ];
            for (lo, hi) in pieces {
                if lo > hi {
                    continue;
                }
                match out.last_mut() {
                    Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                    _ => out.push((lo, hi)),
                }
            }
        }
        // Ranges either side of the surrogate block stay apart.
        out.sort_unstable();
        CharSet(out)
    }

    fn single(c: char) -> Self {
        CharSet(vec![(u32::from(c), u32::from(c))])
    }

    fn complement(&self) -> Self {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi + 1;
        }
        if next <= LAST {
            out.push((next, LAST));
        }
        CharSet::new(out)
    }

    fn union(&self, other: &CharSet) -> CharSet {
        CharSet::new(self.0.iter().chain(&other.0).copied().collect())
    }

    fn intersects(&self, other: &CharSet) -> bool {
        self.0
            .iter()
            .any(|&(a, b)| other.0.iter().any(|&(c, d)| a <= d && c <= b))
    }

    /// The one character of a set of one.
    fn only(&self) -> Option<char> {
        match self.0.as_slice() {
            [(lo, hi)] if lo == hi => char::from_u32(*lo),
            _ => None,
        }
    }

    /// Each range's ends and their outside neighbours: where a set's
    /// membership changes, for tests.
    fn boundaries(&self) -> Vec<char> {
        self.0
            .iter()
            .flat_map(|&(lo, hi)| [lo.wrapping_sub(1), lo, hi, hi + 1])
            .filter_map(char::from_u32)
            .collect()
    }

    /// A `|c: char| -> bool` closure testing membership, in whichever form
    /// (the set, or not its complement) has fewer ranges.
    fn test(&self) -> TokenStream {
        let complement = self.complement();
        if self.0.is_empty() {
            return quote!(|_: char| false);
        }
        if complement.0.is_empty() {
            return quote!(|_: char| true);
        }
        let (ranges, negated) = if complement.0.len() < self.0.len() {
            (&complement.0, true)
        } else {
            (&self.0, false)
        };
        let arms = ranges.iter().map(|&(lo, hi)| {
            // Ranges hold no surrogates, so both ends are `char`s.
            let ch = |n: u32| Literal::character(char::from_u32(n).unwrap_or_default());
            let (from, to) = (ch(lo), ch(hi));
            if lo == hi {
                quote!(#from)
            } else {
                quote!(#from..=#to)
            }
        });
        let test = quote!(matches!(c, #(#arms)|*));
        if negated {
            quote!(|c: char| !#test)
        } else {
            quote!(|c: char| #test)
        }
    }
}

/// One step of a [`Matcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `min..=max` characters of `set` (`max` `None`: unbounded).
    Class {
        set: CharSet,
        min: u32,
        max: Option<u32>,
    },
    /// One of the strings, none a prefix of another, so at most one matches
    /// at a position; or nothing, when `optional`.
    Literals { alts: Vec<String>, optional: bool },
}

impl Item {
    fn variable(&self) -> bool {
        match self {
            Item::Class { min, max, .. } => *max != Some(*min),
            Item::Literals { optional, .. } => *optional,
        }
    }

    fn nullable(&self) -> bool {
        match self {
            Item::Class { min, .. } => *min == 0,
            Item::Literals { optional, .. } => *optional,
        }
    }

    fn first(&self) -> CharSet {
        match self {
            Item::Class { set, .. } => set.clone(),
            Item::Literals { alts, .. } => CharSet::new(
                alts.iter()
                    .filter_map(|a| a.chars().next())
                    .map(|c| (u32::from(c), u32::from(c)))
                    .collect(),
            ),
        }
    }

    /// Longest text the item can match, `None` when unbounded.
    fn span(&self) -> Option<u64> {
        match self {
            Item::Class { max, .. } => max.map(u64::from),
            Item::Literals { alts, .. } => alts.iter().map(|a| a.chars().count() as u64).max(),
        }
    }
}

/// A compiled pattern: `items` in sequence, anchored at either end or not
/// (an unanchored pattern matches anywhere in the string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    pub anchored_start: bool,
    pub anchored_end: bool,
    pub items: Vec<Item>,
}

/// The pattern as a [`Matcher`], when it is in the subset matched exactly
/// without backtracking; `None` keeps the engines.
pub fn compile(source: &str) -> Option<Matcher> {
    // Only patterns ECMA-262 accepts: the parser below is not a validator.
    regress::Regex::with_flags(source, "u").ok()?;
    let mut p = Parser {
        chars: source.chars().collect(),
        pos: 0,
        linear: true,
        nested: false,
        missing_property: None,
    };
    let anchored_start = p.eat('^');
    let mut anchored_end = false;
    let mut items = Vec::new();
    while let Some(c) = p.peek() {
        if c == '$' {
            p.pos += 1;
            if p.pos != p.chars.len() {
                return None;
            }
            anchored_end = true;
            break;
        }
        let item = if c == '(' {
            group(&mut p)?
        } else {
            Item::Class {
                set: atom(&mut p)?,
                min: 1,
                max: Some(1),
            }
        };
        items.push(quantified(&mut p, item)?);
    }
    Matcher {
        anchored_start,
        anchored_end,
        items,
    }
    .simplified()
    .checked()
}

impl Matcher {
    /// Unanchored ends shed what cannot change the answer: a match of
    /// `[0-9]{2,5}x` at some start has one of `[0-9]{2}x` at a later start,
    /// and `x[0-9]*` matches wherever `x` does.
    fn simplified(mut self) -> Self {
        fn shrink(item: &mut Item) -> bool {
            match item {
                Item::Class { min, max, .. } => {
                    *max = Some(*min);
                    *min == 0
                }
                Item::Literals { optional, .. } => *optional,
            }
        }
        if !self.anchored_start {
            while self.items.first_mut().is_some_and(shrink) {
                self.items.remove(0);
            }
        }
        if !self.anchored_end {
            while self.items.last_mut().is_some_and(shrink) {
                self.items.pop();
            }
        }
        self.items
            .retain(|i| !matches!(i, Item::Class { max: Some(0), .. }));
        self
    }

    /// `Some` when the one-pass match is exact and cheap.
    fn checked(self) -> Option<Self> {
        for (i, item) in self.items.iter().enumerate() {
            if !item.variable() {
                continue;
            }
            // What may follow: first sets up to the first item that must
            // match something. A possessive count loses a match only when
            // the rest could have started on a character it took (an empty
            // rest also matches later, or, before `$`, only at the end).
            let mut follow = CharSet(Vec::new());
            for next in &self.items[i + 1..] {
                follow = follow.union(&next.first());
                if !next.nullable() {
                    break;
                }
            }
            if item.first().intersects(&follow) {
                return None;
            }
        }
        if !self.anchored_start {
            let mut span = 0u64;
            for item in &self.items {
                span += item.span()?;
            }
            if span > MAX_UNANCHORED_SPAN {
                return None;
            }
        }
        Some(self)
    }

    /// Characters a differential test should build strings from: the
    /// literals and every set's boundaries.
    pub fn alphabet(&self) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for item in &self.items {
            match item {
                Item::Class { set, .. } => out.extend(set.boundaries()),
                Item::Literals { alts, .. } => out.extend(alts.iter().flat_map(|a| a.chars())),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Strings the matcher accepts, drawn with `next` (a source of random
    /// numbers): each item at a count near its bounds, each character a set
    /// boundary.
    pub fn witnesses(&self, count: usize, next: &mut dyn FnMut() -> u64) -> Vec<String> {
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let mut s = String::new();
            for item in &self.items {
                match item {
                    Item::Class { set, min, max } => {
                        let top = max.unwrap_or(min + 3).min(min + 3);
                        let n = min + (next() % u64::from(top - min + 1)) as u32;
                        let members: Vec<char> = set
                            .boundaries()
                            .into_iter()
                            .filter(|&c| {
                                let c = u32::from(c);
                                set.0.iter().any(|&(lo, hi)| lo <= c && c <= hi)
                            })
                            .collect();
                        for _ in 0..n {
                            if let Some(&c) = members.get(next() as usize % members.len().max(1)) {
                                s.push(c);
                            }
                        }
                    }
                    Item::Literals { alts, optional } => {
                        let pick = next() as usize % (alts.len() + usize::from(*optional));
                        if let Some(a) = alts.get(pick) {
                            s.push_str(a);
                        }
                    }
                }
            }
            out.push(s);
        }
        out
    }

    /// The items with runs of single characters merged into one literal,
    /// so that they are tested as one string.
    fn merged_literals(&self) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let single = match item {
                Item::Class {
                    set,
                    min: 1,
                    max: Some(1),
                } => set.only(),
                _ => None,
            };
            match (single, items.last_mut()) {
                (
                    Some(c),
                    Some(Item::Literals {
                        alts,
                        optional: false,
                    }),
                ) if alts.len() == 1 => alts[0].push(c),
                (Some(c), _) => items.push(Item::Literals {
                    alts: vec![c.to_string()],
                    optional: false,
                }),
                (None, _) => items.push(item.clone()),
            }
        }
        items
    }

    /// `fn NAME(s: &str) -> bool`: whether the pattern matches in `s`.
    pub fn emit_fn(&self, name: &str) -> TokenStream {
        let name = format_ident!("{}", name);
        if self.items.is_empty() {
            // Only `^$` constrains anything.
            return if self.anchored_start && self.anchored_end {
                quote!(fn #name(s: &str) -> bool { s.is_empty() })
            } else {
                quote!(fn #name(_: &str) -> bool { true })
            };
        }
        let items = self.merged_literals();
        let last = items.len() - 1;
        let steps = items.iter().enumerate().map(|(i, item)| {
            // What the last step leaves is read only before `$`.
            emit_item(item, i < last || self.anchored_end)
        });
        // Only a lone literal test before no `$` leaves `it` unchanged.
        let mutable =
            (self.anchored_end || items.len() > 1 || matches!(items[0], Item::Class { .. }))
                .then(|| quote!(mut));
        let end = if self.anchored_end {
            quote!(it.as_str().is_empty())
        } else {
            quote!(true)
        };
        // Classes are written as ranges from the pattern, e.g. `'0'..='9'`
        // rather than `is_ascii_digit`, uniformly for every set.
        let allow = quote!(#[allow(clippy::manual_is_ascii_check)]);
        if self.anchored_start {
            quote! {
                #allow
                fn #name(s: &str) -> bool {
                    let #mutable it = s.chars();
                    #(#steps)*
                    #end
                }
            }
        } else {
            quote! {
                fn #name(s: &str) -> bool {
                    #allow
                    fn at(#mutable it: ::core::str::Chars<'_>) -> bool {
                        #(#steps)*
                        #end
                    }
                    let mut start = s.chars();
                    loop {
                        if at(start.clone()) {
                            return true;
                        }
                        if start.next().is_none() {
                            return false;
                        }
                    }
                }
            }
        }
    }
}

/// One item's step over `it`, a `Chars`: consumes its match (or, unless
/// `advance`, only tests for it) or returns false.
fn emit_item(item: &Item, advance: bool) -> TokenStream {
    match item {
        Item::Literals {
            alts,
            optional: false,
        } if !advance => {
            let alts = alts.iter().map(|a| Literal::string(a));
            quote!({
                let rest = it.as_str();
                if !(#(rest.starts_with(#alts))||*) {
                    return false;
                }
            })
        }
        Item::Literals { alts, optional } => {
            let branches = alts.iter().map(|a| {
                let a = Literal::string(a);
                quote!(if let Some(r) = rest.strip_prefix(#a) { it = r.chars(); })
            });
            let otherwise = (!*optional).then(|| quote!(else { return false; }));
            quote!({
                let rest = it.as_str();
                #(#branches)else*
                #otherwise
            })
        }
        Item::Class { set, min, max } => {
            let test = set.test();
            match (*min, *max) {
                (1, Some(1)) => quote!(if !it.next().is_some_and(#test) { return false; }),
                (n, Some(m)) if n == m => quote!(
                    for _ in 0..#n {
                        if !it.next().is_some_and(#test) {
                            return false;
                        }
                    }
                ),
                (0, None) => quote!(
                    while it.clone().next().is_some_and(#test) {
                        it.next();
                    }
                ),
                (min, max) => {
                    let bound = max.map(|m| quote!(n < #m &&));
                    let under = (min > 0).then(|| quote!(if n < #min { return false; }));
                    quote!({
                        let mut n: u32 = 0;
                        while #bound it.clone().next().is_some_and(#test) {
                            it.next();
                            n += 1;
                        }
                        #under
                    })
                }
            }
        }
    }
}

/// A set of one or more characters: `.`, a class, an escape or a literal.
fn atom(p: &mut Parser) -> Option<CharSet> {
    let c = p.peek()?;
    match c {
        '.' => {
            p.pos += 1;
            Some(line_terminators().complement())
        }
        '[' => class(p),
        '\\' => {
            p.pos += 1;
            match p.peek()? {
                e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S') => {
                    p.pos += 1;
                    Some(escape_set(e))
                }
                // Assertions, backreferences, properties: not in the subset.
                'b' | 'B' | 'k' | 'p' | 'P' | '1'..='9' => None,
                _ => p.character_escape().map(CharSet::single),
            }
        }
        '^' | '$' | '*' | '+' | '?' | '{' | '}' | ']' | '(' | ')' | '|' => None,
        c => {
            p.pos += 1;
            Some(CharSet::single(c))
        }
    }
}

fn line_terminators() -> CharSet {
    CharSet::new(vec![(0xA, 0xA), (0xD, 0xD), (0x2028, 0x2029)])
}

/// `\d \w \s` as ECMA-262 defines them (ASCII digits and word characters;
/// WhiteSpace and LineTerminator), capitals their complements.
fn escape_set(e: char) -> CharSet {
    let set = match e.to_ascii_lowercase() {
        'd' => CharSet::new(vec![(0x30, 0x39)]),
        'w' => CharSet::new(vec![(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]),
        _ => CharSet::new(vec![
            (0x9, 0xD),
            (0x20, 0x20),
            (0xA0, 0xA0),
            (0x1680, 0x1680),
            (0x2000, 0x200A),
            (0x2028, 0x2029),
            (0x202F, 0x202F),
            (0x205F, 0x205F),
            (0x3000, 0x3000),
            (0xFEFF, 0xFEFF),
        ]),
    };
    if e.is_ascii_uppercase() {
        set.complement()
    } else {
        set
    }
}

/// `[…]`, from its `[`.
fn class(p: &mut Parser) -> Option<CharSet> {
    p.pos += 1;
    let negated = p.eat('^');
    let mut ranges = Vec::new();
    loop {
        if p.eat(']') {
            break;
        }
        let from = class_atom(p)?;
        let range = p.peek() == Some('-') && p.chars.get(p.pos + 1) != Some(&']');
        match (from, range) {
            (Ok(from), true) => {
                p.pos += 1;
                match class_atom(p)? {
                    Ok(to) if from <= to => ranges.push((u32::from(from), u32::from(to))),
                    _ => return None,
                }
            }
            (Ok(c), false) => ranges.push((u32::from(c), u32::from(c))),
            (Err(set), false) => ranges.extend(set.0),
            (Err(_), true) => return None,
        }
    }
    let set = CharSet::new(ranges);
    Some(if negated { set.complement() } else { set })
}

/// One class member: a character, or (`Err`) a set escape such as `\d`.
fn class_atom(p: &mut Parser) -> Option<Result<char, CharSet>> {
    let c = p.peek()?;
    p.pos += 1;
    if c != '\\' {
        return Some(Ok(c));
    }
    match p.peek()? {
        'b' => {
            p.pos += 1;
            Some(Ok('\u{8}'))
        }
        e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S') => {
            p.pos += 1;
            Some(Err(escape_set(e)))
        }
        'p' | 'P' | 'k' => None,
        _ => p.character_escape().map(Ok),
    }
}

/// `(…)`, `(?:…)` or `(?<name>…)` around literal alternatives, from its `(`.
fn group(p: &mut Parser) -> Option<Item> {
    p.pos += 1;
    if p.eat('?') {
        if p.eat(':') {
        } else if p.eat('<') && !matches!(p.peek(), Some('=' | '!')) {
            while p.peek().is_some_and(|c| c != '>') {
                p.pos += 1;
            }
            if !p.eat('>') {
                return None;
            }
        } else {
            return None;
        }
    }
    let mut alts = vec![String::new()];
    loop {
        match p.peek()? {
            ')' => {
                p.pos += 1;
                break;
            }
            '|' => {
                p.pos += 1;
                alts.push(String::new());
            }
            _ => {
                let c = atom(p)?.only()?;
                if matches!(p.peek(), Some('*' | '+' | '?' | '{')) {
                    return None;
                }
                alts.last_mut()?.push(c);
            }
        }
    }
    let prefix = |a: &String, b: &String| !std::ptr::eq(a, b) && b.starts_with(a.as_str());
    if alts
        .iter()
        .any(|a| a.is_empty() || alts.iter().any(|b| prefix(a, b)))
    {
        return None;
    }
    Some(Item::Literals {
        alts,
        optional: false,
    })
}

/// The item under a following quantifier, if any.
fn quantified(p: &mut Parser, item: Item) -> Option<Item> {
    let (min, max) = match p.peek() {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = p.chars[p.pos..].iter().position(|&c| c == '}')? + p.pos;
            let body: String = p.chars[p.pos + 1..close].iter().collect();
            let count = |t: &str| t.parse::<u32>().ok().filter(|&n| n <= MAX_COUNT);
            let (min, max) = match body.split_once(',') {
                None => (count(&body)?, Some(count(&body)?)),
                Some((min, "")) => (count(min)?, None),
                Some((min, max)) => (count(min)?, Some(count(max)?)),
            };
            if max.is_some_and(|m| m < min) {
                return None;
            }
            p.pos = close;
            (min, max)
        }
        _ => return Some(item),
    };
    p.pos += 1;
    // Lazy or greedy: the same strings match.
    p.eat('?');
    if matches!(p.peek(), Some('*' | '+' | '?' | '{')) {
        return None;
    }
    match item {
        Item::Class { set, .. } => Some(Item::Class { set, min, max }),
        Item::Literals { alts, .. } => match (min, max) {
            (1, Some(1)) => Some(Item::Literals {
                alts,
                optional: false,
            }),
            (0, Some(1)) => Some(Item::Literals {
                alts,
                optional: true,
            }),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(ranges: &[(char, char)], min: u32, max: Option<u32>) -> Item {
        Item::Class {
            set: CharSet::new(
                ranges
                    .iter()
                    .map(|&(a, b)| (u32::from(a), u32::from(b)))
                    .collect(),
            ),
            min,
            max,
        }
    }

    #[test]
    fn e164_compiles_to_three_items() {
        let m = compile(r"^\+[1-9][0-9]{1,14}$").expect("in the subset");
        assert_eq!(
            m,
            Matcher {
                anchored_start: true,
                anchored_end: true,
                items: vec![
                    class(&[('+', '+')], 1, Some(1)),
                    class(&[('1', '9')], 1, Some(1)),
                    class(&[('0', '9')], 1, Some(14)),
                ],
            }
        );
        let code = m.emit_fn("f").to_string();
        assert!(code.contains("'1' ..= '9'"), "{code}");
        assert!(
            !code.contains("fn at"),
            "anchored: tried at the start only\n{code}"
        );
    }

    /// What stays with the engines: a possessive count would lose matches,
    /// or the pattern needs more than a sequence of sets and literals.
    #[test]
    fn outside_the_subset() {
        for source in [
            "^[a-z]*z$",
            "^.*bar$",
            "f.*o",
            "^a?ab$",
            "^(ab)?a$",
            "^(a|ab)$",
            "^(a|b)+$",
            "ab|cd",
            r"(a)\1",
            "a(?=b)",
            r"\bfoo",
            r"\p{L}",
            "^(a+)+$",
            "a^",
            "$a",
            // Unanchored with an unbounded middle: quadratic if tried at
            // every start.
            "x[0-9]*y",
            "[",
        ] {
            assert_eq!(compile(source), None, "{source}");
        }
    }

    #[test]
    fn unanchored_ends_shrink() {
        let m = compile("a+").expect("in the subset");
        assert_eq!(m.items, vec![class(&[('a', 'a')], 1, Some(1))]);
        let m = compile("b.*").expect("in the subset");
        assert_eq!(m.items, vec![class(&[('b', 'b')], 1, Some(1))]);
        let m = compile("[0-9]{2,5}x").expect("in the subset");
        assert_eq!(
            m.items,
            vec![
                class(&[('0', '9')], 2, Some(2)),
                class(&[('x', 'x')], 1, Some(1))
            ]
        );
        assert_eq!(compile("a*$").map(|m| m.items), Some(vec![]));
        // Anchored, nothing sheds.
        let m = compile("^a+$").expect("in the subset");
        assert_eq!(m.items, vec![class(&[('a', 'a')], 1, None)]);
    }

    #[test]
    fn ecma_sets() {
        let dot = line_terminators().complement();
        assert!(!dot.intersects(&CharSet::single('\u{2028}')));
        assert!(dot.intersects(&CharSet::single('\u{85}')));
        let space = escape_set('s');
        assert!(space.intersects(&CharSet::single('\u{feff}')));
        assert!(!space.intersects(&CharSet::single('\u{85}')));
        assert!(!escape_set('d').intersects(&CharSet::single('٣')));
        // No surrogate ever: every range end is a `char`.
        let all = CharSet::new(vec![(0, LAST)]);
        assert_eq!(all.0, vec![(0, 0xD7FF), (0xE000, LAST)]);
        assert!(all.complement().0.is_empty());
    }
}
