//! Work spread over the machine's cores: each item taken by the next free thread, the results
//! kept in the items' order. A panic in one thread is the caller's panic, as it would be
//! without threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many threads work at once: one a core.
pub fn count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// At most this many items are worked at once, however many cores there are: each may hold a
/// decoded picture (or an opened exhibit), and memory stays within a few of them.
const MOST: usize = 4;

/// How many threads work on items that each hold much memory: one a core, at most four.
pub fn workers() -> usize {
    count().min(MOST)
}

/// Lowers the calling thread's priority a little, where a thread has one of its own (Linux):
/// for work that runs ahead of what waits for it (the exhibits fetched ahead of the merge), so
/// that when the cores are short the threads further along (the packet's writer and its hash,
/// which a build waits for at its end) go first. Only a hint: nothing changes if it is refused.
pub fn run_behind() {
    #[cfg(target_os = "linux")]
    if let Ok(nice) = rustix::process::getpriority_process(None) {
        let _ = rustix::process::setpriority_process(None, (nice + 5).min(19));
    }
}

/// `work` done on every item, as many at a time as there are cores; the results in order.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = workers().min(items.len());
    if workers <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        threads.into_iter().flat_map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `work` done on every item in place, as many at a time as there are cores.
pub fn for_each_mut<T: Send>(items: &mut [T], work: impl Fn(&mut T) + Sync) {
    let workers = workers().min(items.len());
    if workers <= 1 {
        return items.iter_mut().for_each(work);
    }
    let queue = Mutex::new(items.iter_mut());
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| loop {
                    let Some(item) = queue.lock().unwrap_or_else(PoisonError::into_inner).next() else { break };
                    work(item);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_worked_once_and_the_results_keep_their_order() {
        let items: Vec<u64> = (0..1000).collect();
        assert_eq!(map(&items, |&n| n * n), items.iter().map(|n| n * n).collect::<Vec<_>>());
        let mut counts = vec![0u32; 500];
        for_each_mut(&mut counts, |c| *c += 1);
        assert!(counts.iter().all(|&c| c == 1));
        assert!(map(&[] as &[u8], |_| 0).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panic_in_a_thread_is_the_callers() {
        let items: Vec<u32> = (0..20).collect();
        map(&items, |&n| assert!(n != 7, "item {n}"));
    }

    #[test]
    #[should_panic(expected = "item 9")]
    fn a_panic_in_a_thread_working_in_place_is_the_callers() {
        let mut items: Vec<u32> = (0..20).collect();
        for_each_mut(&mut items, |n| assert!(*n != 9, "item {n}"));
    }
}
