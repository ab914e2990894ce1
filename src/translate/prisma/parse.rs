//! The Prisma schema's syntax tree: blocks, their members and attributes, with no meaning given yet

use super::lexer::{Tok, Token};

/// A value in an attribute or a datasource property.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Str(String),
    Num(String),
    Ident(String),
    Call(String, Vec<Arg>),
    Array(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub(crate) name: Option<String>,
    pub(crate) value: Expr,
}

/// `@name(args)` on a member, or `@@name(args)` on a block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub(crate) name: String,
    pub(crate) args: Vec<Arg>,
    pub(crate) line: usize,
}

/// A field (`name Type? @attr`), an enum value (`NAME @map("x")`) or a property (`key = value`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub(crate) name: String,
    /// The type name; `Unsupported("...")` keeps its argument in `unsupported`.
    pub(crate) ty: Option<String>,
    pub(crate) unsupported: Option<String>,
    pub(crate) optional: bool,
    pub(crate) list: bool,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) value: Option<Expr>,
    line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// `model`, `view`, `enum`, `datasource`, `generator`, `type`.
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) members: Vec<Member>,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) line: usize,
}

impl Attr {
    /// The argument named `name`, or else the unnamed one at `position`.
    pub(crate) fn arg(&self, name: &str, position: Option<usize>) -> Option<&Expr> {
        self.args
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .map(|a| &a.value)
            .or_else(|| position.and_then(|p| self.args.iter().filter(|a| a.name.is_none()).nth(p)).map(|a| &a.value))
    }
}

impl Member {
    pub(crate) fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

impl Block {
    pub(crate) fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
}

/// Parse a whole file's tokens into blocks.
pub(crate) fn parse(toks: &[Token]) -> Result<Vec<Block>, String> {
    let mut p = Parser { toks, pos: 0 };
    let mut blocks = Vec::new();
    while p.pos < toks.len() {
        blocks.push(p.block()?);
    }
    Ok(blocks)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn line(&self) -> usize {
        self.toks.get(self.pos).or(self.toks.last()).map_or(0, |t| t.line)
    }

    fn next(&mut self) -> Result<Tok, String> {
        let t = self.toks.get(self.pos).map(|t| t.tok.clone()).ok_or("unexpected end of file")?;
        self.pos += 1;
        Ok(t)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        let line = self.line();
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("line {line}: expected '{c}'"))
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        let line = self.line();
        match self.next()? {
            Tok::Ident(s) => Ok(s),
            other => Err(format!("line {line}: expected a name, found {other:?}")),
        }
    }

    fn block(&mut self) -> Result<Block, String> {
        let line = self.line();
        let kind = self.ident()?;
        let name = self.ident()?;
        self.expect('{')?;
        let mut block = Block { kind, name, members: Vec::new(), attrs: Vec::new(), line };
        loop {
            if self.eat('}') {
                return Ok(block);
            }
            if self.eat('#') {
                block.attrs.push(self.attr()?);
            } else {
                block.members.push(self.member()?);
            }
        }
    }

    /// One member: everything up to the end of its line (attribute arguments may span lines).
    fn member(&mut self) -> Result<Member, String> {
        let line = self.line();
        let name = self.ident()?;
        let mut m = Member {
            name,
            ty: None,
            unsupported: None,
            optional: false,
            list: false,
            attrs: Vec::new(),
            value: None,
            line,
        };
        if self.eat('=') {
            m.value = Some(self.expr()?);
            return Ok(m);
        }
        let on_line = |p: &Self| p.toks.get(p.pos).is_some_and(|t| t.line == line);
        if on_line(self) {
            if let Some(Tok::Ident(_)) = self.peek() {
                let ty = self.ident()?;
                if ty == "Unsupported" {
                    self.expect('(')?;
                    match self.next()? {
                        Tok::Str(s) => m.unsupported = Some(s),
                        _ => return Err(format!("line {line}: Unsupported takes a string")),
                    }
                    self.expect(')')?;
                }
                m.ty = Some(ty);
                if self.eat('[') {
                    self.expect(']')?;
                    m.list = true;
                }
                m.optional = self.eat('?');
            }
        }
        while on_line(self) && self.eat('@') {
            m.attrs.push(self.attr()?);
        }
        if on_line(self) && self.peek() != Some(&Tok::Punct('}')) {
            return Err(format!("line {line}: unexpected {:?} after \"{}\"", self.peek(), m.name));
        }
        Ok(m)
    }

    fn attr(&mut self) -> Result<Attr, String> {
        let line = self.line();
        let name = self.ident()?;
        let args =
            if self.toks.get(self.pos).is_some_and(|t| t.tok == Tok::Punct('(')) { self.args()? } else { Vec::new() };
        Ok(Attr { name, args, line })
    }

    fn args(&mut self) -> Result<Vec<Arg>, String> {
        self.expect('(')?;
        let mut args = Vec::new();
        while !self.eat(')') {
            let named = matches!(self.peek(), Some(Tok::Ident(_)))
                && self.toks.get(self.pos + 1).is_some_and(|t| t.tok == Tok::Punct(':'));
            let name = if named {
                let n = self.ident()?;
                self.expect(':')?;
                Some(n)
            } else {
                None
            };
            args.push(Arg { name, value: self.expr()? });
            if !self.eat(',') {
                self.expect(')')?;
                break;
            }
        }
        Ok(args)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let line = self.line();
        match self.next()? {
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Ident(i) if self.peek() == Some(&Tok::Punct('(')) => Ok(Expr::Call(i, self.args()?)),
            Tok::Ident(i) => Ok(Expr::Ident(i)),
            Tok::Punct('[') => {
                let mut items = Vec::new();
                while !self.eat(']') {
                    items.push(self.expr()?);
                    if !self.eat(',') {
                        self.expect(']')?;
                        break;
                    }
                }
                Ok(Expr::Array(items))
            }
            other => Err(format!("line {line}: unexpected {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn blocks(s: &str) -> Vec<Block> {
        parse(&lex(s).unwrap()).unwrap()
    }

    #[test]
    fn models_enums_and_datasources() {
        let b = blocks(
            "datasource db {\n provider = \"postgresql\"\n schemas = [\"a\", \"b\"]\n}\n\
             model User {\n id Int @id @default(autoincrement())\n tags String[]\n bio String? @db.VarChar(10)\n \
             posts Post[]\n @@index([bio(sort: Desc), id], type: Hash)\n @@map(\"users\")\n}\n\
             enum Role {\n USER\n ADMIN @map(\"admin\")\n}",
        );
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].members[1].value, Some(Expr::Array(vec![Expr::Str("a".into()), Expr::Str("b".into())])));
        let user = &b[1];
        assert_eq!(user.members.len(), 4);
        assert!(user.members[1].list && !user.members[1].optional);
        assert!(user.members[2].optional);
        assert_eq!(user.members[2].attr("db.VarChar").unwrap().args[0].value, Expr::Num("10".into()));
        let index = user.attr("index").unwrap();
        assert_eq!(index.arg("type", None), Some(&Expr::Ident("Hash".into())));
        let Some(Expr::Array(cols)) = index.arg("fields", Some(0)) else { panic!() };
        assert_eq!(
            cols[0],
            Expr::Call("bio".into(), vec![Arg { name: Some("sort".into()), value: Expr::Ident("Desc".into()) }])
        );
        assert_eq!(b[2].members.len(), 2);
        assert_eq!(b[2].members[1].attr("map").unwrap().arg("name", Some(0)), Some(&Expr::Str("admin".into())));
    }

    #[test]
    fn unsupported_types_and_errors() {
        let b = blocks("model A {\n c Unsupported(\"circle\")?\n}");
        assert_eq!(b[0].members[0].unsupported.as_deref(), Some("circle"));
        assert!(b[0].members[0].optional);
        assert!(parse(&lex("model A {\n id Int Int\n}").unwrap()).unwrap_err().contains("line 2"));
        assert!(parse(&lex("model A {").unwrap()).is_err());
    }
}
