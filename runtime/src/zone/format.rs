//! Numbers and addresses written as their `Display` writes them, without the formatting
//! machinery (the zone writer's hot path). Tested against `Display` below.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `000` to `999`, so that numbers are written three digits at a time.
const TRIPLES: &str = {
    const BYTES: [u8; 3000] = {
        let mut b = [0u8; 3000];
        let mut i = 0;
        while i < 1000 {
            b[3 * i] = b'0' + (i / 100) as u8;
            b[3 * i + 1] = b'0' + (i / 10 % 10) as u8;
            b[3 * i + 2] = b'0' + (i % 10) as u8;
            i += 1;
        }
        b
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("digits are ASCII"),
    }
};

/// Appends `n` in decimal.
pub(super) fn push_number(out: &mut String, n: u64) {
    let (high, low) = (n / 1000, (n % 1000) as usize);
    let digits = &TRIPLES[3 * low..3 * low + 3];
    if high > 0 {
        push_number(out, high);
        out.push_str(digits);
    } else {
        let zeros = usize::from(low < 100) + usize::from(low < 10);
        out.push_str(&digits[zeros..]);
    }
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

/// Appends an IPv6 address as std writes it: RFC 5952 (lowercase hex, the first longest run
/// of two or more zero groups as `::`), IPv4-mapped ones as `::ffff:192.0.2.1`.
pub(super) fn push_ipv6(out: &mut String, ip: Ipv6Addr) {
    if let Some(v4) = ip.to_ipv4_mapped() {
        out.push_str("::ffff:");
        push_ipv4(out, v4);
        return;
    }
    let groups = ip.segments();
    let (mut zeros_at, mut zeros) = (0, 0);
    let mut run_at = 0;
    for (i, &g) in groups.iter().enumerate() {
        if g != 0 {
            run_at = i + 1;
        } else if i + 1 - run_at > zeros {
            (zeros_at, zeros) = (run_at, i + 1 - run_at);
        }
    }
    if zeros > 1 {
        push_groups(out, &groups[..zeros_at]);
        out.push_str("::");
        push_groups(out, &groups[zeros_at + zeros..]);
    } else {
        push_groups(out, &groups);
    }
}

fn push_groups(out: &mut String, groups: &[u16]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, &g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
        for shift in (0..digits).rev() {
            out.push(char::from(HEX[usize::from((g >> (4 * shift)) & 0xf)]));
        }
    }
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
