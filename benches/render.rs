//! In-memory rendering of the exports (`cargo bench --bench render`): the controller PDF and the
//! controller CSV of N activities already loaded from a synthetic register. Loading is set-up,
//! not measured; the HTTP, export-command and start-up benchmarks are the shell scripts beside
//! this file (docs/benchmarks.md).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ropa::demo::synthetic::{generate, Size};
use ropa::domain::vocab::Role;
use ropa::store::activities::{ActivityFilter, StatusFilter};
use ropa::store::records::Record;
use ropa::store::records::{load_record, Selection};

/// A controller record of a synthetic register with `n` activities, in memory.
fn record(dir: &tempfile::TempDir, n: usize) -> Record<'static> {
    let url = dir.path().join(format!("bench-{n}.sqlite3"));
    let pool = ropa::store::open(&url.to_string_lossy(), 1).expect("database");
    let mut conn = pool.get().expect("connection");
    generate(&mut conn, Size::new(n)).expect("synthetic register");
    let selection = Selection {
        role: Role::Controller,
        activity: None,
        filter: ActivityFilter {
            status: StatusFilter::All,
            ..Default::default()
        },
    };
    load_record(&mut conn, &selection, "All".into(), ropa::store::now()).expect("record")
}

fn exports(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("controller record");
    group.sample_size(10);
    for n in [100, 1000] {
        let record = record(&dir, n);
        group.throughput(Throughput::Elements(record.activities.len() as u64));
        group.bench_with_input(BenchmarkId::new("pdf", n), &record, |b, r| {
            b.iter(|| ropa::export::pdf::controller_pdf(black_box(r)).expect("pdf"))
        });
        group.bench_with_input(BenchmarkId::new("csv", n), &record, |b, r| {
            b.iter(|| {
                let mut w = ropa::export::csv::CsvWriter::new(Vec::new(), false).expect("csv");
                w.controller_header().expect("header");
                let orgs = &r.organisations;
                r.activities.for_each(|a| {
                    if let Some(org) = orgs.iter().find(|o| o.id == a.organisation_id) {
                        w.controller_row(org, a).expect("row");
                    }
                });
                w.finish().expect("finish")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, exports);
criterion_main!(benches);
