//! Which file of a fleet a log line belongs to: a worker's thread, and the threads its runtime starts, carry it

use std::cell::RefCell;
use std::sync::{Arc, Mutex, PoisonError};

thread_local! {
    static CURRENT: RefCell<Option<Arc<Mutex<String>>>> = const { RefCell::new(None) };
}

/// The name of the file a fleet worker runs now; empty between files.
#[derive(Clone, Default)]
pub(crate) struct Label(Arc<Mutex<String>>);

impl Label {
    /// Lines logged on the calling thread carry this label from now on.
    pub(crate) fn adopt(&self) {
        CURRENT.with(|c| *c.borrow_mut() = Some(Arc::clone(&self.0)));
    }

    /// Name the file the worker runs now ("" between files).
    pub(crate) fn set(&self, name: &str) {
        name.clone_into(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// What goes before a log line's message: `NAME: ` on a fleet worker's threads while it runs file NAME, else
/// nothing, so that the lines of files loading at once can be told apart.
pub fn log_prefix() -> String {
    CURRENT.with(|c| {
        let current = c.borrow();
        let name = current.as_ref().map(|l| l.lock().unwrap_or_else(PoisonError::into_inner).clone());
        name.filter(|n| !n.is_empty()).map(|n| format!("{n}: ")).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_carries_its_workers_current_file() {
        assert_eq!(log_prefix(), "");
        let label = Label::default();
        label.adopt();
        assert_eq!(log_prefix(), "", "no file yet");
        let started = label.clone();
        let other = std::thread::spawn(move || {
            started.adopt();
            std::thread::park();
            log_prefix()
        });
        label.set("tenant-7.db");
        assert_eq!(log_prefix(), "tenant-7.db: ");
        other.thread().unpark();
        assert_eq!(other.join().unwrap(), "tenant-7.db: ", "a thread started earlier sees the current file");
        label.set("");
        assert_eq!(log_prefix(), "");
        assert_eq!(std::thread::spawn(log_prefix).join().unwrap(), "", "a thread of no worker has no label");
    }
}
