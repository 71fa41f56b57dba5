//! The module's allocator: power-of-two size classes over `memory.grow`, in
//! place of std's dlmalloc, which is ~9 KB of the module's code (~4 KB
//! gzipped) for coalescing and trimming that a module serving calls of a few
//! recurring sizes does not need (docs/decisions.md, "WASM size, issue 21").
//!
//! Every block is a power of two from 16 bytes, aligned to its size (up to a
//! 64 KiB page), so any block of a class serves any layout of that class. A
//! freed block goes to the front of its class's list and is reused by the next
//! allocation of that class: O(1) both ways. Blocks are never split or merged;
//! the padding skipped to align a new block is cut into the largest aligned
//! blocks that fit and put on their lists, so no address range is lost. Memory
//! is never returned (WebAssembly memory cannot shrink anyway).
//!
//! Like dlmalloc, it does not wipe freed blocks: what holds a secret wipes it
//! on drop (`Zeroizing`, the core's `Secret`), which js/wasm/test/memory.test.mjs
//! checks over the whole memory.
//!
//! Only for wasm32 without threads (wasm-bindgen's default build): the state
//! lives in `Cell`s, which one thread alone touches. The tests below run it on
//! the host over a fake memory.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::ptr;

/// WebAssembly's page, the unit of `memory.grow`.
const PAGE: usize = 64 * 1024;
/// The smallest block, 2^4 = 16 bytes: room for the free list's link, and the
/// largest alignment Rust asks for on wasm32 (`u128`).
const MIN_CLASS: u32 = 4;
/// One class per power of two a wasm32 address can hold.
const CLASSES: usize = usize::BITS as usize;

/// The allocator's state: one free list per class, and the untouched memory
/// between `next` and `end` that new blocks are cut from.
pub struct SizeClasses {
    /// The first free block of each class, 0 when there is none; each free
    /// block holds the address of the next one in its first word.
    free: [Cell<usize>; CLASSES],
    next: Cell<usize>,
    end: Cell<usize>,
    /// `memory.grow`: grows the memory by a number of pages, answers the old
    /// size in pages, or `usize::MAX` when it cannot.
    grow: fn(usize) -> usize,
}

/// `memory.grow` on the module's memory.
#[cfg(target_arch = "wasm32")]
fn grow_memory(pages: usize) -> usize {
    core::arch::wasm32::memory_grow::<0>(pages)
}

// SAFETY: wasm32-unknown-unknown without the `atomics` feature has one thread
// (the `cfg` on the module in lib.rs), so the `Cell`s are never shared.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    /// An allocator with no memory yet: it grows the memory at its first call.
    #[cfg(target_arch = "wasm32")]
    pub const fn new() -> SizeClasses {
        SizeClasses::growing_with(grow_memory)
    }

    /// An allocator over the memory that `grow` grows.
    const fn growing_with(grow: fn(usize) -> usize) -> SizeClasses {
        SizeClasses {
            free: [const { Cell::new(0) }; CLASSES],
            next: Cell::new(0),
            end: Cell::new(0),
            grow,
        }
    }

    /// `layout`'s class: log2 of the smallest block that holds and aligns it
    /// (`None` beyond the largest block).
    fn class(layout: Layout) -> Option<u32> {
        let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
        Some(size.checked_next_power_of_two()?.trailing_zeros())
    }

    /// Puts the free block at `address` on the list of `class`.
    ///
    /// # Safety
    /// `address` is a block of `class` that nothing uses.
    unsafe fn push(&self, address: usize, class: u32) {
        let head = &self.free[class as usize];
        // SAFETY: the block is ours, unused, and at least a word long and aligned.
        unsafe { (address as *mut usize).write(head.get()) };
        head.set(address);
    }

    /// A new block of `class` from untouched memory, growing the memory when
    /// needed; 0 when the memory cannot grow.
    fn carve(&self, class: u32) -> usize {
        let size = 1usize << class;
        let align = size.min(PAGE);
        loop {
            let next = self.next.get();
            let start = (next + (align - 1)) & !(align - 1);
            match start.checked_add(size) {
                Some(stop) if start >= next && stop <= self.end.get() => {
                    // The padding, cut into the largest aligned blocks that fit
                    // (each the lowest set bit of the address reached; `next`
                    // and `start` are multiples of 16, `start` of `align`).
                    let mut at = next;
                    while at < start {
                        let block = at & at.wrapping_neg();
                        // SAFETY: [at, at + block) is untouched memory below `start`.
                        unsafe { self.push(at, block.trailing_zeros()) };
                        at += block;
                    }
                    self.next.set(stop);
                    return start;
                }
                _ => {}
            }
            // Grow by what the block needs from `end`, alignment included.
            let needed = size.saturating_add(align);
            let pages = needed.div_ceil(PAGE);
            let previous = (self.grow)(pages);
            if previous == usize::MAX {
                return 0;
            }
            let base = previous * PAGE;
            if base != self.end.get() {
                // The first growth (or memory grown by someone else): carve from
                // the new pages only.
                self.next.set(base);
            }
            self.end.set(base + pages * PAGE);
        }
    }
}

#[cfg(target_arch = "wasm32")]
impl Default for SizeClasses {
    fn default() -> SizeClasses {
        SizeClasses::new()
    }
}

// SAFETY: blocks are handed out once until freed, sized and aligned for their
// layout's class, and `dealloc` and `realloc` take the class from the layout
// the block was allocated with, as `GlobalAlloc` requires callers to pass.
unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = SizeClasses::class(layout) else {
            return ptr::null_mut();
        };
        let head = &self.free[class as usize];
        let block = head.get();
        if block != 0 {
            // SAFETY: a free block's first word links to the next free block.
            head.set(unsafe { (block as *const usize).read() });
            return block as *mut u8;
        }
        self.carve(class) as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some(class) = SizeClasses::class(layout) {
            // SAFETY: the caller frees a block it allocated with `layout`.
            unsafe { self.push(block as usize, class) };
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller passes a valid new size for `layout`'s alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if SizeClasses::class(new_layout) == SizeClasses::class(layout) {
            return block; // the block already holds the new size
        }
        // SAFETY: as for `alloc`; the copy is within both blocks.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SizeClasses, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The fake memory: 32 MiB from the host allocator, page-aligned; pages
    /// are handed out from its start.
    const PAGES: usize = 512;
    static BASE: AtomicUsize = AtomicUsize::new(0);
    static USED: AtomicUsize = AtomicUsize::new(0);

    fn grow(pages: usize) -> usize {
        let used = USED.load(Ordering::Relaxed);
        if used + pages > PAGES {
            return usize::MAX;
        }
        USED.store(used + pages, Ordering::Relaxed);
        BASE.load(Ordering::Relaxed) / PAGE + used
    }

    /// Random allocations, reallocations and frees of sizes from 1 byte to
    /// 300 KB: every block is aligned, inside the memory, and keeps its bytes
    /// until freed (no two live blocks overlap); memory runs out as null.
    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let region = Layout::from_size_align(PAGES * PAGE, PAGE).unwrap();
        // SAFETY: a non-zero size.
        let base = unsafe { std::alloc::alloc(region) } as usize;
        assert_ne!(base, 0);
        BASE.store(base, Ordering::Relaxed);
        let heap = SizeClasses::growing_with(grow);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let intact = |(block, layout, tag): (*mut u8, Layout, u8)| {
            // SAFETY: a live block of layout.size() bytes.
            let bytes = unsafe { std::slice::from_raw_parts(block, layout.size()) };
            assert!(bytes.iter().all(|b| *b == tag), "a block was overwritten");
        };
        for step in 0..40_000 {
            let action = random(10);
            if action < 5 || live.is_empty() {
                let size = match random(4) {
                    0 => 1 + random(300_000),
                    1 => 1 + random(5_000),
                    _ => 1 + random(100),
                };
                let layout = Layout::from_size_align(size, 1 << random(5)).unwrap();
                // SAFETY: a non-zero size.
                let block = unsafe { heap.alloc(layout) };
                if block.is_null() {
                    continue; // the fake memory is full
                }
                let address = block as usize;
                assert_eq!(address % layout.align(), 0);
                assert!(address >= base && address + size <= base + PAGES * PAGE);
                let tag = step as u8;
                // SAFETY: the block holds `size` bytes.
                unsafe { block.write_bytes(tag, size) };
                live.push((block, layout, tag));
            } else if action < 7 {
                let (block, layout, tag) = live.swap_remove(random(live.len()));
                intact((block, layout, tag));
                let new_size = 1 + random(2 * layout.size() + 64);
                // SAFETY: a live block of `layout`, a non-zero new size.
                let moved = unsafe { heap.realloc(block, layout, new_size) };
                if moved.is_null() {
                    live.push((block, layout, tag));
                    continue;
                }
                let kept = layout.size().min(new_size);
                // SAFETY: the moved block holds `new_size` bytes.
                let bytes = unsafe { std::slice::from_raw_parts_mut(moved, new_size) };
                assert!(
                    bytes[..kept].iter().all(|b| *b == tag),
                    "realloc lost bytes"
                );
                bytes.fill(tag);
                let layout = Layout::from_size_align(new_size, layout.align()).unwrap();
                live.push((moved, layout, tag));
            } else {
                let (block, layout, tag) = live.swap_remove(random(live.len()));
                intact((block, layout, tag));
                // SAFETY: a live block allocated with `layout`.
                unsafe { heap.dealloc(block, layout) };
            }
        }
        for entry in live.drain(..) {
            intact(entry);
            // SAFETY: a live block allocated with its layout.
            unsafe { heap.dealloc(entry.0, entry.1) };
        }
        // Freed blocks are reused: a second round of the same small sizes
        // needs no new pages.
        let used = USED.load(Ordering::Relaxed);
        let small = Layout::from_size_align(24, 8).unwrap();
        // SAFETY: a non-zero size; freed right away.
        unsafe { heap.dealloc(heap.alloc(small), small) };
        assert_eq!(USED.load(Ordering::Relaxed), used);
        // Beyond the memory: null, not a block.
        let huge = Layout::from_size_align(PAGES * PAGE, 8).unwrap();
        // SAFETY: a non-zero size.
        assert!(unsafe { heap.alloc(huge) }.is_null());
        // SAFETY: the region allocated above; nothing uses it any more.
        unsafe { std::alloc::dealloc(base as *mut u8, region) };
    }
}
