//! SCHEMA=schema.prisma: the PostgreSQL schema Prisma's schema engine would create, generated from a Prisma schema

mod ddl;
mod keys;
mod lexer;
pub mod load;
mod model;
mod names;
mod parse;
mod types;

pub use ddl::Generated;

/// Generate the DDL for a schema made of one or more files (`(name, text)`), or list every problem, each
/// prefixed with its file's name.
pub fn generate(files: &[(String, String)]) -> Result<Generated, Vec<String>> {
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in files {
        match lexer::lex(text).and_then(|t| parse::parse(&t)) {
            Ok(b) => blocks.extend(b),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    ddl::generate(&blocks)
}
