//! Line splitter: raw console bytes in, clean lines out.
//!
//! The serial stream is arbitrary bytes. For matching we want text lines with
//! ANSI escape sequences removed and carriage returns folded, but we never
//! assume the stream is UTF-8 (the raw bytes go to the log untouched).
//! The splitter keeps its state across calls, so a line (or an escape
//! sequence) split between two reads is reassembled before it is matched.

/// Longest line kept for matching; longer lines are cut into pieces of this
/// size so memory stays bounded on endless output without newlines.
pub const MAX_LINE: usize = 4096;

/// Longest escape sequence honoured (OSC titles included).
const MAX_ESCAPE: usize = 256;

/// A kernel log line as printk writes it on a console with timestamps:
/// `[ seconds.micros] text`.
pub fn is_kernel_line(l: &[u8]) -> bool {
    let Some(rest) = l.strip_prefix(b"[") else {
        return false;
    };
    let Some(close) = rest.iter().position(|&b| b == b']') else {
        return false;
    };
    let (stamp, after) = (&rest[..close], &rest[close + 1..]);
    let stamp = stamp.trim_ascii_start();
    let Some(dot) = stamp.iter().position(|&b| b == b'.') else {
        return false;
    };
    let (secs, frac) = (&stamp[..dot], &stamp[dot + 1..]);
    !secs.is_empty()
        && secs.iter().all(u8::is_ascii_digit)
        && frac.len() == 6
        && frac.iter().all(u8::is_ascii_digit)
        && after.len() > 1
        && after[0] == b' '
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Esc {
    /// Plain text.
    None,
    /// Saw ESC.
    Start,
    /// Inside a CSI sequence (`ESC [` ... final byte 0x40..=0x7e).
    Csi,
    /// Inside an OSC/DCS style string (ends with BEL or `ESC \`).
    Text,
    /// Saw ESC inside a string: `\` ends it.
    StringEscape,
    /// Two-byte sequences with an intermediate byte, e.g. `ESC ( B`.
    Intermediate,
}

/// Streaming splitter. Feed bytes with [`LineSplitter::feed`]; complete lines
/// are handed to a callback. The unfinished tail is available through
/// [`LineSplitter::partial`] (a login prompt has no newline after it).
#[derive(Debug)]
pub struct LineSplitter {
    line: Vec<u8>,
    esc: Esc,
    /// Bytes consumed by the current escape sequence.
    esc_len: usize,
    /// The previous byte was a CR: a following LF belongs to the same break.
    after_cr: bool,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new()
    }
}

impl LineSplitter {
    pub fn new() -> Self {
        Self {
            line: Vec::with_capacity(256),
            esc: Esc::None,
            esc_len: 0,
            after_cr: false,
        }
    }

    /// The current unfinished line (clean text, no escapes).
    pub fn partial(&self) -> &[u8] {
        &self.line
    }

    /// Feed a chunk; `on_line` is called with each completed clean line.
    pub fn feed(&mut self, mut bytes: &[u8], mut on_line: impl FnMut(&[u8])) {
        while !bytes.is_empty() {
            if self.esc == Esc::None {
                // Fast path: copy the run of plain bytes up to the next special one.
                let stop = memchr::memchr3(b'\x1b', b'\r', b'\n', bytes).unwrap_or(bytes.len());
                if stop > 0 {
                    self.after_cr = false;
                    self.push_text(&bytes[..stop], &mut on_line);
                    bytes = &bytes[stop..];
                    continue;
                }
            }
            let b = bytes[0];
            bytes = &bytes[1..];
            self.byte(b, &mut on_line);
        }
    }

    /// Flush the unfinished line as a last line (end of stream).
    pub fn finish(&mut self, mut on_line: impl FnMut(&[u8])) {
        if !self.line.is_empty() {
            on_line(&self.line);
            self.line.clear();
        }
        self.esc = Esc::None;
        self.after_cr = false;
    }

    fn push_text(&mut self, mut text: &[u8], on_line: &mut impl FnMut(&[u8])) {
        while !text.is_empty() {
            let room = MAX_LINE - self.line.len();
            let take = room.min(text.len());
            // Drop other C0 controls (BEL, backspace, NUL...) but keep TAB.
            // Most text has none: then it is one copy.
            let part = &text[..take];
            if part.iter().all(|&c| c >= 0x20 || c == b'\t') {
                self.line.extend_from_slice(part);
            } else {
                self.line
                    .extend(part.iter().copied().filter(|&c| c >= 0x20 || c == b'\t'));
            }
            text = &text[take..];
            if self.line.len() >= MAX_LINE {
                on_line(&self.line);
                self.line.clear();
            }
        }
    }

    fn end_line(&mut self, on_line: &mut impl FnMut(&[u8])) {
        on_line(&self.line);
        self.line.clear();
    }

    fn byte(&mut self, b: u8, on_line: &mut impl FnMut(&[u8])) {
        if self.esc != Esc::None {
            self.esc_len += 1;
            // Junk on the line can open a sequence that never ends: a line
            // break or an overlong sequence aborts it, and the byte counts
            // as text again.
            let broken = matches!(b, b'\r' | b'\n')
                || self.esc_len > MAX_ESCAPE
                || (self.esc == Esc::Csi && !(0x20..=0x7e).contains(&b));
            if broken {
                self.esc = Esc::None;
            }
        }
        match self.esc {
            Esc::None => match b {
                b'\x1b' => {
                    self.esc = Esc::Start;
                    self.esc_len = 0;
                    self.after_cr = false;
                }
                b'\r' => {
                    // CR ends a line; CRLF and CRCRLF count as one break.
                    if !self.after_cr {
                        self.end_line(on_line);
                    }
                    self.after_cr = true;
                }
                b'\n' => {
                    if !self.after_cr {
                        self.end_line(on_line);
                    }
                    self.after_cr = false;
                }
                _ => {
                    self.after_cr = false;
                    self.push_text(&[b], on_line);
                }
            },
            Esc::Start => {
                self.esc = match b {
                    b'[' => Esc::Csi,
                    b']' | b'P' | b'X' | b'^' | b'_' => Esc::Text,
                    0x20..=0x2f => Esc::Intermediate,
                    _ => Esc::None,
                }
            }
            Esc::Csi => {
                if (0x40..=0x7e).contains(&b) {
                    self.esc = Esc::None;
                }
            }
            Esc::Text => match b {
                0x07 => self.esc = Esc::None,
                0x1b => self.esc = Esc::StringEscape,
                _ => {}
            },
            Esc::StringEscape => {
                self.esc = if b == b'\\' { Esc::None } else { Esc::Text };
            }
            Esc::Intermediate => {
                if !(0x20..=0x2f).contains(&b) {
                    self.esc = Esc::None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> (Vec<String>, String) {
        let mut s = LineSplitter::new();
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, |l| out.push(String::from_utf8_lossy(l).into_owned()));
        }
        let partial = String::from_utf8_lossy(s.partial()).into_owned();
        (out, partial)
    }

    #[test]
    fn crlf_and_lone_cr_are_single_breaks() {
        let (lines, partial) = split(&[b"a\r\nb\nc\rd\r\r\ne"]);
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(partial, "e");
    }

    #[test]
    fn crlf_split_across_reads_is_one_break() {
        let (lines, _) = split(&[b"one\r", b"\ntwo\n"]);
        assert_eq!(lines, ["one", "two"]);
    }

    #[test]
    fn ansi_sequences_are_stripped_even_when_split() {
        let (lines, _) = split(&[
            b"[  \x1b[0;32mOK\x1b[0m  ] Reached \x1b",
            b"[1;39mtarget\x1b[0m x\n\x1b]0;title\x07shell\n",
        ]);
        assert_eq!(lines, ["[  OK  ] Reached target x", "shell"]);
    }

    #[test]
    fn unterminated_escape_does_not_swallow_the_console() {
        let (lines, partial) = split(&[b"junk\x1b]0;never ends\r\nnixos login: "]);
        assert_eq!(lines, ["junk"]);
        assert_eq!(partial, "nixos login: ");
        let (lines, _) = split(&[b"a\x1b[12\xffb\n"]);
        assert_eq!(lines, ["a\u{fffd}b"]);
    }

    #[test]
    fn non_utf8_bytes_survive_and_do_not_break_lines() {
        let mut s = LineSplitter::new();
        let mut out: Vec<Vec<u8>> = Vec::new();
        s.feed(b"\xff\xfeKernel panic\x00 - not syncing\n", |l| {
            out.push(l.to_vec())
        });
        assert_eq!(out, vec![b"\xff\xfeKernel panic - not syncing".to_vec()]);
    }

    #[test]
    fn endless_line_is_cut_at_the_cap() {
        let mut s = LineSplitter::new();
        let mut n = 0;
        let chunk = vec![b'x'; 1000];
        for _ in 0..10 {
            s.feed(&chunk, |l| {
                assert_eq!(l.len(), MAX_LINE);
                n += 1;
            });
        }
        assert_eq!(n, 2);
        assert_eq!(s.partial().len(), 10_000 - 2 * MAX_LINE);
    }
}
