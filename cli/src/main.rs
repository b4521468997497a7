use std::process::ExitCode;

// A plan of a large model makes hundreds of thousands of small allocations (YAML nodes,
// catalog rows, rendered SQL); glibc's allocator spent about a third of the client's CPU
// time on them (perf, 1,000-table model). Without transparent huge pages (`no_thp`): with
// them, a run after another process freed much memory spent ~0.1 s in the kernel
// compacting memory for its 2 MiB pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    schemactl::cli::main()
}
