//! text checked piece by piece: a value read in pieces meets the checks a whole one does (utf-8, no nul, length)

use super::error::ConvertError;
use super::PgType;

/// The checks [`super::encode`] makes of a TEXT or BLOB bound for `text`, `varchar(n)` or `char(n)`, made of a value
/// that arrives in pieces, where a character may be split between two pieces. The first problem in the value's
/// byte order is the one reported; a value too long for its column is reported once every byte is checked, as the
/// whole-value encoder does. std's `from_utf8` does the validation; only the carry across pieces is done here.
#[derive(Debug)]
pub(crate) struct TextPieces {
    /// The start of a character the last piece ended inside, waiting for its other bytes.
    pending: [u8; 4],
    pending_len: usize,
    /// Characters so far; counted only when the column has a length limit, or when asked to.
    chars: u64,
    count: bool,
    /// The column's length limit in characters, and its type as SQL for the error.
    limit: Option<(u64, String)>,
}

impl TextPieces {
    /// Checks for a value bound for `ty` (`text`, `varchar(n)`, `char(n)`; any other type is checked as `text`).
    pub(crate) fn new(ty: &PgType) -> TextPieces {
        let limit = match ty {
            PgType::Varchar(Some(n)) | PgType::Char(n) => Some((u64::from(*n), ty.sql())),
            _ => None,
        };
        TextPieces { pending: [0; 4], pending_len: 0, chars: 0, count: limit.is_some(), limit }
    }

    /// Checks as for `text`, counting the characters (for the type scan, which compares them with each candidate).
    pub(crate) fn counting() -> TextPieces {
        TextPieces { pending: [0; 4], pending_len: 0, chars: 0, count: true, limit: None }
    }

    /// Check the next piece of the value.
    pub(crate) fn piece(&mut self, mut piece: &[u8]) -> Result<(), ConvertError> {
        if self.pending_len > 0 {
            let need = char_len(self.pending[0]).saturating_sub(self.pending_len);
            let take = need.min(piece.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&piece[..take]);
            self.pending_len += take;
            piece = &piece[take..];
            if take < need {
                return Ok(());
            }
            std::str::from_utf8(&self.pending[..self.pending_len]).map_err(|_| ConvertError::Utf8)?;
            self.pending_len = 0;
            self.chars += u64::from(self.count);
        }
        let (valid, rest) = match std::str::from_utf8(piece) {
            Ok(_) => (piece, None),
            Err(e) => {
                let (valid, rest) = piece.split_at(e.valid_up_to());
                (valid, Some((rest, e.error_len().is_some())))
            }
        };
        if valid.contains(&0) {
            return Err(ConvertError::Nul);
        }
        if self.count {
            // in valid utf-8 every character has exactly one byte that is not a continuation byte (10xxxxxx)
            let starts = valid.iter().filter(|&&b| b & 0xc0 != 0x80).count();
            self.chars += u64::try_from(starts).unwrap_or(u64::MAX);
        }
        match rest {
            None => Ok(()),
            Some((_, true)) => Err(ConvertError::Utf8),
            Some((tail, false)) => {
                // the piece ends inside a character: at most three bytes, the start of a valid one
                self.pending[..tail.len()].copy_from_slice(tail);
                self.pending_len = tail.len();
                Ok(())
            }
        }
    }

    /// After the last piece: the value's characters when counted, else 0; or the problem.
    pub(crate) fn finish(self) -> Result<u64, ConvertError> {
        if self.pending_len > 0 {
            return Err(ConvertError::Utf8);
        }
        match self.limit {
            Some((limit, target)) if self.chars > limit => Err(ConvertError::TooLong { target }),
            _ => Ok(self.chars),
        }
    }
}

/// The length of the UTF-8 sequence a byte starts (4 for anything not a start, so that completing it fails).
fn char_len(first: u8) -> usize {
    match first {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BytesMut;
    use rusqlite::types::ValueRef;

    /// Check `value` cut into pieces at `cuts`.
    fn pieces(ty: &PgType, value: &[u8], cuts: &[usize]) -> Result<u64, ConvertError> {
        let mut check = TextPieces::new(ty);
        let mut at = 0;
        for &cut in cuts.iter().chain(std::iter::once(&value.len())) {
            check.piece(&value[at..cut])?;
            at = cut;
        }
        check.finish()
    }

    /// What the whole-value encoder says of `value`.
    fn whole(ty: &PgType, value: &[u8]) -> Result<(), ConvertError> {
        super::super::encode(ty, super::super::ColumnFormat::Auto, ValueRef::Text(value), &mut BytesMut::new())
    }

    /// Every way of cutting a value into up to three pieces gives the whole-value encoder's verdict; characters of
    /// two, three and four bytes are cut at each of their bytes.
    #[test]
    fn every_cut_agrees_with_the_whole_value_check() {
        let values: [&[u8]; 12] = [
            "aé€😀b".as_bytes(),
            "é€😀".as_bytes(),
            b"",
            b"plain",
            b"a\xc3",                // ends inside a character
            b"\xe2\x82",             // only the start of a character
            b"a\xe2\x82z",           // a character broken by an ascii byte
            b"\xf0\x9f\x98\x80\x80", // a stray continuation byte
            b"\xc0\xaf",             // overlong
            b"\xed\xa0\x80",         // a surrogate
            b"ab\0c",
            b"\xff",
        ];
        for ty in [PgType::Text, PgType::Varchar(None), PgType::Varchar(Some(4)), PgType::Char(3)] {
            for value in values {
                let expected = whole(&ty, value);
                for a in 0..=value.len() {
                    for b in a..=value.len() {
                        let got = pieces(&ty, value, &[a, b]).map(drop);
                        assert_eq!(got, expected, "{ty:?} {value:?} cut at {a} and {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn counts_characters_across_pieces() {
        let value = "é€😀x".repeat(1000);
        let ty = PgType::Varchar(Some(4000));
        let cuts: Vec<usize> = (1..value.len()).step_by(7).collect();
        assert_eq!(pieces(&ty, value.as_bytes(), &cuts), Ok(4000));
        assert_eq!(
            pieces(&PgType::Varchar(Some(3999)), value.as_bytes(), &cuts),
            Err(ConvertError::TooLong { target: "varchar(3999)".into() })
        );
        assert_eq!(pieces(&PgType::Text, value.as_bytes(), &cuts), Ok(0));
        let mut counting = TextPieces::counting();
        for piece in value.as_bytes().chunks(5) {
            counting.piece(piece).unwrap();
        }
        assert_eq!(counting.finish(), Ok(4000));
    }

    /// The first problem by position is the one reported, whichever piece it is in.
    #[test]
    fn the_first_problem_is_reported() {
        assert_eq!(pieces(&PgType::Text, b"a\0b\xff", &[2]), Err(ConvertError::Nul));
        assert_eq!(pieces(&PgType::Text, b"a\xffb\0", &[3]), Err(ConvertError::Utf8));
        assert_eq!(pieces(&PgType::Text, "é".as_bytes(), &[1, 1, 1]), Ok(0));
        assert_eq!(pieces(&PgType::Text, b"\xc3", &[0, 1]), Err(ConvertError::Utf8));
    }
}
