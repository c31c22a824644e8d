/*
 * C ABI of the Rust hotspot crate (service/hotspot), as called from Go through cgo.
 * Kept by hand; tests/header.rs checks every prototype here against the crate's exports.
 *
 * Conventions: inputs are Go memory read in place (never retained past the call); outputs go into
 * buffers Go allocated. Every function that can fail returns an int32_t status:
 *   HOTSPOT_OK, HOTSPOT_SHORT_BUFFER (*out_len holds the size needed), or a negative error.
 */
#ifndef HOTSWAP_HOTSPOT_H
#define HOTSWAP_HOTSPOT_H

#include <stddef.h>
#include <stdint.h>

#define HOTSPOT_OK 0
#define HOTSPOT_SHORT_BUFFER 1
#define HOTSPOT_ERR_PANIC (-1)
#define HOTSPOT_ERR_ARGUMENT (-2)
#define HOTSPOT_ERR_INJECTED (-3)

/* Does nothing: measures the bare cost of one cgo crossing. */
int32_t hotspot_noop(void);

/* Number of scan rules; counts passed to hotspot_scan must hold at least this many. */
uint32_t hotspot_rule_count(void);

/* Scans and redacts in; writes the redacted bytes to out and one count per rule to counts. */
int32_t hotspot_scan(const uint8_t *input, size_t input_len, uint8_t *out, size_t out_cap,
                     size_t *out_len, uint32_t *counts, size_t counts_len);

/* Normalises one field value; the result is never longer than the input. */
int32_t hotspot_field(const uint8_t *input, size_t input_len, uint8_t *out, size_t out_cap,
                      size_t *out_len, uint8_t *kind);

/* Normalises n field values in one crossing. Value i is input[ends[i-1]..ends[i]]; results are
 * written back to back into out, with out_ends and kinds filled the same way. */
int32_t hotspot_fields_batch(const uint8_t *input, size_t input_len, const uint32_t *ends, size_t n,
                             uint8_t *out, size_t out_cap, uint32_t *out_ends, uint8_t *kinds);

/* The orders endpoint's small kernel: result[0] = items, result[1] = total cents, result[2] = checksum. */
int32_t hotspot_order(const uint8_t *id, size_t id_len, uint64_t *result);

/* Bytes the crate has allocated since start (its counting global allocator). */
uint64_t hotspot_alloc_bytes_total(void);

/* Test-only: when enabled, inputs holding HOTSWAP-TEST-PANIC panic and HOTSWAP-TEST-ERROR fail. */
void hotspot_set_test_hooks(int32_t enabled);

#endif
