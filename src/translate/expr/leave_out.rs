//! LEAVE_OUT: the defaults, CHECK constraints and indexes without a faithful translation that the user chooses
//! to migrate without, each named on its own (`users.id:default,users:check,index:users_email_idx`)

/// One entry of LEAVE_OUT. Names compare case-insensitively, as SQLite's do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LeaveOut {
    /// `table.column:default`
    Default { table: String, column: String },
    /// `table.column:check` (the column's CHECKs) or `table:check` (the table's own CHECKs)
    Check { table: String, column: Option<String> },
    /// `index:name`
    Index(String),
}

impl LeaveOut {
    /// Parse a comma-separated LEAVE_OUT value; the error names the bad entry.
    pub(crate) fn parse_list(s: &str) -> Result<Vec<LeaveOut>, String> {
        s.split(',').map(str::trim).filter(|e| !e.is_empty()).map(LeaveOut::parse).collect()
    }

    fn parse(entry: &str) -> Result<LeaveOut, String> {
        let bad = || {
            format!("LEAVE_OUT entry {entry} must look like table.column:default, table.column:check, table:check or index:name")
        };
        let e = entry.trim();
        if e.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("index:")) {
            let name = e[6..].trim();
            return if name.is_empty() { Err(bad()) } else { Ok(LeaveOut::Index(name.to_string())) };
        }
        let (name, kind) = e.rsplit_once(':').ok_or_else(bad)?;
        let name = name.trim();
        if name.is_empty() || name.starts_with('.') || name.ends_with('.') {
            return Err(bad());
        }
        match kind.trim().to_ascii_lowercase().as_str() {
            "default" => {
                let (table, column) = name.rsplit_once('.').ok_or_else(bad)?;
                Ok(LeaveOut::Default { table: table.to_string(), column: column.to_string() })
            }
            "check" => Ok(match name.rsplit_once('.') {
                Some((table, column)) => LeaveOut::Check { table: table.to_string(), column: Some(column.to_string()) },
                None => LeaveOut::Check { table: name.to_string(), column: None },
            }),
            _ => Err(bad()),
        }
    }

    /// The entry as the user writes it.
    pub(crate) fn setting(&self) -> String {
        match self {
            LeaveOut::Default { table, column } => format!("{table}.{column}:default"),
            LeaveOut::Check { table, column: Some(c) } => format!("{table}.{c}:check"),
            LeaveOut::Check { table, column: None } => format!("{table}:check"),
            LeaveOut::Index(name) => format!("index:{name}"),
        }
    }

    /// True when this entry and `other` name the same object.
    pub(crate) fn same(&self, other: &LeaveOut) -> bool {
        self.setting().to_lowercase() == other.setting().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::LeaveOut;

    #[test]
    fn entries() {
        let l = LeaveOut::parse_list(" users.id:default, users:check ,users.age:CHECK,index:idx_a:b,").unwrap();
        assert_eq!(
            l,
            [
                LeaveOut::Default { table: "users".into(), column: "id".into() },
                LeaveOut::Check { table: "users".into(), column: None },
                LeaveOut::Check { table: "users".into(), column: Some("age".into()) },
                LeaveOut::Index("idx_a:b".into()),
            ]
        );
        assert_eq!(l[0].setting(), "users.id:default");
        assert!(l[0].same(&LeaveOut::Default { table: "USERS".into(), column: "Id".into() }));
        for bad in ["users", "users:default", "users.id:drop", ":check", "index:"] {
            assert!(LeaveOut::parse_list(bad).is_err(), "{bad}");
        }
    }
}
