//! SCHEMA=schema.prisma: the PostgreSQL schema Prisma's schema engine would create, generated from a Prisma schema

mod ddl;
mod keys;
mod lexer;
mod model;
mod names;
mod parse;
mod types;

use ddl::Generated;

/// Generate the DDL for a schema made of one or more files (`(name, text)`), or list every problem, each
/// prefixed with its file's name.
pub(crate) fn generate(files: &[(String, String)]) -> Result<Generated, Vec<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Generated, Vec<String>> {
        generate(&[("schema.prisma".to_string(), text.to_string())])
    }

    #[test]
    fn views_are_listed_and_relation_mode_prisma_makes_no_foreign_keys() {
        let g = one(
            "datasource db {\n provider = \"postgresql\"\n relationMode = \"prisma\"\n extensions = [citext]\n}\n\
             model A {\n id Int @id\n bs B[]\n}\nmodel B {\n id Int @id\n aId Int\n a A @relation(fields: [aId], references: [id])\n}\n\
             view V {\n id Int @unique\n}\n",
        )
        .unwrap();
        assert_eq!(g.views, vec!["V".to_string()]);
        assert!(g.sql.contains("CREATE TABLE \"B\"") && !g.sql.contains("FOREIGN KEY"), "{}", g.sql);
        assert!(g.sql.starts_with("CREATE EXTENSION IF NOT EXISTS \"citext\";"), "{}", g.sql);
    }

    #[test]
    fn problems_name_their_file_and_are_all_listed() {
        let e = generate(&[
            ("a.prisma".into(), "model A {\n id Int @id\n".into()),
            ("b.prisma".into(), "model B { $ }".into()),
        ])
        .unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].starts_with("a.prisma: ") && e[1].starts_with("b.prisma: line 1"), "{e:?}");
        let e = one("model A {\n id Int @id @id\n x Int @db.Text\n y Nope\n @@id([x])\n @@index([id], name: \"a\", map: \"b\")\n}\n").unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[3].contains("not both"), "{e:?}");
        // an index's name: is its database name, a compound unique's only the client's
        let g = one(
            "model A {\n id Int @id\n x Int\n @@index([x], name: \"by_x\")\n @@unique([id, x], name: \"idx\")\n}\n",
        )
        .unwrap();
        assert!(
            g.sql.contains("CREATE INDEX \"by_x\"") && g.sql.contains("CREATE UNIQUE INDEX \"A_id_x_key\""),
            "{}",
            g.sql
        );
    }
}
