//! A clear error instead of SIGBUS when a mapped index file is cut short under a reader.
//!
//! neardup's writers never change an index in place (they write a temporary and rename it,
//! so a running query keeps the old file), but `cp` over an index does: the kernel then
//! ends a reader that touches a page past the new end with SIGBUS, which kills the process
//! without a word. [`guard_mapped_reads`] installs a SIGBUS handler that looks up the
//! faulting address among the mapped index files; inside one, it prints which file was
//! changed and exits with code 2 (the temporaries of unfinished outputs are removed by the
//! next writer, see `remove_stale_outputs`); elsewhere, it
//! restores the default action, so a real bug still dumps core.
//!
//! The mapped ranges live in a fixed table of atomics and the handler only reads them and
//! calls `write` and `_exit`, which is all a signal handler may do. Copying the file into
//! memory on open costs its size in memory and a full read per query; this costs nothing
//! on the query path.

use std::path::Path;

/// Mapped files tracked at once (a process opens a handful; more are mapped unguarded).
const SLOTS: usize = 64;
/// Bytes of a path kept for the message.
const PATH_BYTES: usize = 480;

#[cfg(unix)]
mod imp {
    use super::{PATH_BYTES, SLOTS};
    use std::cell::UnsafeCell;
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

    const FREE: u8 = 0;
    const BUSY: u8 = 1;
    const LIVE: u8 = 2;

    pub struct Slot {
        state: AtomicU8,
        start: AtomicUsize,
        len: AtomicUsize,
        path_len: AtomicUsize,
        path: UnsafeCell<[u8; PATH_BYTES]>,
    }

    // SAFETY: `path` is written only by the thread that moved the slot from FREE to BUSY,
    // and read (by the handler) only while the slot is LIVE.
    unsafe impl Sync for Slot {}

    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Slot = Slot {
        state: AtomicU8::new(FREE),
        start: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        path_len: AtomicUsize::new(0),
        path: UnsafeCell::new([0; PATH_BYTES]),
    };
    pub static TABLE: [Slot; SLOTS] = [EMPTY; SLOTS];

    pub fn register(start: usize, len: usize, path: &[u8]) -> Option<usize> {
        for (i, s) in TABLE.iter().enumerate() {
            if s.state
                .compare_exchange(FREE, BUSY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                let n = path.len().min(PATH_BYTES);
                // SAFETY: this thread owns the BUSY slot.
                unsafe { (&mut *s.path.get())[..n].copy_from_slice(&path[..n]) };
                s.path_len.store(n, Ordering::Relaxed);
                s.start.store(start, Ordering::Relaxed);
                s.len.store(len, Ordering::Relaxed);
                s.state.store(LIVE, Ordering::Release);
                return Some(i);
            }
        }
        None
    }

    pub fn unregister(i: usize) {
        let s = &TABLE[i];
        s.state.store(BUSY, Ordering::Release);
        s.len.store(0, Ordering::Relaxed);
        s.state.store(FREE, Ordering::Release);
    }

    fn write_all(mut b: &[u8]) {
        while !b.is_empty() {
            // SAFETY: write(2) on stderr with a valid buffer; async-signal-safe.
            let n = unsafe { libc::write(2, b.as_ptr().cast(), b.len()) };
            if n <= 0 {
                return;
            }
            b = &b[n as usize..];
        }
    }

    extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo for an SA_SIGINFO handler.
        let addr = unsafe { (*info).si_addr() } as usize;
        for s in &TABLE {
            if s.state.load(Ordering::Acquire) != LIVE {
                continue;
            }
            let (start, len) = (
                s.start.load(Ordering::Relaxed),
                s.len.load(Ordering::Relaxed),
            );
            if addr >= start && addr - start < len {
                let n = s.path_len.load(Ordering::Relaxed);
                write_all(b"neardup: error: ");
                // SAFETY: a LIVE slot's path is no longer written.
                write_all(unsafe { &(&*s.path.get())[..n] });
                write_all(
                    b": the index file was cut short or rewritten in place while it was \
being read (copied over?); nothing was written. Run again once it is complete (neardup's own \
`index build` and `index add` replace a file without this).\n",
                );
                // SAFETY: _exit is async-signal-safe.
                unsafe { libc::_exit(2) };
            }
        }
        // Not an index: the default action, which the fault raises again on return.
        // SAFETY: resetting a signal's disposition is async-signal-safe.
        unsafe { libc::signal(libc::SIGBUS, libc::SIG_DFL) };
    }

    pub fn install() {
        // SAFETY: a zeroed sigaction is valid; the handler has the SA_SIGINFO signature.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
        }
    }
}

/// A mapped range registered with the SIGBUS handler, unregistered on drop.
#[derive(Debug)]
pub(crate) struct MappedRange(#[cfg_attr(not(unix), allow(dead_code))] Option<usize>);

impl MappedRange {
    /// Registers `bytes` (a mapping of `path`); a no-op when the table is full or off Unix.
    pub(crate) fn new(bytes: &[u8], path: &Path) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            MappedRange(imp::register(
                bytes.as_ptr() as usize,
                bytes.len(),
                path.as_os_str().as_bytes(),
            ))
        }
        #[cfg(not(unix))]
        {
            let _ = (bytes, path);
            MappedRange(None)
        }
    }
}

impl Drop for MappedRange {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(i) = self.0 {
            imp::unregister(i);
        }
    }
}

/// Installs the process-wide SIGBUS handler described in the module documentation (on
/// Unix; elsewhere a no-op). A program that maps indexes calls it once at start; the
/// `neardup` command does.
pub fn guard_mapped_reads() {
    #[cfg(unix)]
    imp::install();
}
