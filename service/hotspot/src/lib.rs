//! hotswap's Rust hotspot: the scan, fields and orders kernels behind a C ABI for cgo (see
//! `include/hotspot.h`). Every export catches panics (the crate keeps `panic = "unwind"`) and turns them
//! into `HOTSPOT_ERR_PANIC`, so a Rust bug costs one request a Go fallback, not the process. Inputs are
//! Go's bytes read in place; outputs are written into buffers Go allocated.

pub mod alloc;
pub mod fields;
pub mod orders;
pub mod scan;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

pub const HOTSPOT_OK: i32 = 0;
pub const HOTSPOT_SHORT_BUFFER: i32 = 1;
pub const HOTSPOT_ERR_PANIC: i32 = -1;
pub const HOTSPOT_ERR_ARGUMENT: i32 = -2;
pub const HOTSPOT_ERR_INJECTED: i32 = -3;

static TEST_HOOKS: AtomicBool = AtomicBool::new(false);
const TEST_PANIC: &[u8] = b"HOTSWAP-TEST-PANIC";
const TEST_ERROR: &[u8] = b"HOTSWAP-TEST-ERROR";

/// Test-only fault injection, off unless the service enables it (env HOTSWAP_TEST_FAULTS=1).
fn injected_fault(input: &[u8]) -> Result<(), i32> {
    if !TEST_HOOKS.load(Ordering::Relaxed) {
        return Ok(());
    }
    let has = |needle: &[u8]| input.windows(needle.len()).any(|w| w == needle);
    if has(TEST_PANIC) {
        panic!("injected test panic");
    }
    if has(TEST_ERROR) {
        return Err(HOTSPOT_ERR_INJECTED);
    }
    Ok(())
}

/// Runs `f`, mapping a panic to `HOTSPOT_ERR_PANIC` and an `Err` to its code.
fn guarded(f: impl FnOnce() -> Result<i32, i32>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(code)) | Ok(Err(code)) => code,
        Err(_) => HOTSPOT_ERR_PANIC,
    }
}

/// Borrows `len` bytes at `p` without copying; a null pointer is allowed only for an empty slice.
unsafe fn input<'a>(p: *const u8, len: usize) -> Result<&'a [u8], i32> {
    if len == 0 {
        Ok(&[])
    } else if p.is_null() {
        Err(HOTSPOT_ERR_ARGUMENT)
    } else {
        // SAFETY: the caller (Go) passes a live buffer of `len` bytes that it does not touch meanwhile.
        Ok(unsafe { std::slice::from_raw_parts(p, len) })
    }
}

/// Mutable view of a Go-allocated output buffer.
unsafe fn output<'a, T>(p: *mut T, len: usize) -> Result<&'a mut [T], i32> {
    if len == 0 {
        Ok(&mut [])
    } else if p.is_null() {
        Err(HOTSPOT_ERR_ARGUMENT)
    } else {
        // SAFETY: as for `input`; Go owns the buffer and lends it exclusively for the call.
        Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
    }
}

/// Does nothing: the bare cost of one cgo crossing.
#[unsafe(no_mangle)]
pub extern "C" fn hotspot_noop() -> i32 {
    // Guarded like every export (catch_unwind costs nothing unless something unwinds).
    guarded(|| Ok(HOTSPOT_OK))
}

/// Number of scan rules.
#[unsafe(no_mangle)]
pub extern "C" fn hotspot_rule_count() -> u32 {
    guarded(|| Ok(scan::RULES.len() as i32)) as u32
}

/// Scans and redacts `input` into `out`; see `include/hotspot.h`.
///
/// # Safety
/// Pointers must be valid for their lengths (or null with length 0) and `out_len` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hotspot_scan(
    input_ptr: *const u8,
    input_len: usize,
    out_ptr: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    counts_ptr: *mut u32,
    counts_len: usize,
) -> i32 {
    guarded(|| {
        let inp = unsafe { input(input_ptr, input_len)? };
        let out = unsafe { output(out_ptr, out_cap)? };
        let counts = unsafe { output(counts_ptr, counts_len)? };
        let out_len = unsafe { out_len.as_mut() }.ok_or(HOTSPOT_ERR_ARGUMENT)?;
        if counts.len() < scan::RULES.len() {
            return Err(HOTSPOT_ERR_ARGUMENT);
        }
        injected_fault(inp)?;
        let redacted = scan::scan(inp, counts);
        Ok(copy_out(&redacted, out, out_len))
    })
}

/// Normalises one field value into `out` (never longer than the input).
///
/// # Safety
/// Pointers must be valid for their lengths (or null with length 0); `out_len` and `kind` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hotspot_field(
    input_ptr: *const u8,
    input_len: usize,
    out_ptr: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    kind: *mut u8,
) -> i32 {
    guarded(|| {
        let inp = unsafe { input(input_ptr, input_len)? };
        let out = unsafe { output(out_ptr, out_cap)? };
        let out_len = unsafe { out_len.as_mut() }.ok_or(HOTSPOT_ERR_ARGUMENT)?;
        let kind = unsafe { kind.as_mut() }.ok_or(HOTSPOT_ERR_ARGUMENT)?;
        injected_fault(inp)?;
        let mut buf = Vec::with_capacity(inp.len());
        *kind = fields::normalize(inp, &mut buf);
        Ok(copy_out(&buf, out, out_len))
    })
}

/// Writes `result` into Go's buffer and its length into `out_len`. When the buffer is too small
/// nothing is copied and the caller gets HOTSPOT_SHORT_BUFFER with the length it needs.
fn copy_out(result: &[u8], out: &mut [u8], out_len: &mut usize) -> i32 {
    *out_len = result.len();
    match out.get_mut(..result.len()) {
        Some(dst) => {
            dst.copy_from_slice(result);
            HOTSPOT_OK
        }
        None => HOTSPOT_SHORT_BUFFER,
    }
}

/// Normalises `n` field values in one crossing; see `include/hotspot.h`.
///
/// # Safety
/// Pointers must be valid for their lengths: `ends`, `out_ends` and `kinds` for `n` elements.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hotspot_fields_batch(
    input_ptr: *const u8,
    input_len: usize,
    ends_ptr: *const u32,
    n: usize,
    out_ptr: *mut u8,
    out_cap: usize,
    out_ends_ptr: *mut u32,
    kinds_ptr: *mut u8,
) -> i32 {
    guarded(|| {
        let inp = unsafe { input(input_ptr, input_len)? };
        let ends: &[u32] = if n == 0 {
            &[]
        } else if ends_ptr.is_null() {
            return Err(HOTSPOT_ERR_ARGUMENT);
        } else {
            // SAFETY: Go passes `n` readable u32 values.
            unsafe { std::slice::from_raw_parts(ends_ptr, n) }
        };
        let out = unsafe { output(out_ptr, out_cap)? };
        let out_ends = unsafe { output(out_ends_ptr, n)? };
        let kinds = unsafe { output(kinds_ptr, n)? };
        injected_fault(inp)?;
        let mut buf = Vec::new();
        let (mut start, mut pos) = (0usize, 0usize);
        for i in 0..n {
            let end = ends[i] as usize;
            if end < start || end > inp.len() {
                return Err(HOTSPOT_ERR_ARGUMENT);
            }
            kinds[i] = fields::normalize(&inp[start..end], &mut buf);
            let dst = out
                .get_mut(pos..pos + buf.len())
                .ok_or(HOTSPOT_ERR_ARGUMENT)?;
            dst.copy_from_slice(&buf);
            pos += buf.len();
            out_ends[i] = pos as u32;
            start = end;
        }
        Ok(HOTSPOT_OK)
    })
}

/// The orders kernel; writes [items, total cents, checksum] to `result`.
///
/// # Safety
/// `id_ptr` valid for `id_len` bytes (or null with 0); `result` valid for 3 u64 values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hotspot_order(id_ptr: *const u8, id_len: usize, result: *mut u64) -> i32 {
    guarded(|| {
        let id = unsafe { input(id_ptr, id_len)? };
        let result = unsafe { output(result, 3)? };
        injected_fault(id)?;
        result.copy_from_slice(&orders::order(id));
        Ok(HOTSPOT_OK)
    })
}

/// Bytes allocated by the crate since start.
#[unsafe(no_mangle)]
pub extern "C" fn hotspot_alloc_bytes_total() -> u64 {
    // No panic may cross into Go; a counter that cannot be read reads as 0.
    catch_unwind(alloc::allocated_bytes).unwrap_or(0)
}

/// Turns the test-only fault injection on or off.
#[unsafe(no_mangle)]
pub extern "C" fn hotspot_set_test_hooks(enabled: i32) {
    let _ = catch_unwind(|| TEST_HOOKS.store(enabled != 0, Ordering::Relaxed));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_code() {
        hotspot_set_test_hooks(1);
        let input = b"x HOTSWAP-TEST-PANIC y";
        let mut out = vec![0u8; 64];
        let mut out_len = 0usize;
        let mut counts = vec![0u32; 20];
        let rc = unsafe {
            hotspot_scan(
                input.as_ptr(),
                input.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut out_len,
                counts.as_mut_ptr(),
                counts.len(),
            )
        };
        hotspot_set_test_hooks(0);
        assert_eq!(rc, HOTSPOT_ERR_PANIC);
    }

    #[test]
    fn a_short_buffer_reports_the_size_needed() {
        let input = b"mail a@b.co now";
        let mut out = vec![0u8; 4];
        let mut out_len = 0usize;
        let mut counts = vec![0u32; 20];
        let rc = unsafe {
            hotspot_scan(
                input.as_ptr(),
                input.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut out_len,
                counts.as_mut_ptr(),
                counts.len(),
            )
        };
        assert_eq!(rc, HOTSPOT_SHORT_BUFFER);
        assert_eq!(out_len, "mail [email] now".len());
    }

    #[test]
    fn null_input_with_length_is_an_argument_error() {
        let mut out_len = 0usize;
        let mut kind = 0u8;
        let rc = unsafe {
            hotspot_field(
                std::ptr::null(),
                3,
                std::ptr::null_mut(),
                0,
                &mut out_len,
                &mut kind,
            )
        };
        assert_eq!(rc, HOTSPOT_ERR_ARGUMENT);
    }

    #[test]
    fn the_allocator_counts_bytes() {
        let before = hotspot_alloc_bytes_total();
        let v = vec![0u8; 4096];
        assert!(hotspot_alloc_bytes_total() >= before + 4096);
        drop(v);
    }
}
