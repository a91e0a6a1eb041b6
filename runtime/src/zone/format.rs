//! Numbers and IPv4 addresses written as their `Display` writes them, without the formatting
//! machinery (the zone writer's hot path). Tested against `Display` below.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Appends `n` in decimal.
pub(super) fn push_number(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Appends an IPv4 address (`192.0.2.1`).
pub(super) fn push_ipv4(out: &mut String, ip: Ipv4Addr) {
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_number(out, octet.into());
    }
}

/// Appends an IPv6 address as std writes it (RFC 5952). Rare in zones next to IPv4, so std's
/// own formatting, which is right by definition.
pub(super) fn push_ipv6(out: &mut String, ip: Ipv6Addr) {
    use std::fmt::Write;
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{ip}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_display_writes_them() {
        for n in (0..20_000).chain([99_999, 100_000, 86_400, 1_000_000, u64::MAX, u64::MAX - 1]) {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn addresses_as_display_writes_them() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for i in 0..200_000u32 {
            let v4 = Ipv4Addr::from(next() as u32);
            let mut s = String::new();
            push_ipv4(&mut s, v4);
            assert_eq!(s, v4.to_string());
            // Every pattern of zero groups, with small and large values elsewhere.
            let mut groups = [0u16; 8];
            for (j, g) in groups.iter_mut().enumerate() {
                if i >> j & 1 == 1 {
                    *g = if i & 0x100 == 0 {
                        next() as u16
                    } else {
                        (next() % 17) as u16
                    };
                }
            }
            for ip in [
                Ipv6Addr::from(groups),
                v4.to_ipv6_mapped(),
                v4.to_ipv6_compatible(),
            ] {
                let mut s = String::new();
                push_ipv6(&mut s, ip);
                assert_eq!(s, ip.to_string());
            }
        }
        for ip in [
            Ipv6Addr::UNSPECIFIED,
            Ipv6Addr::LOCALHOST,
            "1:0:0:2:0:0:0:3".parse().unwrap(),
        ] {
            let mut s = String::new();
            push_ipv6(&mut s, ip);
            assert_eq!(s, ip.to_string());
        }
    }
}
