//! The probes stage of the test suite (run by dev/xtask): the initramfs of
//! the two QEMU guests (one with the Rust programs, one with the GNU/C
//! programs they replace), the bootcheck spec they are checked with, and the
//! verdicts from bootcheck's two reports.
//!
//! - [`cpio`]: the paths of the archive the kernel unpacks as initramfs;
//! - [`guest`]: a guest's layout, from this machine's binaries;
//! - [`spec`]: the probes bootcheck runs, with the controls;
//! - [`judge`]: every probe passes on the Rust guest and fails on the C one.

pub mod cpio;
pub mod guest;
pub mod judge;
pub mod spec;

/// An error with its message, for the command line to print.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `Err(Error)` from anything printable.
pub fn err<T>(msg: impl std::fmt::Display) -> Result<T> {
    Err(Error(msg.to_string()))
}

/// A file's contents, or an error naming it.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// A file's text, or an error naming it.
pub fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// Write a file, or an error naming it.
pub fn write(path: &std::path::Path, data: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, data).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// A JSON file, parsed.
pub fn read_json(path: &std::path::Path) -> Result<serde_json::Value> {
    serde_json::from_slice(&read(path)?).map_err(|e| Error(format!("{}: {e}", path.display())))
}
