//! uuid from hex text or 16-byte blobs; inet and cidr from address text

use std::net::IpAddr;

use bytes::{BufMut, BytesMut};
use rusqlite::types::ValueRef;

use super::error::{checked_str, class_error, ConvertError};
use super::PgType;

const BAD_UUID: ConvertError = ConvertError::Invalid("not a recognised uuid");
const BAD_INET: ConvertError = ConvertError::Invalid("not a recognised ip address");

/// TEXT 36-char hyphenated (8-4-4-4-12) or 32 hex digits, any case; BLOB of exactly 16 bytes.
pub(super) fn encode_uuid(ty: &PgType, v: ValueRef<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    match v {
        ValueRef::Blob(b) if b.len() == 16 => out.extend_from_slice(b),
        ValueRef::Blob(_) => return Err(ConvertError::Invalid("a uuid blob must have 16 bytes")),
        ValueRef::Text(b) => {
            let hex: [u8; 32] = match b.len() {
                32 => b.try_into().map_err(|_| BAD_UUID)?,
                36 => {
                    let mut hex = [0u8; 32];
                    let mut n = 0;
                    for (i, &c) in b.iter().enumerate() {
                        if matches!(i, 8 | 13 | 18 | 23) {
                            if c != b'-' {
                                return Err(BAD_UUID);
                            }
                        } else {
                            *hex.get_mut(n).ok_or(BAD_UUID)? = c;
                            n += 1;
                        }
                    }
                    hex
                }
                _ => return Err(BAD_UUID),
            };
            for pair in hex.chunks_exact(2) {
                out.put_u8(hex_value(pair[0])? << 4 | hex_value(pair[1])?);
            }
        }
        _ => return Err(class_error(&v, ty)),
    }
    Ok(())
}

fn hex_value(c: u8) -> Result<u8, ConvertError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(BAD_UUID),
    }
}

/// TEXT `address[/prefix]`; a cidr must have no bits set after its prefix.
/// Binary: family (2 = IPv4, 3 = IPv6), prefix bits, is_cidr, address length, address bytes.
pub(super) fn encode_inet(ty: &PgType, v: ValueRef<'_>, out: &mut BytesMut) -> Result<(), ConvertError> {
    let ValueRef::Text(b) = v else {
        return Err(class_error(&v, ty));
    };
    let s = checked_str(b)?;
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => {
            if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
                return Err(BAD_INET);
            }
            (a, Some(p.parse::<u8>().map_err(|_| BAD_INET)?))
        }
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| BAD_INET)?;
    let (family, octets): (u8, [u8; 16]) = match addr {
        IpAddr::V4(a) => {
            let mut o = [0; 16];
            o[..4].copy_from_slice(&a.octets());
            (2, o)
        }
        IpAddr::V6(a) => (3, a.octets()),
    };
    let nb: u8 = if family == 2 { 4 } else { 16 };
    let max_bits = nb * 8;
    let bits = prefix.unwrap_or(max_bits);
    if bits > max_bits {
        return Err(ConvertError::Invalid("network prefix is too long for the address"));
    }
    let is_cidr = matches!(ty, PgType::Cidr);
    let bytes = &octets[..usize::from(nb)];
    if is_cidr && has_host_bits(bytes, bits) {
        return Err(ConvertError::Invalid("cidr value has bits set to the right of its mask"));
    }
    out.put_u8(family);
    out.put_u8(bits);
    out.put_u8(u8::from(is_cidr));
    out.put_u8(nb);
    out.extend_from_slice(bytes);
    Ok(())
}

fn has_host_bits(bytes: &[u8], bits: u8) -> bool {
    bytes.iter().enumerate().any(|(i, &byte)| {
        let start = u32::try_from(i * 8).unwrap_or(u32::MAX);
        let keep = u32::from(bits).saturating_sub(start).min(8);
        let host_mask = if keep == 8 { 0 } else { 0xFFu8 >> keep };
        byte & host_mask != 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid(v: ValueRef<'_>) -> Result<Vec<u8>, ConvertError> {
        let mut out = BytesMut::new();
        encode_uuid(&PgType::Uuid, v, &mut out)?;
        Ok(out.to_vec())
    }

    fn inet(ty: &PgType, s: &str) -> Result<Vec<u8>, ConvertError> {
        let mut out = BytesMut::new();
        encode_inet(ty, ValueRef::Text(s.as_bytes()), &mut out)?;
        Ok(out.to_vec())
    }

    const BYTES: [u8; 16] =
        [0x55, 0x0e, 0x84, 0x00, 0xe2, 0x9b, 0x41, 0xd4, 0xa7, 0x16, 0x44, 0x66, 0x55, 0x44, 0x00, 0x00];

    #[test]
    fn uuids() {
        assert_eq!(uuid(ValueRef::Text(b"550e8400-e29b-41d4-a716-446655440000")), Ok(BYTES.to_vec()));
        assert_eq!(uuid(ValueRef::Text(b"550E8400-E29B-41D4-A716-446655440000")), Ok(BYTES.to_vec()));
        assert_eq!(uuid(ValueRef::Text(b"550e8400e29b41d4a716446655440000")), Ok(BYTES.to_vec()));
        assert_eq!(uuid(ValueRef::Blob(&BYTES)), Ok(BYTES.to_vec()));
        for bad in [
            &b"550e8400-e29b-41d4-a716-44665544000"[..],
            b"550e8400e29b41d4a716446655440000ab",
            b"550e8400-e29b-41d4-a716_446655440000",
            b"g50e8400e29b41d4a716446655440000",
            b"",
            b"{550e8400-e29b-41d4-a716-446655440000}",
            b"550e8400e-29b-41d4-a716-446655440000",
        ] {
            assert_eq!(uuid(ValueRef::Text(bad)), Err(BAD_UUID));
        }
        assert!(uuid(ValueRef::Blob(&BYTES[..15])).is_err());
        assert!(uuid(ValueRef::Integer(1)).is_err());
    }

    #[test]
    fn inet_and_cidr() {
        assert_eq!(inet(&PgType::Inet, "192.168.1.5"), Ok(vec![2, 32, 0, 4, 192, 168, 1, 5]));
        assert_eq!(inet(&PgType::Inet, "192.168.1.5/24"), Ok(vec![2, 24, 0, 4, 192, 168, 1, 5]));
        assert_eq!(inet(&PgType::Cidr, "192.168.1.0/24"), Ok(vec![2, 24, 1, 4, 192, 168, 1, 0]));
        assert_eq!(inet(&PgType::Cidr, "192.168.1.128/25"), Ok(vec![2, 25, 1, 4, 192, 168, 1, 128]));
        assert!(inet(&PgType::Cidr, "192.168.1.5/24").is_err());
        assert!(inet(&PgType::Cidr, "192.168.1.1/31").is_err());
        assert_eq!(inet(&PgType::Cidr, "0.0.0.0/0"), Ok(vec![2, 0, 1, 4, 0, 0, 0, 0]));
        let v6 = inet(&PgType::Inet, "::1").unwrap();
        assert_eq!(&v6[..4], &[3, 128, 0, 16]);
        assert_eq!(v6[4..].iter().map(|b| u32::from(*b)).sum::<u32>(), 1);
        assert_eq!(&inet(&PgType::Cidr, "2001:db8::/32").unwrap()[..8], &[3, 32, 1, 16, 0x20, 0x01, 0x0d, 0xb8]);
        assert!(inet(&PgType::Cidr, "2001:db8::1/32").is_err());
        for bad in ["", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "::1/129", "fe80::1%eth0", " 1.2.3.4"] {
            assert!(inet(&PgType::Inet, bad).is_err(), "{bad:?}");
        }
    }
}
