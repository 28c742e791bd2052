//! The judge: clean lines in, decisions, warnings and milestones out.
//! It knows nothing about processes or time sources; callers pass offsets.

use crate::kind::{Builtin, Milestone, PatternKind};
use crate::lines::LineSplitter;
use crate::patterns::{Class, Hit, Pattern, PatternSet};
use crate::prompt;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many trailing console lines a report keeps.
pub const LAST_LINES: usize = 40;
/// Warnings beyond this many are counted but not stored.
pub const MAX_WARNINGS: usize = 200;
/// Note lines (class `note`) beyond this many are not stored.
pub const MAX_NOTES: usize = 64;

/// A console line that decided something, with where and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRef {
    pub kind: PatternKind,
    pub line: String,
    pub line_number: u64,
    /// Milliseconds since the VM started; `null` when judging a saved log.
    pub offset_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub success: bool,
    pub at: LineRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    pub first_output: Option<Mark>,
    pub kernel: Option<Mark>,
    pub initrd: Option<Mark>,
    pub init: Option<Mark>,
    pub multi_user: Option<Mark>,
    pub login_prompt: Option<Mark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub line_number: u64,
    pub offset_ms: Option<u64>,
}

impl Milestones {
    /// Each milestone with its mark, in the order of a boot.
    pub fn iter(&self) -> impl Iterator<Item = (Milestone, Option<Mark>)> {
        [
            (Milestone::FirstOutput, self.first_output),
            (Milestone::Kernel, self.kernel),
            (Milestone::Initrd, self.initrd),
            (Milestone::Init, self.init),
            (Milestone::MultiUser, self.multi_user),
            (Milestone::LoginPrompt, self.login_prompt),
        ]
        .into_iter()
    }

    fn slot(&mut self, m: Milestone) -> &mut Option<Mark> {
        match m {
            Milestone::FirstOutput => &mut self.first_output,
            Milestone::Kernel => &mut self.kernel,
            Milestone::Initrd => &mut self.initrd,
            Milestone::Init => &mut self.init,
            Milestone::MultiUser => &mut self.multi_user,
            Milestone::LoginPrompt => &mut self.login_prompt,
        }
    }
}

/// What one fed line produced, for progress output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Milestone(Milestone, Mark),
    Warning(LineRef),
    Decision(Decision),
}

/// Lines before the decisive line kept as context.
pub const CONTEXT_BEFORE: usize = 5;

/// The console lines around the first failure line, kept however the
/// console arrives (a saved log is judged in large chunks, so the ring of
/// last lines may have moved past it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Around {
    pub line_number: u64,
    /// Up to [`CONTEXT_BEFORE`] lines before it, oldest first.
    pub before: Vec<String>,
    /// Up to [`crate::rust::AFTER_LINES`] lines after it.
    pub after: Vec<String>,
}

#[derive(Debug)]
pub struct Judge {
    patterns: PatternSet,
    splitter: LineSplitter,
    line_number: u64,
    /// Ring of the last lines as raw bytes; buffers are reused, so a line
    /// costs a copy, not an allocation.
    last_lines: VecDeque<Vec<u8>>,
    /// Set while probe output is being read: failure patterns are not
    /// applied to it (a probe may print "BUG:" legitimately).
    pub quiet: bool,
    /// Success patterns are ignored once the boot is decided (login phase).
    pub decided: bool,
    pub milestones: Milestones,
    pub warnings: Vec<LineRef>,
    pub warnings_dropped: u64,
    /// Lines of the `note` patterns, in order (outside probe output).
    pub notes: Vec<LineRef>,
    /// Text of complete lines since the last [`Judge::take_transcript`], for
    /// the interactive phase.
    transcript: Option<String>,
    /// Reused buffer for the complete lines of one chunk.
    batch: Vec<u8>,
    /// Bytes of the transcript view already consumed by `expect`; may
    /// reach into the unfinished line (a prompt has no newline).
    skip: usize,
    partial_checked: usize,
    bytes: u64,
    around: Option<Around>,
    /// Set when the first failure was found in the batch being judged.
    around_in_batch: bool,
}

/// While a probe runs its output is not judged, but the kernel can still
/// die meanwhile: a kernel panic printed by the kernel (timestamped) counts.
/// Other kernel kinds stay quiet, since a probe may print `dmesg`.
fn fatal_kernel_line(kind: &PatternKind, line: &[u8]) -> bool {
    *kind == Builtin::KernelPanic && crate::lines::is_kernel_line(line)
}

fn lossy(line: &[u8]) -> String {
    String::from_utf8_lossy(line).into_owned()
}

impl Judge {
    pub fn new(patterns: PatternSet) -> Self {
        Self {
            patterns,
            splitter: LineSplitter::new(),
            line_number: 0,
            last_lines: VecDeque::with_capacity(LAST_LINES),
            quiet: false,
            decided: false,
            milestones: Milestones::default(),
            warnings: Vec::new(),
            warnings_dropped: 0,
            notes: Vec::new(),
            transcript: None,
            batch: Vec::new(),
            skip: 0,
            partial_checked: 0,
            bytes: 0,
            around: None,
            around_in_batch: false,
        }
    }

    /// The lines around the first failure line, if there was one.
    pub fn around(&self) -> Option<&Around> {
        self.around.as_ref()
    }

    /// Whether the patterns call `line` a failure (for context lines).
    pub fn failure_kind(&self, line: &str) -> Option<PatternKind> {
        self.patterns
            .matches(line.as_bytes())
            .into_iter()
            .map(|h| self.patterns.get(h))
            .find(|p| p.class == Class::Failure)
            .map(|p| p.kind.clone())
    }

    fn extend_after<'a>(&mut self, lines: impl Iterator<Item = &'a [u8]>) {
        if let Some(a) = &mut self.around {
            let room = crate::rust::AFTER_LINES.saturating_sub(a.after.len());
            a.after.extend(lines.take(room).map(lossy));
        }
    }

    pub fn lines_seen(&self) -> u64 {
        self.line_number
    }

    pub fn bytes_seen(&self) -> u64 {
        self.bytes
    }

    pub fn last_lines(&self) -> Vec<String> {
        self.last_lines.iter().map(|l| lossy(l)).collect()
    }

    /// The last complete line, or the unfinished one if it has text.
    pub fn current_line(&self) -> String {
        let p = self.splitter.partial();
        if !p.is_empty() {
            lossy(p)
        } else {
            self.last_lines.back().map(|l| lossy(l)).unwrap_or_default()
        }
    }

    /// Start collecting clean text for `expect`-style reads.
    pub fn start_transcript(&mut self) {
        self.transcript = Some(String::new());
        self.skip = 0;
    }

    /// Collected text plus the unfinished line, minus what was consumed.
    pub fn transcript_view(&self) -> String {
        let mut s = self.transcript.clone().unwrap_or_default();
        s.push_str(&String::from_utf8_lossy(self.splitter.partial()));
        let mut from = self.skip.min(s.len());
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        s.split_off(from)
    }

    /// Mark `upto` bytes of what `transcript_view` returned as consumed.
    pub fn consume_transcript(&mut self, upto: usize) {
        if let Some(t) = &mut self.transcript {
            self.skip += upto;
            if self.skip >= t.len() {
                self.skip -= t.len();
                t.clear();
            } else {
                let mut n = self.skip;
                while !t.is_char_boundary(n) {
                    n -= 1;
                }
                t.drain(..n);
                self.skip -= n;
            }
        }
    }

    /// Feed raw console bytes. Returns the events in order; at most one
    /// decision (the first), after which the caller stops or changes phase.
    pub fn feed(&mut self, bytes: &[u8], offset_ms: Option<u64>) -> Vec<Event> {
        let mut events = Vec::new();
        if self.bytes == 0 && !bytes.is_empty() {
            let mark = Mark {
                line_number: 1,
                offset_ms,
            };
            self.milestones.first_output = Some(mark);
            events.push(Event::Milestone(Milestone::FirstOutput, mark));
        }
        self.bytes += bytes.len() as u64;
        // Complete lines of this chunk go into one buffer, joined by '\n'
        // (a clean line never contains one). One search of the buffer tells
        // whether any pattern can match; only then is it matched line by
        // line. Most chunks of a long boot match nothing.
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        let mut count = 0usize;
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.feed(bytes, |line| {
            batch.extend_from_slice(line);
            batch.push(b'\n');
            count += 1;
        });
        self.splitter = splitter;
        if count > 0 {
            self.partial_checked = 0;
            self.judge_batch(&batch, count, offset_ms, &mut events);
        }
        self.batch = batch;
        self.check_partial(offset_ms, &mut events);
        events
    }

    /// End of stream: the unfinished line is judged as a line.
    pub fn finish(&mut self, offset_ms: Option<u64>) -> Vec<Event> {
        let mut events = Vec::new();
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.finish(|line| self.line(line, offset_ms, &mut events));
        self.splitter = splitter;
        events
    }

    /// Judge `count` complete lines joined by '\n' (with a final '\n').
    fn judge_batch(
        &mut self,
        batch: &[u8],
        count: usize,
        offset_ms: Option<u64>,
        events: &mut Vec<Event>,
    ) {
        let body = &batch[..batch.len() - 1];
        let Some(hits) = self.patterns.candidates(batch) else {
            for line in body.split(|&b| b == b'\n') {
                self.line(line, offset_ms, events);
            }
            return;
        };
        self.extend_after(body.split(|&b| b == b'\n'));
        // Only lines with a needle can match; the others are counted, and
        // the last few kept for the report.
        let first = self.line_number + 1;
        let mut line_no = first;
        let mut counted_to = 0;
        let mut next_start = 0;
        for hit in hits {
            if hit < next_start {
                continue;
            }
            let start = memchr::memrchr(b'\n', &body[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &body[hit..]).map_or(body.len(), |i| hit + i);
            line_no += memchr::memchr_iter(b'\n', &body[counted_to..start]).count() as u64;
            counted_to = start;
            self.classify(&body[start..end], line_no, offset_ms, events);
            next_start = end + 1;
        }
        self.line_number = first - 1 + count as u64;
        if std::mem::take(&mut self.around_in_batch) {
            self.fill_around(body, first);
        }
        let keep = LAST_LINES.min(count);
        let tail = memchr::memrchr_iter(b'\n', body)
            .nth(keep - 1)
            .map_or(0, |i| i + 1);
        for line in body[tail..].split(|&b| b == b'\n') {
            self.remember(line);
        }
        match &mut self.transcript {
            Some(t) => t.push_str(&String::from_utf8_lossy(batch)),
            None => self.skip = 0,
        }
    }

    /// The first failure was in this batch (lines from number `first`):
    /// take its context from the batch and the ring before it.
    fn fill_around(&mut self, body: &[u8], first: u64) {
        let Some(mut a) = self.around.take() else {
            return;
        };
        let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        let at = (a.line_number - first) as usize;
        let from = at.saturating_sub(CONTEXT_BEFORE);
        let from_ring = CONTEXT_BEFORE - (at - from);
        let ring_from = self.last_lines.len().saturating_sub(from_ring);
        a.before = self
            .last_lines
            .iter()
            .skip(ring_from)
            .map(|l| lossy(l))
            .chain(lines[from..at].iter().map(|l| lossy(l)))
            .collect();
        a.after = lines[at + 1..]
            .iter()
            .take(crate::rust::AFTER_LINES)
            .map(|l| lossy(l))
            .collect();
        self.around = Some(a);
    }

    /// Keep a line in the ring of last lines.
    fn remember(&mut self, line: &[u8]) {
        let mut slot = if self.last_lines.len() == LAST_LINES {
            self.last_lines.pop_front().unwrap_or_default()
        } else {
            Vec::new()
        };
        slot.clear();
        slot.extend_from_slice(line);
        self.last_lines.push_back(slot);
    }

    fn line(&mut self, line: &[u8], offset_ms: Option<u64>, events: &mut Vec<Event>) {
        self.line_number += 1;
        self.extend_after(std::iter::once(line));
        self.remember(line);
        if let Some(t) = &mut self.transcript {
            t.push_str(&String::from_utf8_lossy(line));
            t.push('\n');
        } else {
            self.skip = 0;
        }
        let line_no = self.line_number;
        self.classify(line, line_no, offset_ms, events);
    }

    /// Match one complete line (number `line_no`) against every pattern:
    /// the decisive match, if any, decides; warnings and milestones are
    /// recorded; a failure keeps the lines around it.
    fn classify(
        &mut self,
        line: &[u8],
        line_no: u64,
        offset_ms: Option<u64>,
        events: &mut Vec<Event>,
    ) {
        let hits = self.patterns.matches(line);
        if hits.is_empty() {
            return;
        }
        let decisive = self.decisive_hit(&hits, line);
        self.record(&hits, line, line_no, offset_ms, events);
        if let Some((success, hit)) = decisive {
            if !success {
                self.capture_context(line, line_no);
            }
            let at = self.line_ref(self.patterns.get(hit), line, line_no, offset_ms);
            self.decide(Decision { success, at }, events);
        }
    }

    /// The match that decides on a line, and whether it is a success. The
    /// first failure and the first success (priority order) each claim
    /// the line; if both, the one that starts earlier on the line came
    /// first on the console and decides (a tie goes to the failure). So
    /// `myhost login: [ 9.1] BUG: ...` passes, as it does when the prompt
    /// arrives alone, and `[ 9.1] BUG: ... login: ` fails. Failures do not
    /// count in probe output (`quiet`) unless the kernel itself panics;
    /// successes do not count once the boot is decided.
    fn decisive_hit(&self, hits: &[Hit], line: &[u8]) -> Option<(bool, Hit)> {
        let mut failure: Option<Hit> = None;
        let mut success: Option<Hit> = None;
        for &hit in hits {
            let p = self.patterns.get(hit);
            match p.class {
                Class::Failure
                    if failure.is_none() && (!self.quiet || fatal_kernel_line(&p.kind, line)) =>
                {
                    failure = Some(hit)
                }
                Class::Success if success.is_none() && !self.decided => success = Some(hit),
                Class::Failure
                | Class::Success
                | Class::Warning
                | Class::Milestone
                | Class::Note => {}
            }
        }
        match (failure, success) {
            (Some(f), Some(s)) => {
                if self.patterns.start(s, line) < self.patterns.start(f, line) {
                    Some((true, s))
                } else {
                    Some((false, f))
                }
            }
            (Some(f), None) => Some((false, f)),
            (None, Some(s)) => Some((true, s)),
            (None, None) => None,
        }
    }

    /// Record the warnings and notes (outside probe output) and the first
    /// time of each milestone among `hits`.
    fn record(
        &mut self,
        hits: &[Hit],
        line: &[u8],
        line_no: u64,
        offset_ms: Option<u64>,
        events: &mut Vec<Event>,
    ) {
        for &hit in hits {
            let p = self.patterns.get(hit);
            match (p.class, &p.kind) {
                (Class::Warning, _) if !self.quiet => {
                    if self.warnings.len() < MAX_WARNINGS {
                        let w = LineRef {
                            kind: p.kind.clone(),
                            line: lossy(line),
                            line_number: line_no,
                            offset_ms,
                        };
                        self.warnings.push(w.clone());
                        events.push(Event::Warning(w));
                    } else {
                        self.warnings_dropped += 1;
                    }
                }
                (Class::Milestone, PatternKind::Milestone(m)) => {
                    let slot = self.milestones.slot(*m);
                    if slot.is_none() {
                        let mark = Mark {
                            line_number: line_no,
                            offset_ms,
                        };
                        *slot = Some(mark);
                        events.push(Event::Milestone(*m, mark));
                    }
                }
                // One note per line, however many note patterns match it.
                (Class::Note, _)
                    if !self.quiet
                        && self.notes.len() < MAX_NOTES
                        && self.notes.last().is_none_or(|n| n.line_number != line_no) =>
                {
                    self.notes.push(LineRef {
                        kind: p.kind.clone(),
                        line: lossy(line),
                        line_number: line_no,
                        offset_ms,
                    });
                }
                // A milestone pattern of a kind that is no milestone (a
                // test's catch-all) marks nothing.
                (Class::Milestone, PatternKind::Builtin(_) | PatternKind::Custom(_))
                | (Class::Warning | Class::Failure | Class::Success | Class::Note, _) => {}
            }
        }
    }

    /// The first failure line (number `line_no`): keep the lines before it
    /// (and, as they arrive, after it) for the report.
    fn capture_context(&mut self, line: &[u8], line_no: u64) {
        if self.around.is_some() {
            return;
        }
        // In a batch the ring does not hold the batch's lines yet:
        // `fill_around` takes them once the batch is judged. Judged line by
        // line, the ring ends with this line.
        let in_ring = self.line_number == line_no
            && self.last_lines.back().is_some_and(|l| l.as_slice() == line);
        let before = if in_ring {
            let n = self.last_lines.len() - 1;
            self.last_lines
                .iter()
                .take(n)
                .skip(n.saturating_sub(CONTEXT_BEFORE))
                .map(|l| lossy(l))
                .collect()
        } else {
            self.around_in_batch = true;
            Vec::new()
        };
        self.around = Some(Around {
            line_number: line_no,
            before,
            after: Vec::new(),
        });
    }

    /// The report's record of a decisive line: the text the prompt rules
    /// show ([`prompt::shown`]).
    fn line_ref(&self, p: &Pattern, line: &[u8], line_no: u64, offset_ms: Option<u64>) -> LineRef {
        LineRef {
            kind: p.kind.clone(),
            line: lossy(prompt::shown(p, line)),
            line_number: line_no,
            offset_ms,
        }
    }

    fn check_partial(&mut self, offset_ms: Option<u64>, events: &mut Vec<Event>) {
        let partial = self.splitter.partial();
        if partial.is_empty() || partial.len() == self.partial_checked {
            return;
        }
        self.partial_checked = partial.len();
        let Some(hit) = self.patterns.decisive_partial(partial) else {
            return;
        };
        let p = self.patterns.get(hit);
        let success = p.class == Class::Success;
        if (success && self.decided) || (!success && self.quiet) {
            return;
        }
        let at = self.line_ref(p, partial, self.line_number + 1, offset_ms);
        self.decide(Decision { success, at }, events);
    }

    fn decide(&mut self, d: Decision, events: &mut Vec<Event>) {
        if d.success && self.milestones.login_prompt.is_none() {
            self.milestones.login_prompt = Some(Mark {
                line_number: d.at.line_number,
                offset_ms: d.at.offset_ms,
            });
        }
        self.decided = true;
        events.push(Event::Decision(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Overrides;

    fn judge() -> Judge {
        Judge::new(PatternSet::new(&Overrides::default()).unwrap())
    }

    fn decisions(events: &[Event]) -> Vec<(bool, String, u64)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Decision(d) => Some((d.success, d.at.kind.to_string(), d.at.line_number)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn login_prompt_without_newline_decides() {
        let mut j = judge();
        let ev = j.feed(b"Welcome\r\n\r\nnixos login: ", Some(5));
        assert_eq!(decisions(&ev), [(true, "login-prompt".into(), 3)]);
        assert_eq!(j.milestones.login_prompt.unwrap().offset_ms, Some(5));
    }

    #[test]
    fn echoed_prompt_decides_before_a_later_login_incorrect_or_oops() {
        let log: &[u8] = b"Debian GNU/Linux 12 myhost ttyS0\r\n\r\nmyhost login: root      \r\nPassword: \r\n\r\nLogin incorrect\r\n[  99.1] Oops: 0002 [#1] SMP\r\n";
        for chunk in [1usize, 5, 64, log.len()] {
            let mut j = judge();
            let mut ev = Vec::new();
            for c in log.chunks(chunk) {
                ev.extend(j.feed(c, None));
            }
            ev.extend(j.finish(None));
            let d: Vec<_> = ev
                .iter()
                .filter_map(|e| match e {
                    Event::Decision(d) => Some(d.clone()),
                    _ => None,
                })
                .collect();
            assert!(d[0].success, "chunk {chunk}: {d:?}");
            assert_eq!(d[0].at.line, "myhost login:", "chunk {chunk}");
            assert_eq!(d[0].at.line_number, 3, "chunk {chunk}");
        }
    }

    #[test]
    fn within_a_line_what_comes_first_decides() {
        let mut j = judge();
        let ev = j.feed(
            b"syzkaller login: [   41.5] BUG: KASAN: use-after-free\n",
            None,
        );
        assert_eq!(decisions(&ev), [(true, "login-prompt".into(), 1)]);
        let mut j = judge();
        let ev = j.feed(b"[   41.5] BUG: KASAN: use-after-free in x login: \n", None);
        assert_eq!(decisions(&ev), [(false, "kernel-bug".into(), 1)]);
    }

    #[test]
    fn pattern_split_across_reads_still_matches() {
        let mut j = judge();
        assert!(decisions(&j.feed(b"[ 1.0] Kernel pa", None)).is_empty());
        let ev = j.feed(b"nic - not syncing: boom\n", None);
        assert_eq!(decisions(&ev), [(false, "kernel-panic".into(), 1)]);
    }

    #[test]
    fn failure_before_success_wins_and_milestones_are_recorded() {
        let mut j = judge();
        let ev = j.feed(
            b"Linux version 6.1\nRun /init as init process\nthread 'main' panicked at src/main.rs:1:1:\nx login: \n",
            Some(1),
        );
        assert_eq!(decisions(&ev)[0], (false, "rust-panic".into(), 3));
        assert!(j.milestones.kernel.is_some());
        assert!(j.milestones.initrd.is_some());
    }

    #[test]
    fn quiet_mode_ignores_failures_but_keeps_transcript() {
        let mut j = judge();
        j.decided = true;
        j.quiet = true;
        j.start_transcript();
        let ev = j.feed(b"BUG: this is probe output\n", None);
        assert!(decisions(&ev).is_empty());
        assert_eq!(j.transcript_view(), "BUG: this is probe output\n");
    }

    #[test]
    fn needle_prefilter_judges_exactly_like_full_matching() {
        use crate::patterns::{Class, Pattern};
        // An unguarded pattern that matches every chunk forces the slow
        // path: every line matched against the whole set.
        let slow = || {
            Judge::new(
                PatternSet::new(&Overrides {
                    extra: vec![Pattern::new(
                        PatternKind::parse("every-line"),
                        Class::Milestone,
                        "(?m)^",
                    )],
                    ..Default::default()
                })
                .unwrap(),
            )
        };
        let logs: [&[u8]; 7] = [
            include_bytes!("../tests/fixtures/nixos-good-boot.log"),
            include_bytes!("../tests/fixtures/kernel-panic.log"),
            include_bytes!("../tests/fixtures/rust-panic.log"),
            include_bytes!("../tests/fixtures/emergency.log"),
            include_bytes!("../tests/fixtures/stage1.log"),
            include_bytes!("../tests/fixtures/rust-programs/pid1-expect.log"),
            include_bytes!("../tests/fixtures/rust-programs/pid1-thread-backtrace.log"),
        ];
        for log in logs {
            for chunk in [7usize, 64, 4096] {
                let (mut fast, mut full) = (judge(), slow());
                let (mut ef, mut es) = (Vec::new(), Vec::new());
                for c in log.chunks(chunk) {
                    ef.extend(fast.feed(c, None));
                    es.extend(full.feed(c, None));
                }
                ef.extend(fast.finish(None));
                es.extend(full.finish(None));
                assert_eq!(ef, es, "chunk size {chunk}");
                assert_eq!(fast.milestones, full.milestones);
                assert_eq!(fast.last_lines(), full.last_lines());
                assert_eq!(fast.lines_seen(), full.lines_seen());
                assert_eq!(fast.around(), full.around(), "chunk size {chunk}");
            }
        }
    }

    #[test]
    fn lines_around_the_first_failure_whatever_the_chunks() {
        let log: &[u8] = include_bytes!("../tests/fixtures/rust-programs/pid1-expect.log");
        let mut whole = judge();
        whole.feed(log, None);
        let want = whole.around().cloned().unwrap();
        assert_eq!(want.before.len(), CONTEXT_BEFORE);
        assert_eq!(want.after.len(), crate::rust::AFTER_LINES);
        assert!(want.after[2].contains("Kernel panic - not syncing"));
        for chunk in [1usize, 13, 200, 4096] {
            let mut j = judge();
            for c in log.chunks(chunk) {
                j.feed(c, None);
            }
            assert_eq!(j.around(), Some(&want), "chunk size {chunk}");
        }
    }

    #[test]
    fn kernel_panic_during_a_probe_still_fails() {
        let mut j = judge();
        j.decided = true;
        j.quiet = true;
        let ev = j.feed(
            b"[    9.000001] BUG: from dmesg\nKernel panic - not syncing: echoed text\n",
            None,
        );
        assert!(decisions(&ev).is_empty());
        let ev = j.feed(
            b"[    2.190090] Kernel panic - not syncing: sysrq triggered crash\n",
            None,
        );
        assert_eq!(decisions(&ev), [(false, "kernel-panic".into(), 3)]);
    }

    #[test]
    fn consumed_prompt_stays_consumed_when_its_line_completes() {
        let mut j = judge();
        j.decided = true;
        j.start_transcript();
        j.feed(b"login: me\r\nPassword: ", None);
        let view = j.transcript_view();
        assert_eq!(view, "login: me\nPassword: ");
        j.consume_transcript(view.len());
        assert_eq!(j.transcript_view(), "");
        j.feed(b"\r\n$ READY\n", None);
        assert_eq!(j.transcript_view(), "\n$ READY\n");
    }
}
