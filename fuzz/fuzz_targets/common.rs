#![allow(dead_code)] // each target uses a part of it
// Shared by the structure-aware targets: bounds every run must keep. A reader
// that is slow or hungry on some input fails the target as a crash would.
use std::time::{Duration, Instant};

/// Per input, plus `TIME_PER_MB` for each megabyte of it: a reader must be
/// linear, and the fuzzer's build is instrumented and sanitised (slow).
pub const TIME: Duration = Duration::from_secs(2);
pub const TIME_PER_MB: Duration = Duration::from_secs(1);
/// Bytes the reader's output may hold per byte of input (plus a constant).
pub const GROWTH: usize = 64;

/// An unoptimised build (`scripts/fuzz.sh --dev`, the test suite's smoke run; it
/// has debug assertions, an optimised one has not) runs readers about ten times
/// slower: the bounds stretch with it instead of failing on the build.
pub const SLOWDOWN: u32 = if cfg!(debug_assertions) { 10 } else { 1 };

pub fn timed<T>(what: &str, input_len: usize, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    let allowed = (TIME + TIME_PER_MB * (input_len >> 20) as u32) * SLOWDOWN;
    assert!(took < allowed, "{what}: {took:?} for {input_len} bytes of input");
    out
}

pub fn bounded(what: &str, input_len: usize, output_len: usize) {
    assert!(
        output_len <= input_len * GROWTH + (1 << 16),
        "{what}: {output_len} bytes out of {input_len} in"
    );
}

/// Identifiers the generators pick from: repeated, one letter, paths, non-ASCII,
/// XML metacharacters, and a real UUID.
pub const IDS: &[&str] = &[
    "e", "a", "ee", "../../../../zipslip", "é", "ü\"><x", "{0192F0C2-7A3B-7CDE-8F00-123456789ABC}",
    "0192f0c2-7a3b-7cde-8f00-123456789abc", "", "urn:uuid:x", "a/b/c",
];
