//! Tokens of a Prisma schema file, each with its line, comments dropped

/// One token. Identifiers keep their dots (`db.VarChar`), strings are unescaped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    /// One of `{ } ( ) [ ] , : = ? @`, or `@@` as '#'.
    Punct(char),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) line: usize,
}

/// Split `text` into tokens; an unknown character or an unterminated string is an error naming its line.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                let start = line;
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None | Some('\n') => return Err(format!("line {start}: unterminated string")),
                        Some('"') => break,
                        Some('\\') => {
                            let esc = chars.get(i + 1).copied().ok_or(format!("line {start}: unterminated string"))?;
                            s.push(match esc {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                other => other,
                            });
                            i += 2;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                i += 1;
                out.push(Token { tok: Tok::Str(s), line: start });
            }
            '@' if chars.get(i + 1) == Some(&'@') => {
                out.push(Token { tok: Tok::Punct('#'), line });
                i += 2;
            }
            '{' | '}' | '(' | ')' | '[' | ']' | ',' | ':' | '=' | '?' | '@' => {
                out.push(Token { tok: Tok::Punct(c), line });
                i += 1;
            }
            c if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while let Some(&ch) = chars.get(i) {
                    let exponent_sign = matches!(ch, '+' | '-') && matches!(chars[i - 1], 'e' | 'E');
                    if !(ch.is_ascii_digit() || matches!(ch, '.' | 'e' | 'E') || exponent_sign) {
                        break;
                    }
                    i += 1;
                }
                out.push(Token { tok: Tok::Num(chars[start..i].iter().collect()), line });
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.')) {
                    i += 1;
                }
                out.push(Token { tok: Tok::Ident(chars[start..i].iter().collect()), line });
            }
            other => return Err(format!("line {line}: unexpected character {other:?}")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn attributes_strings_numbers_and_comments() {
        assert_eq!(
            toks("name String @db.VarChar(255) @default(\"a\\\"b\") // note\n@@map(\"x\") -1.5e3"),
            vec![
                Tok::Ident("name".into()),
                Tok::Ident("String".into()),
                Tok::Punct('@'),
                Tok::Ident("db.VarChar".into()),
                Tok::Punct('('),
                Tok::Num("255".into()),
                Tok::Punct(')'),
                Tok::Punct('@'),
                Tok::Ident("default".into()),
                Tok::Punct('('),
                Tok::Str("a\"b".into()),
                Tok::Punct(')'),
                Tok::Punct('#'),
                Tok::Ident("map".into()),
                Tok::Punct('('),
                Tok::Str("x".into()),
                Tok::Punct(')'),
                Tok::Num("-1.5e3".into()),
            ]
        );
    }

    #[test]
    fn lines_are_counted_and_bad_input_named() {
        let t = lex("a\n\nb").unwrap();
        assert_eq!((t[0].line, t[1].line), (1, 3));
        assert!(lex("a \"open\nb").unwrap_err().contains("line 1"));
        assert!(lex("a $").unwrap_err().contains("line 1"));
    }
}
