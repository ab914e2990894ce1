//! A fleet of SQLite files: SQLITE_PATH as a folder or a glob, TARGET_SCHEMA as a template, SHARDS
//!
//! Which files a fleet holds: in a folder, its regular files named `*.sqlite`, `*.sqlite3`, `*.db` or `*.db3`
//! (not its subfolders); for a glob, every regular file it matches. By name, not by the SQLite header, so that
//! a damaged file fails loudly instead of dropping out of the fleet. Hidden files and the `-wal`, `-shm` and
//! `-journal` files beside a database are never files of a fleet. The files are sorted by path; file `i` of that
//! list belongs to shard `i % SHARDS`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{check_target_schema, Config, RawConfig, SchemaSource};
use crate::error::{Error, Result};

/// The extensions that make a file of a folder a file of the fleet (compared without regard to case).
const EXTENSIONS: &[&str] = &["sqlite", "sqlite3", "db", "db3"];
/// The files beside a SQLite database that are part of it, never databases of their own.
const SIDECARS: &[&str] = &["-wal", "-shm", "-journal"];
/// PostgreSQL's longest identifier, in bytes; a longer name would be cut short, and two could become one.
const MAX_IDENTIFIER: usize = 63;
/// The placeholder of TARGET_SCHEMA that each file's stem replaces.
const STEM: &str = "{stem}";

/// What the settings ask for: one file, as always, or a fleet of them.
#[derive(Debug)]
pub enum Settings {
    /// SQLITE_PATH names one file.
    One(Box<Config>),
    /// SQLITE_PATH names a folder or a glob.
    Fleet(Fleet),
}

/// The files of a fleet this run migrates, each with its own settings.
#[derive(Debug)]
pub struct Fleet {
    /// SQLITE_PATH as given: the folder or the glob.
    pub pattern: String,
    /// This run's files (its shard's, with SHARDS), in the order of the sorted list.
    pub members: Vec<Member>,
    /// How many files the whole fleet holds, every shard's.
    pub total: usize,
    /// `(JOB_COMPLETION_INDEX, SHARDS)`, when SHARDS is set.
    pub shard: Option<(usize, usize)>,
    /// JOBS: how many files load at the same time.
    pub jobs: usize,
}

/// One file of a fleet.
#[derive(Debug)]
pub struct Member {
    /// Its place in the sorted list of the whole fleet.
    pub position: usize,
    /// The settings of its run: its file, its target schema, and JOBS=1 (one connection, one transaction).
    pub config: Config,
}

impl Member {
    /// The target schema this file loads into.
    pub fn schema(&self) -> &str {
        &self.config.target_schema
    }
}

impl Settings {
    /// Validate raw settings ([`Config::validate`] for one file); `env` looks up the libpq variables (PGHOST...).
    pub fn validate(mut raw: RawConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let path = raw.sqlite_path.as_deref().map(str::trim).unwrap_or("").to_string();
        let shards = parse_count("SHARDS", raw.shards.as_deref())?;
        let is_glob = path.contains(['*', '?', '[', '{']) && !Path::new(&path).exists();
        if !Path::new(&path).is_dir() && !is_glob {
            if shards.is_some() {
                return Err(Error::config("SHARDS shares the files of a folder or glob: SQLITE_PATH names one file"));
            }
            return Config::validate(raw, env).map(|c| Settings::One(Box::new(c)));
        }
        let files = if is_glob { glob(&path)? } else { folder(Path::new(&path))? };
        if files.is_empty() {
            return Err(Error::config(if is_glob {
                format!("SQLITE_PATH {path} matches no file")
            } else {
                format!("SQLITE_PATH {path} is a directory holding no sqlite file (*.{})", EXTENSIONS.join(", *."))
            }));
        }
        let template = raw.target_schema.as_deref().map(str::trim).filter(|t| !t.is_empty()).unwrap_or("public");
        let schemas = schemas(template, &files)?;
        let shard = match shards {
            None => None,
            Some(shards) => Some((shard_index(raw.job_completion_index.as_deref(), shards)?, shards)),
        };
        // every file shares the other settings: validate them once, with the first file
        raw.sqlite_path = Some(files[0].display().to_string());
        raw.target_schema = Some(schemas[0].clone());
        let base = Config::validate(raw, env)?;
        if !matches!(base.schema, SchemaSource::Auto | SchemaSource::None) {
            return Err(Error::config(
                "a fleet takes SCHEMA=auto or SCHEMA=none: sqlite2pg records applied schema files once per database",
            ));
        }
        let total = files.len();
        let members = files
            .into_iter()
            .zip(schemas)
            .enumerate()
            .filter(|(i, _)| shard.is_none_or(|(index, shards)| i % shards == index))
            .map(|(position, (sqlite_path, target_schema))| Member {
                position,
                config: Config { sqlite_path, target_schema, jobs: 1, ..base.clone() },
            })
            .collect();
        Ok(Settings::Fleet(Fleet { pattern: path, members, total, shard, jobs: base.jobs }))
    }
}

/// The files of a folder that are SQLite files by their name, sorted; the others are named in the log.
fn folder(dir: &Path) -> Result<Vec<PathBuf>> {
    let unreadable =
        |e: std::io::Error| Error::config(format!("cannot read the folder SQLITE_PATH {}", dir.display())).because(e);
    let mut files = Vec::new();
    let mut others = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if hidden(&path) || !path.is_file() {
            continue;
        }
        let known = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if known {
            files.push(path);
        } else if !sidecar(&path) {
            others.push(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
    }
    if !others.is_empty() {
        others.sort();
        log::info!(
            "SQLITE_PATH {}: {} file(s) not named *.{} are not part of the fleet: {}",
            dir.display(),
            others.len(),
            EXTENSIONS.join(", *."),
            others.join(", ")
        );
    }
    files.sort();
    Ok(files)
}

/// The regular files a glob matches (`*` and `?` stay within one folder, `**` crosses folders), sorted, without
/// hidden files and folders and without the sidecars of a database.
fn glob(pattern: &str) -> Result<Vec<PathBuf>> {
    let matcher = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| Error::config(format!("SQLITE_PATH {pattern} is not a valid glob: {}", e.kind())))?
        .compile_matcher();
    // walk from the folder the glob's literal part names, only as deep as it can match
    let mut base = PathBuf::new();
    let mut rest = 0;
    for part in Path::new(pattern).components() {
        let text = part.as_os_str().to_string_lossy();
        if rest == 0 && !text.contains(['*', '?', '[', '{']) {
            base.push(part);
        } else {
            rest += 1;
        }
    }
    let depth = if pattern.contains("**") { usize::MAX } else { rest };
    let mut files = Vec::new();
    walk(&base, depth, &matcher, &mut files)?;
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, depth: usize, matcher: &globset::GlobMatcher, files: &mut Vec<PathBuf>) -> Result<()> {
    if depth == 0 {
        return Ok(());
    }
    let at = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let entries = match std::fs::read_dir(at) {
        Ok(entries) => entries,
        // a folder the glob's literal part names but that does not exist matches nothing
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::config(format!("cannot read the folder {}", at.display())).because(e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::config(format!("cannot read the folder {}", at.display())).because(e))?;
        let path = dir.join(entry.file_name());
        if hidden(&path) {
            continue;
        }
        // a symlink to a folder is not followed (no loops); one to a file counts as that file
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            walk(&path, depth - 1, matcher, files)?;
        } else if path.is_file() && !sidecar(&path) && matcher.is_match(&path) {
            files.push(path);
        }
    }
    Ok(())
}

fn hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn sidecar(path: &Path) -> bool {
    path.file_name().is_some_and(|n| SIDECARS.iter().any(|s| n.to_string_lossy().ends_with(s)))
}

/// Each file's target schema: the template with `{stem}` replaced by the file's name without its extension.
/// Several files need `{stem}`; no two files may get the same schema, nor one longer than PostgreSQL allows.
fn schemas(template: &str, files: &[PathBuf]) -> Result<Vec<String>> {
    if template.replace(STEM, "").contains(['{', '}']) {
        return Err(Error::config(format!(
            "TARGET_SCHEMA {template}: the only placeholder is {STEM} (each file's name without its extension)"
        )));
    }
    if files.len() > 1 && !template.contains(STEM) {
        return Err(Error::config(format!(
            "TARGET_SCHEMA {template} has no {STEM}, but SQLITE_PATH holds {} files, and each loads into a schema \
             of its own: use a template such as TARGET_SCHEMA=tenant_{STEM}",
            files.len()
        )));
    }
    let mut taken: HashMap<String, &Path> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let stem = file.file_stem().and_then(|s| s.to_str()).ok_or_else(|| {
            Error::config(format!("the file name of {} is not UTF-8: it cannot name a schema", file.display()))
        })?;
        let schema = template.replace(STEM, stem);
        if schema.len() > MAX_IDENTIFIER {
            return Err(Error::config(format!(
                "file {} would load into schema \"{schema}\", which is {} bytes long; postgresql allows {MAX_IDENTIFIER}",
                file.display(),
                schema.len()
            )));
        }
        check_target_schema(&schema).map_err(|e| Error::config(format!("file {}: {e}", file.display())))?;
        if let Some(other) = taken.insert(schema.clone(), file) {
            return Err(Error::config(format!(
                "files {} and {} would both load into schema \"{schema}\" (TARGET_SCHEMA={template}): rename one",
                other.display(),
                file.display()
            )));
        }
        out.push(schema);
    }
    Ok(out)
}

/// SHARDS: a whole number from 1 on, or unset.
fn parse_count(name: &str, s: Option<&str>) -> Result<Option<usize>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| Error::config(format!("{name} must be a whole number from 1 on"))),
    }
}

/// JOB_COMPLETION_INDEX, required with SHARDS: 0 to SHARDS-1.
fn shard_index(s: Option<&str>, shards: usize) -> Result<usize> {
    let s = s.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        Error::config("SHARDS is set but JOB_COMPLETION_INDEX is not (Kubernetes sets it in an Indexed Job's pods)")
    })?;
    s.parse::<usize>().ok().filter(|i| *i < shards).ok_or_else(|| {
        Error::config(format!("JOB_COMPLETION_INDEX must be a whole number from 0 to {} (SHARDS={shards})", shards - 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, names: &[&str]) {
        for name in names {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, b"").expect("write");
        }
    }

    fn names(files: &[PathBuf], dir: &Path) -> Vec<String> {
        files.iter().map(|f| f.strip_prefix(dir).expect("under dir").display().to_string()).collect()
    }

    #[test]
    fn a_folder_holds_its_sqlite_files_by_name_sorted_without_hidden_files_and_sidecars() {
        let dir = tempfile::tempdir().expect("tempdir");
        touch(
            dir.path(),
            &["b.db", "a.sqlite", "c.SQLITE3", "d.db3", "a.sqlite-wal", "a.sqlite-shm", "b.db-journal", ".h.db"],
        );
        touch(dir.path(), &["notes.txt", "sub/e.db"]);
        let files = folder(dir.path()).expect("folder");
        assert_eq!(names(&files, dir.path()), ["a.sqlite", "b.db", "c.SQLITE3", "d.db3"]);
    }

    #[test]
    fn a_glob_matches_files_within_its_folders_and_never_sidecars_or_hidden_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        touch(dir.path(), &["x/a.db", "x/a.db-wal", "x/.b.db", "x/c.bin", "y/d.db", "x/deep/e.db", ".z/f.db"]);
        let root = dir.path().display().to_string();
        let all = glob(&format!("{root}/*/*")).expect("glob");
        assert_eq!(names(&all, dir.path()), ["x/a.db", "x/c.bin", "y/d.db"]);
        let dbs = glob(&format!("{root}/**/*.db")).expect("glob");
        assert_eq!(names(&dbs, dir.path()), ["x/a.db", "x/deep/e.db", "y/d.db"]);
        assert!(glob(&format!("{root}/nothing/*.db")).expect("glob").is_empty());
        assert!(glob(&format!("{root}/[x.db")).is_err());
    }

    #[test]
    fn each_file_gets_the_template_with_its_stem() {
        let files = [PathBuf::from("/d/acme.db"), PathBuf::from("/d/Globex.sqlite")];
        assert_eq!(schemas("tenant_{stem}", &files).expect("valid"), ["tenant_acme", "tenant_Globex"]);
        assert_eq!(schemas("one", &files[..1]).expect("one file needs no stem"), ["one"]);
    }

    #[test]
    fn a_template_without_stem_a_collision_a_long_name_and_a_reserved_name_are_refused() {
        let files = [PathBuf::from("/d/acme.db"), PathBuf::from("/d/acme.sqlite")];
        let e = schemas("public", &files).expect_err("no stem").to_string();
        assert!(e.contains("has no {stem}") && e.contains("2 files"), "{e}");
        let e = schemas("t_{stem}", &files).expect_err("collision").to_string();
        assert!(e.contains("/d/acme.db") && e.contains("/d/acme.sqlite") && e.contains("\"t_acme\""), "{e}");
        let e = schemas(&format!("{}_{{stem}}", "x".repeat(60)), &files[..1]).expect_err("long").to_string();
        assert!(e.contains("65 bytes") && e.contains("63"), "{e}");
        let e = schemas("sqlite2pg_staging{stem}", &files[..1]).expect_err("staging").to_string();
        assert!(e.contains("/d/acme.db") && e.contains("cannot be sqlite2pg_stagingacme"), "{e}");
        assert!(schemas("{name}_{stem}", &files[..1]).expect_err("unknown placeholder").to_string().contains("{stem}"));
    }

    #[test]
    fn shards_and_the_completion_index() {
        assert_eq!(parse_count("SHARDS", None).ok(), Some(None));
        assert_eq!(parse_count("SHARDS", Some(" 8 ")).ok(), Some(Some(8)));
        for bad in ["0", "-1", "two", "1.5"] {
            assert!(parse_count("SHARDS", Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(shard_index(Some("3"), 4).ok(), Some(3));
        for bad in [None, Some(""), Some("4"), Some("-1"), Some("x")] {
            assert!(shard_index(bad, 4).is_err(), "{bad:?}");
        }
    }
}
