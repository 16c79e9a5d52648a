// String formats asserted by generated checks. The generator copies this file
// verbatim into its output when a schema asserts a format. Crates do the work
// where one states the grammar exactly (`std::net` for IP addresses,
// `fluent-uri` for RFC 3986, `email_address` for RFC 5321 local parts,
// `idna` for Punycode); the rest are short grammars written out here.

use std::net::{Ipv4Addr, Ipv6Addr};

/// RFC 3339 `full-date`, with the real length of each month.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// RFC 3339 `date-time`; a leap second is valid only at 23:59:60 UTC.
pub(crate) fn is_date_time(text: &str) -> bool {
    let Some(t) = text.find(['T', 't']) else {
        return false;
    };
    is_date(&text[..t]) && is_time(&text[t + 1..])
}

fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(&b[0..2]), digits(&b[3..5]), digits(&b[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    // Offset in minutes east of UTC.
    let offset: i64 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(h), Some(m)) = (digits(&[*h1, *h2]), digits(&[*m1, *m2])) else {
                return false;
            };
            if h > 23 || m > 59 {
                return false;
            }
            let minutes = i64::from(h * 60 + m);
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return false,
    };
    if second == 60 {
        let utc = (i64::from(hour * 60 + minute) - offset).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

/// RFC 4122 textual form: 8-4-4-4-12 hex digits, any case, nothing else.
pub(crate) fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Dotted-quad without leading zeros, as `std` parses it.
pub(crate) fn is_ipv4(text: &str) -> bool {
    text.parse::<Ipv4Addr>().is_ok()
}

/// RFC 4291 text form (no zone index), as `std` parses it.
pub(crate) fn is_ipv6(text: &str) -> bool {
    text.parse::<Ipv6Addr>().is_ok()
}

/// An absolute RFC 3986 URI (a scheme is required).
pub(crate) fn is_uri(text: &str) -> bool {
    fluent_uri::Uri::parse(text).is_ok()
}

/// RFC 5321 mailbox: `email_address` parses the local part; the domain must
/// be a host name or a bracketed IPv4 / `IPv6:` literal.
pub(crate) fn is_email(text: &str) -> bool {
    // `email_address` refuses an empty quoted local part, which RFC 5321 allows.
    let owned;
    let text = match text.strip_prefix("\"\"@") {
        Some(domain) => {
            owned = format!("\"a\"@{domain}");
            owned.as_str()
        }
        None => text,
    };
    let Ok(address) = text.parse::<email_address::EmailAddress>() else {
        return false;
    };
    if !address.local_part().is_ascii() {
        return false;
    }
    let domain = address.domain();
    match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => is_ipv6(&literal[5..]),
            _ => is_ipv4(literal),
        },
        None => is_hostname(domain),
    }
}

/// RFC 1123 host name; `xn--` labels must decode (RFC 3492) to a label that
/// RFC 5890–5892 allows.
pub(crate) fn is_hostname(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > 253 || b.last() == Some(&b'.') {
        return false;
    }
    text.split('.').all(|label| {
        let l = label.as_bytes();
        let shape = !l.is_empty()
            && l.len() <= 63
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
            && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
        if !shape {
            return false;
        }
        let ace = l.starts_with(b"xn--");
        if l.len() >= 4 && &l[2..4] == b"--" && !ace {
            // Hyphens in positions 3 and 4 are reserved for (lower-case) A-labels.
            return false;
        }
        if !ace {
            return true;
        }
        match idna::punycode::decode_to_string(&label[4..]) {
            Some(decoded) => !decoded.is_empty() && unicode_label_allowed(&decoded),
            None => false,
        }
    })
}

/// The code points and contextual rules of RFC 5892 for a decoded label.
fn unicode_label_allowed(label: &str) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    let chars: Vec<char> = label.chars().collect();
    if let Some(&first) = chars.first() {
        if matches!(
            get_general_category(first),
            G::SpacingMark | G::NonspacingMark | G::EnclosingMark
        ) {
            return false;
        }
    }
    let mut katakana_middle_dot = false;
    let mut hiragana_katakana_han = false;
    let mut arabic_indic = false;
    let mut extended_arabic_indic = false;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        match c {
            // ZERO WIDTH JOINER: only after a virama (RFC 5892 A.2).
            '\u{200D}' if !prev.is_some_and(is_virama) => return false,
            // MIDDLE DOT: only between two 'l' (A.3).
            '\u{00B7}' if prev != Some('l') || next != Some('l') => return false,
            // Greek KERAIA: followed by Greek (A.4).
            '\u{0375}' if !next.is_some_and(|n| ('\u{0370}'..='\u{03FF}').contains(&n)) => {
                return false;
            }
            // Hebrew GERESH and GERSHAYIM: after Hebrew (A.5, A.6).
            '\u{05F3}' | '\u{05F4}'
                if !prev.is_some_and(|p| ('\u{0590}'..='\u{05FF}').contains(&p)) =>
            {
                return false;
            }
            '\u{30FB}' => katakana_middle_dot = true,
            '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}'
            | '\u{4E00}'..='\u{9FFF}' => hiragana_katakana_han = true,
            '\u{0660}'..='\u{0669}' => arabic_indic = true,
            '\u{06F0}'..='\u{06F9}' => extended_arabic_indic = true,
            // DISALLOWED exceptions (RFC 5892 2.6).
            '\u{0640}' | '\u{07FA}' | '\u{302E}' | '\u{302F}' | '\u{3031}'..='\u{3035}'
            | '\u{303B}' => return false,
            // PVALID exceptions and ZWNJ, whose category alone would refuse them.
            '\u{200C}' | '\u{200D}' | '\u{00B7}' | '\u{0375}' | '\u{05F3}' | '\u{05F4}'
            | '\u{06FD}' | '\u{06FE}' | '\u{0F0B}' | '\u{3007}' => {}
            other if !other.is_ascii() => {
                let allowed = matches!(
                    get_general_category(other),
                    G::UppercaseLetter
                        | G::LowercaseLetter
                        | G::TitlecaseLetter
                        | G::ModifierLetter
                        | G::OtherLetter
                        | G::NonspacingMark
                        | G::SpacingMark
                        | G::DecimalNumber
                );
                if !allowed {
                    return false;
                }
            }
            _ => {}
        }
    }
    // KATAKANA MIDDLE DOT needs a Hiragana, Katakana or Han character (A.7);
    // the two Arabic-Indic digit sets must not mix (A.8, A.9).
    (!katakana_middle_dot || hiragana_katakana_han) && !(arabic_indic && extended_arabic_indic)
}

/// Code points of canonical combining class 9 (virama).
fn is_virama(c: char) -> bool {
    matches!(
        c,
        '\u{094D}' | '\u{09CD}' | '\u{0A4D}' | '\u{0ACD}' | '\u{0B4D}' | '\u{0BCD}' | '\u{0C4D}'
            | '\u{0CCD}' | '\u{0D3B}' | '\u{0D3C}' | '\u{0D4D}' | '\u{0DCA}' | '\u{0E3A}'
            | '\u{0EBA}' | '\u{0F84}' | '\u{1039}' | '\u{103A}' | '\u{1714}' | '\u{1715}'
            | '\u{1734}' | '\u{17D2}' | '\u{1A60}' | '\u{1B44}' | '\u{1BAA}' | '\u{1BAB}'
            | '\u{1BF2}' | '\u{1BF3}' | '\u{2D7F}' | '\u{A806}' | '\u{A82C}' | '\u{A8C4}'
            | '\u{A953}' | '\u{A9C0}' | '\u{AAF6}' | '\u{ABED}' | '\u{10A3F}' | '\u{11046}'
            | '\u{11070}' | '\u{1107F}' | '\u{110B9}' | '\u{11133}' | '\u{11134}' | '\u{111C0}'
            | '\u{11235}' | '\u{112EA}' | '\u{1134D}' | '\u{11442}' | '\u{114C2}' | '\u{115BF}'
            | '\u{1163F}' | '\u{116B6}' | '\u{1172B}' | '\u{11839}' | '\u{1193D}' | '\u{1193E}'
            | '\u{119E0}' | '\u{11A34}' | '\u{11A47}' | '\u{11A99}' | '\u{11C3F}' | '\u{11D44}'
            | '\u{11D45}' | '\u{11D97}'
    )
}
