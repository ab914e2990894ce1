//! A token cursor shared by the CREATE TABLE / INDEX / VIEW parsers

use super::lexer::{tokenize, Kind, Token};
use super::DdlError;

pub(crate) struct Cursor<'s> {
    pub(crate) src: &'s str,
    pub(crate) toks: Vec<Token>,
    pub(crate) pos: usize,
}

impl<'s> Cursor<'s> {
    pub(crate) fn new(src: &'s str) -> Result<Self, DdlError> {
        Ok(Cursor { src, toks: tokenize(src)?, pos: 0 })
    }

    pub(crate) fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.toks.get(self.pos + n)
    }

    /// True at the end of input or at a `;`.
    pub(crate) fn at_end(&self) -> bool {
        self.peek().is_none_or(|t| t.kind == Kind::Semi)
    }

    pub(crate) fn at_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(kw))
    }

    pub(crate) fn at_kind(&self, kind: &Kind) -> bool {
        self.peek().is_some_and(|t| &t.kind == kind)
    }

    pub(crate) fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.at_kw(kw);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Consume a sequence of keywords only if all of them follow.
    pub(crate) fn eat_kws(&mut self, kws: &[&str]) -> bool {
        let hit = kws.iter().enumerate().all(|(n, kw)| self.peek_at(n).is_some_and(|t| t.is_kw(kw)));
        if hit {
            self.pos += kws.len();
        }
        hit
    }

    pub(crate) fn eat_kind(&mut self, kind: &Kind) -> bool {
        let hit = self.at_kind(kind);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(crate) fn expect_kw(&mut self, kw: &str) -> Result<(), DdlError> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.err(kw))
        }
    }

    /// A name (bare word, quoted identifier or string), unquoted.
    pub(crate) fn name(&mut self, what: &str) -> Result<String, DdlError> {
        match self.peek() {
            Some(t) if t.is_name() => {
                let text = t.text.clone();
                self.pos += 1;
                Ok(text)
            }
            _ => Err(self.err(what)),
        }
    }

    /// `[schema .] name`, returning the unqualified name.
    pub(crate) fn qualified_name(&mut self, what: &str) -> Result<String, DdlError> {
        let first = self.name(what)?;
        if self.peek().is_some_and(|t| t.is_op(".")) {
            self.pos += 1;
            return self.name(what);
        }
        Ok(first)
    }

    /// `IF NOT EXISTS`, if present.
    pub(crate) fn skip_if_not_exists(&mut self) {
        self.eat_kws(&["IF", "NOT", "EXISTS"]);
    }

    /// Index of the `)` matching the `(` at token index `open`.
    fn matching_paren(&self, open: usize) -> Result<usize, DdlError> {
        let mut depth = 0usize;
        for (i, t) in self.toks.iter().enumerate().skip(open) {
            match t.kind {
                Kind::LParen => depth += 1,
                Kind::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => {}
            }
        }
        Err(DdlError::Syntax { offset: self.src.len(), expected: "')'".into(), found: "end of input".into() })
    }

    /// Consume a parenthesized group; returns the token index range inside it.
    pub(crate) fn group(&mut self) -> Result<(usize, usize), DdlError> {
        if !self.at_kind(&Kind::LParen) {
            return Err(self.err("'('"));
        }
        let open = self.pos;
        let close = self.matching_paren(open)?;
        self.pos = close + 1;
        Ok((open + 1, close))
    }

    /// Raw source text covering tokens `from..to` (comments inside kept).
    pub(crate) fn text(&self, from: usize, to: usize) -> &'s str {
        match (self.toks.get(from), to.checked_sub(1).and_then(|l| self.toks.get(l))) {
            (Some(a), Some(b)) if from < to => &self.src[a.start..b.end],
            _ => "",
        }
    }

    /// Split tokens `from..to` at top-level commas into index ranges.
    pub(crate) fn split_commas(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut seg = from;
        for i in from..to {
            match self.toks[i].kind {
                Kind::LParen => depth += 1,
                Kind::RParen => depth = depth.saturating_sub(1),
                Kind::Comma if depth == 0 => {
                    out.push((seg, i));
                    seg = i + 1;
                }
                _ => {}
            }
        }
        if seg < to {
            out.push((seg, to));
        }
        out
    }

    pub(crate) fn err(&self, expected: &str) -> DdlError {
        let (offset, found) = match self.peek() {
            Some(t) => (t.start, format!("'{}'", t.text)),
            None => (self.src.len(), "end of input".to_string()),
        };
        DdlError::Syntax { offset, expected: expected.to_string(), found }
    }
}
