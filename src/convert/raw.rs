//! a value already in binary wire format, handed to tokio-postgres' binary COPY writer as is

use std::error::Error;

use bytes::BytesMut;
use postgres_types::{IsNull, ToSql, Type};

/// Bytes produced by [`super::encode`] (or `None` for NULL), written verbatim by `to_sql`.
/// `accepts` is true for every type: the encoder already chose the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawValue<'a>(pub Option<&'a [u8]>);

impl ToSql for RawValue<'_> {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self.0 {
            None => Ok(IsNull::Yes),
            Some(bytes) => {
                out.extend_from_slice(bytes);
                Ok(IsNull::No)
            }
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    postgres_types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_bytes_or_reports_null() {
        let mut out = BytesMut::new();
        let v = RawValue(Some(&[1, 2, 3]));
        assert!(matches!(
            v.to_sql_checked(&Type::INT4, &mut out),
            Ok(IsNull::No)
        ));
        assert_eq!(&out[..], &[1, 2, 3]);
        let mut out = BytesMut::new();
        assert!(matches!(
            RawValue(None).to_sql_checked(&Type::TEXT, &mut out),
            Ok(IsNull::Yes)
        ));
        assert!(out.is_empty());
        assert!(<RawValue<'_> as ToSql>::accepts(&Type::JSONB));
    }
}
