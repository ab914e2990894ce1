//! rounding to the nearest value a time, timestamp or interval keeps (half to even), for ROUND_TIME columns

/// Microseconds per unit of the last fraction digit a precision of 0..=6 keeps.
const UNIT_USEC: [i64; 7] = [1_000_000, 100_000, 10_000, 1000, 100, 10, 1];

/// Whether a time value may be rounded, and what the caller does when it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rounding {
    /// a fraction finer than the column is an error
    Refuse,
    /// rounded to the nearest value the column keeps, ties to even
    Nearest,
}

/// The fraction digits `frac` (ASCII, more than `keep` of them) rounded to `keep` digits, half to
/// even, in microseconds: 1_000_000 when it carries into the next second. `odd_second`: whether the
/// whole seconds are odd, which decides a tie when no fraction digit is kept.
pub(super) fn fraction(frac: &[u8], keep: usize, odd_second: bool) -> i64 {
    let keep = keep.min(6);
    let digit = |d: &u8| i64::from(d.saturating_sub(b'0'));
    let kept = frac.iter().take(keep).fold(0i64, |n, d| n * 10 + digit(d));
    let rest = frac.get(keep..).unwrap_or(&[]);
    let first = rest.first().map_or(0, digit);
    let beyond_half = rest.iter().skip(1).any(|&d| d != b'0');
    let odd = if keep == 0 { odd_second } else { kept % 2 == 1 };
    let up = first > 5 || (first == 5 && (beyond_half || odd));
    (kept + i64::from(up)) * UNIT_USEC[keep]
}

/// `usec` rounded to a multiple of what `keep` (0..=6) fraction digits hold, half to even.
pub(super) fn usec(usec: i64, keep: usize) -> i64 {
    div_half_even(usec, UNIT_USEC[keep.min(6)]) * UNIT_USEC[keep.min(6)]
}

/// `n / d` (d > 0) rounded to the nearest integer, ties to even.
pub(super) fn div_half_even(n: i64, d: i64) -> i64 {
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    let twice = 2 * r;
    if twice > d || (twice == d && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_round_half_to_even() {
        assert_eq!(fraction(b"1234564", 6, false), 123_456);
        assert_eq!(fraction(b"1234566", 6, false), 123_457);
        assert_eq!(fraction(b"1234565", 6, false), 123_456, "tie to even");
        assert_eq!(fraction(b"1234575", 6, false), 123_458, "tie to even");
        assert_eq!(fraction(b"12345650001", 6, false), 123_457, "above the tie");
        assert_eq!(fraction(b"123456789", 6, false), 123_457);
        assert_eq!(fraction(b"9999995", 6, false), 1_000_000, "carries into the next second");
        assert_eq!(fraction(b"1235", 3, false), 124_000);
        assert_eq!(fraction(b"5", 0, false), 0);
        assert_eq!(fraction(b"5", 0, true), 1_000_000);
        assert_eq!(fraction(b"51", 0, false), 1_000_000);
    }

    #[test]
    fn microseconds_round_half_to_even() {
        assert_eq!(usec(1_500_000, 0), 2_000_000);
        assert_eq!(usec(2_500_000, 0), 2_000_000);
        assert_eq!(usec(-1_500_000, 0), -2_000_000);
        assert_eq!(usec(-1_400_000, 0), -1_000_000);
        assert_eq!(usec(123_456, 3), 123_000);
        assert_eq!(usec(123_500, 3), 124_000);
        assert_eq!(usec(7, 6), 7);
        assert_eq!(div_half_even(1500, 1000), 2);
        assert_eq!(div_half_even(2500, 1000), 2);
        assert_eq!(div_half_even(-1500, 1000), -2);
        assert_eq!(div_half_even(-1501, 1000), -2);
        assert_eq!(div_half_even(-1499, 1000), -1);
    }
}
