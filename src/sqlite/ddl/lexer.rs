//! A small SQLite tokenizer following SQLite's lexical rules (tokenize.c)

use super::DdlError;

/// How an identifier token was quoted in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quote {
    /// `"x"`: an identifier, or a string literal where no column matches
    Double,
    /// `[x]`
    Bracket,
    /// `` `x` ``
    Backtick,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: keyword or identifier (SQLite decides by context)
    Word,
    /// A quoted identifier; `text` is the unquoted name
    Quoted(Quote),
    /// A 'string' literal; `text` is the unescaped value
    Str,
    /// A numeric literal as written (may be hex or contain `_` separators)
    Num,
    /// A blob literal; `text` is the hex digits
    Blob,
    /// A bound parameter (`?`, `?1`, `:a`, `@a`, `$a`)
    Var,
    /// An operator or punctuation other than parentheses and commas
    Op,
    LParen,
    RParen,
    Comma,
    Semi,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    /// Decoded text: unquoted name, unescaped string, hex digits, or the raw token
    pub(crate) text: String,
    /// Byte offsets of the token in the source
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Token {
    /// True when this is the bare word `kw` (case-insensitive).
    pub(crate) fn is_kw(&self, kw: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(kw)
    }

    /// True when this is the operator `op`.
    pub(crate) fn is_op(&self, op: &str) -> bool {
        self.kind == Kind::Op && self.text == op
    }

    /// A name token: bare word, quoted identifier or string (SQLite's `nm`).
    pub(crate) fn is_name(&self) -> bool {
        matches!(self.kind, Kind::Word | Kind::Quoted(_) | Kind::Str)
    }
}

fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_id_char(b: u8) -> bool {
    is_id_start(b) || b.is_ascii_digit() || b == b'$'
}

fn lex_err(offset: usize, reason: &'static str) -> DdlError {
    DdlError::Lex { offset, reason }
}

/// Split SQL text into tokens; whitespace and comments are dropped.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, DdlError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = |kind: Kind, end: usize, text: String| Token { kind, text, start, end };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
            }
            b'(' => {
                out.push(tok(Kind::LParen, i + 1, "(".into()));
                i += 1;
            }
            b')' => {
                out.push(tok(Kind::RParen, i + 1, ")".into()));
                i += 1;
            }
            b',' => {
                out.push(tok(Kind::Comma, i + 1, ",".into()));
                i += 1;
            }
            b';' => {
                out.push(tok(Kind::Semi, i + 1, ";".into()));
                i += 1;
            }
            b'\'' | b'"' | b'`' => {
                let (text, end) = quoted(src, i, c)?;
                let kind = match c {
                    b'\'' => Kind::Str,
                    b'"' => Kind::Quoted(Quote::Double),
                    _ => Kind::Quoted(Quote::Backtick),
                };
                out.push(tok(kind, end, text));
                i = end;
            }
            b'[' => {
                let close = src[i..].find(']').ok_or_else(|| lex_err(i, "unterminated [identifier]"))?;
                let end = i + close + 1;
                out.push(tok(Kind::Quoted(Quote::Bracket), end, src[i + 1..end - 1].to_string()));
                i = end;
            }
            b'x' | b'X' if b.get(i + 1) == Some(&b'\'') => {
                let close = src[i + 2..].find('\'').ok_or_else(|| lex_err(i, "unterminated blob literal"))?;
                let hex = &src[i + 2..i + 2 + close];
                if hex.len() % 2 != 0 || !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return Err(lex_err(i, "malformed blob literal"));
                }
                let end = i + 2 + close + 1;
                out.push(tok(Kind::Blob, end, hex.to_string()));
                i = end;
            }
            b'0'..=b'9' => {
                let end = number(b, i)?;
                out.push(tok(Kind::Num, end, src[i..end].to_string()));
                i = end;
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let end = number(b, i)?;
                out.push(tok(Kind::Num, end, src[i..end].to_string()));
                i = end;
            }
            b'?' => {
                let mut end = i + 1;
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                out.push(tok(Kind::Var, end, src[i..end].to_string()));
                i = end;
            }
            b':' | b'@' | b'$' => {
                let mut end = i + 1;
                while end < b.len() && is_id_char(b[end]) {
                    end += 1;
                }
                if end == i + 1 {
                    return Err(lex_err(i, "unrecognized token"));
                }
                out.push(tok(Kind::Var, end, src[i..end].to_string()));
                i = end;
            }
            _ if is_id_start(c) => {
                let mut end = i + 1;
                while end < b.len() && is_id_char(b[end]) {
                    end += 1;
                }
                out.push(tok(Kind::Word, end, src[i..end].to_string()));
                i = end;
            }
            _ => {
                let len = operator_len(b, i).ok_or_else(|| lex_err(i, "unrecognized token"))?;
                out.push(tok(Kind::Op, i + len, src[i..i + len].to_string()));
                i += len;
            }
        }
    }
    Ok(out)
}

/// A quoted token starting at `i` with quote `q`; a doubled quote is an escaped quote.
fn quoted(src: &str, i: usize, q: u8) -> Result<(String, usize), DdlError> {
    let b = src.as_bytes();
    let mut text = String::new();
    let mut seg = i + 1;
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == q {
            text.push_str(&src[seg..j]);
            if b.get(j + 1) == Some(&q) {
                text.push(char::from(q));
                j += 2;
                seg = j;
                continue;
            }
            return Ok((text, j + 1));
        }
        j += 1;
    }
    Err(lex_err(i, "unterminated quoted token"))
}

/// End offset of the number starting at `i` (decimal, real with exponent, or hex).
fn number(b: &[u8], i: usize) -> Result<usize, DdlError> {
    let digits = |mut j: usize, hex: bool| {
        while j < b.len()
            && (b[j].is_ascii_digit()
                || (hex && b[j].is_ascii_hexdigit())
                || (b[j] == b'_'
                    && j > i
                    && b.get(j + 1).is_some_and(|n| if hex { n.is_ascii_hexdigit() } else { n.is_ascii_digit() })))
        {
            j += 1;
        }
        j
    };
    let mut j;
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X')) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
        j = digits(i + 2, true);
    } else {
        j = digits(i, false);
        if b.get(j) == Some(&b'.') {
            j = digits(j + 1, false);
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            let mut k = j + 1;
            if matches!(b.get(k), Some(b'+' | b'-')) {
                k += 1;
            }
            if b.get(k).is_some_and(u8::is_ascii_digit) {
                j = digits(k, false);
            }
        }
    }
    if j < b.len() && is_id_char(b[j]) {
        return Err(lex_err(i, "malformed number"));
    }
    Ok(j)
}

fn operator_len(b: &[u8], i: usize) -> Option<usize> {
    let two = b.get(i..i + 2);
    let three = b.get(i..i + 3);
    if three == Some(b"->>") {
        return Some(3);
    }
    if let Some(t) = two {
        if matches!(t, b"||" | b"==" | b"!=" | b"<>" | b"<=" | b">=" | b"<<" | b">>" | b"->") {
            return Some(2);
        }
    }
    match b[i] {
        b'+' | b'-' | b'*' | b'/' | b'%' | b'=' | b'<' | b'>' | b'&' | b'|' | b'~' | b'.' => Some(1),
        _ => None,
    }
}
