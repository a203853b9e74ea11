//! A whole build of the built-in pages in one pass over the personas, keeping memory flat.
//!
//! Every journey table is needed by five pages: its journey page, its persona's page, the
//! print page, the stage pages and the department pages. Kept for all of them, the tables of
//! a 10,000-persona site are about 180 MB. Here each persona's tables are made once, in
//! parallel chunks of personas taken in order, and used at once: the journey and persona
//! pages are written, the persona's part of the print page is written in order, and what the
//! stage and department pages need (each journey's cells and tasks at each stage) is
//! appended to [`Spill`]s, temporary files the operating system holds: per stage, one of
//! records (key factor cells, flags, tasks) and one of cells, laid out row by row within
//! each chunk ([`StageSpill`]); one for the tasks of all stages. Once the print page is
//! done, each stage and department page reads its spills back (a stage page its table a
//! row at a time) and is written from them,
//! through the same code as when the tables are kept ([`SiteRenderer::stage_page`],
//! [`SiteRenderer::department_page`]). The output is byte for byte the same either way;
//! `tests/native_render.rs` compares it with Tera's.
//!
//! Used when the site overrides none of those pages' templates; otherwise (and by `serve`,
//! which renders one page when asked) the tables are kept in a [`super::pages::TableCache`].

use std::io::{Read as _, Seek as _, Write as _};

use rayon::prelude::*;

use super::RenderError;
use super::context::{JourneyTable, LinkRef, NO_DEPARTMENT, TaskCtx};
use super::pages::{SiteRenderer, Slice};
use crate::model::{Id, Journey};

/// Personas rendered in parallel before their print parts are written and their slices
/// spilled: enough to keep two threads busy, few enough that their tables stay small.
const CHUNK: usize = 64;

/// Bytes appended now and read back whole later: a temporary file, or memory when no
/// temporary file can be made.
pub(super) struct Spill {
    file: Option<std::fs::File>,
    memory: Vec<u8>,
    /// Where the system cannot remove an open file: the file, removed when done.
    remove: Option<std::path::PathBuf>,
    /// Bytes appended.
    len: usize,
}

impl Spill {
    pub(super) fn new() -> Spill {
        let (file, remove) = match temporary_file() {
            Some((f, remove)) => (Some(f), remove),
            None => (None, None),
        };
        Spill {
            file,
            memory: Vec::new(),
            remove,
            len: 0,
        }
    }

    /// In memory only (for tests).
    #[cfg(test)]
    fn in_memory() -> Spill {
        Spill {
            file: None,
            memory: Vec::new(),
            remove: None,
            len: 0,
        }
    }

    pub(super) fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.len += bytes.len();
        match &mut self.file {
            Some(f) => f.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Everything appended, in order.
    pub(super) fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.read_into(&mut out)?;
        Ok(out)
    }

    /// How many bytes were appended.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The `len` bytes appended from `offset` on, added to the end of `out`.
    fn read_range_into(
        &mut self,
        offset: usize,
        len: usize,
        out: &mut Vec<u8>,
    ) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => {
                f.seek(std::io::SeekFrom::Start(offset as u64))?;
                let start = out.len();
                out.resize(start + len, 0);
                f.read_exact(&mut out[start..])
            }
            None => {
                let bytes = self.memory.get(offset..offset + len).ok_or_else(short)?;
                out.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Everything appended, in order, in place of what `out` held: one buffer, as large as
    /// the largest spill, serves one stage page after another (spills of 16–18 MB each on
    /// a 10,000-persona site, each allocated anew, left the allocator holding tens of
    /// megabytes it could not use again).
    pub(super) fn read_into(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        out.clear();
        match &mut self.file {
            Some(f) => {
                let len = f.seek(std::io::SeekFrom::End(0))?;
                f.rewind()?;
                out.reserve_exact(usize::try_from(len).unwrap_or(0));
                f.read_to_end(out)?;
            }
            None => out.append(&mut self.memory),
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(path) = self.remove.take() {
            self.file = None;
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A new file in the temporary folder, already removed from it where the system allows
/// (it then vanishes when closed, even if tabiji is killed); elsewhere, with its path, to
/// be removed when done.
fn temporary_file() -> Option<(std::fs::File, Option<std::path::PathBuf>)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir();
    // `TMPDIR=""` (or relative) would put spills in the current folder: memory then.
    if !dir.is_absolute() {
        return None;
    }
    for _ in 0..16 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("tabiji-spill-{}-{n}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(f) => {
                if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                    return Some((f, None));
                }
                return Some((f, Some(path)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

/// Appends a length-prefixed string.
fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

/// Appends a flag byte, then the string if there is one.
fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
}

fn put_tasks(out: &mut Vec<u8>, tasks: &[TaskCtx]) {
    put_u32(out, tasks.len());
    for t in tasks {
        put_str(out, &t.html);
        put_opt_str(out, t.kpi.as_deref());
        out.extend_from_slice(&t.department.to_le_bytes());
    }
}

/// Reads back what the `put_*` functions wrote. Spills are written and read by the same
/// build, so a short read means a bug (or a failing disk), reported as an I/O error.
struct Reader<'b> {
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    fn u32(&mut self) -> std::io::Result<usize> {
        let (head, rest) = self.bytes.split_first_chunk::<4>().ok_or_else(short)?;
        self.bytes = rest;
        Ok(u32::from_le_bytes(*head) as usize)
    }

    fn slice(&mut self) -> std::io::Result<&'b str> {
        std::str::from_utf8(self.raw()?).map_err(|_| short())
    }

    /// What [`put_str`] wrote, as bytes: laying spills out only moves strings, and checking
    /// that they are UTF-8 each time was 2 % of a build's CPU; they are checked where they
    /// are read back as text ([`Reader::slice`]).
    fn raw(&mut self) -> std::io::Result<&'b [u8]> {
        let len = self.u32()?;
        let (s, rest) = self.bytes.split_at_checked(len).ok_or_else(short)?;
        self.bytes = rest;
        Ok(s)
    }

    /// What [`put_opt_str`] wrote.
    fn opt_slice(&mut self) -> std::io::Result<Option<&'b str>> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.slice().map(Some),
        }
    }

    fn byte(&mut self) -> std::io::Result<u8> {
        let (&b, rest) = self.bytes.split_first().ok_or_else(short)?;
        self.bytes = rest;
        Ok(b)
    }

    /// The head of what [`block`] wrote: the ranks of its parts.
    fn block_ranks(&mut self) -> std::io::Result<Vec<usize>> {
        let k = self.u32()?;
        // Bounded by what is left: a damaged spill is an error, not a huge allocation.
        let mut ranks = Vec::with_capacity(k.min(self.bytes.len()));
        for _ in 0..k {
            ranks.push(self.u32()?);
        }
        Ok(ranks)
    }

    /// Past what [`put_tasks`] wrote, without reading it.
    fn skip_tasks(&mut self) -> std::io::Result<()> {
        for _ in 0..self.u32()? {
            self.raw()?;
            if self.byte()? != 0 {
                self.raw()?;
            }
            self.u32()?;
        }
        Ok(())
    }

    /// What [`put_tasks`] wrote, appended to `out`: one list for all journeys, not one
    /// small allocation per journey and stage.
    fn tasks_into(&mut self, out: &mut Vec<TaskCtx<'b>>) -> std::io::Result<()> {
        let n = self.u32()?;
        // Bounded by what is left: a damaged spill is an error, not a huge allocation.
        out.reserve(n.min(self.bytes.len()));
        for _ in 0..n {
            let html = self.slice()?.into();
            let kpi = self.opt_slice()?.map(Into::into);
            let department = u32::try_from(self.u32()?).unwrap_or(NO_DEPARTMENT);
            out.push(TaskCtx {
                html,
                kpi,
                department,
            });
        }
        Ok(())
    }
}

/// A failure of a spill file, said as a failure to use the temporary folder.
fn spill_error(source: std::io::Error) -> RenderError {
    RenderError::Io {
        path: std::env::temp_dir(),
        source,
    }
}

fn short() -> std::io::Error {
    std::io::Error::other("a spilled page part could not be read back")
}

/// One journey at one stage, as spilled for the stage page; its cells borrowed from the
/// spill's bytes.
#[derive(Default)]
struct StageRecord<'b> {
    /// The key factor cell at the stage (`""` where the site has no key factor row).
    key: &'b str,
    key_before: Option<&'b str>,
    /// [`Slice::key_filled`] and [`Slice::key_filled_before`].
    key_filled: (bool, bool),
    /// Where its tasks are in the list [`read_stage`] gives with the records.
    tasks: std::ops::Range<usize>,
}

/// What one persona's chunk job hands back to be written in order.
struct PersonaDone {
    print: String,
    /// Per journey: what it spills ([`Spilled`]).
    spilled: Vec<Spilled>,
}

/// What one journey spills: its rank; per stage, its record for the stage's records spill
/// and its cells (one `put_str` per row; the key factor cell is in the record too, for the
/// stage page's lists that come before the table); its record for the tasks spill.
struct Spilled {
    rank: usize,
    records: Vec<Vec<u8>>,
    cells: Vec<Vec<u8>>,
    tasks: Vec<u8>,
}

/// What a stage page reads back: its journeys' records (see [`stage_block`]) and their
/// cells, chunk after chunk, each chunk's laid out row by row ([`row_sections`]); `rows`
/// says where each row's part of each chunk is in `cells`, so that a row is read on its own.
/// (One file of cells per stage, not one per row: a site with many stages and rows would
/// otherwise hold hundreds of files open.)
struct StageSpill {
    records: Spill,
    cells: Spill,
    /// Per row, the (offset, length) of its part of each chunk in `cells`.
    rows: Vec<Vec<(usize, usize)>>,
}

impl StageSpill {
    fn new(rows: usize) -> StageSpill {
        StageSpill {
            records: Spill::new(),
            cells: Spill::new(),
            rows: vec![Vec::new(); rows],
        }
    }

    /// Appends a chunk's journeys' cells (each part one `put_str` per row), row by row.
    fn append_cells(&mut self, parts: &[&[u8]]) -> std::io::Result<()> {
        let sections = row_sections(parts, self.rows.len());
        for (row, bytes) in self.rows.iter_mut().zip(sections) {
            row.push((self.cells.len(), bytes.len()));
            self.cells.append(&bytes)?;
        }
        Ok(())
    }

    /// The largest any one row takes.
    fn largest_row(&self) -> usize {
        self.rows
            .iter()
            .map(|parts| parts.iter().map(|p| p.1).sum::<usize>())
            .max()
            .unwrap_or(0)
    }

    /// Row `row`'s cells of every chunk, in place of what `out` held.
    fn read_row_into(&mut self, row: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
        out.clear();
        let parts = self.rows.get(row).ok_or_else(short)?;
        for &(offset, len) in parts {
            self.cells.read_range_into(offset, len, out)?;
        }
        Ok(())
    }
}

impl SiteRenderer<'_> {
    /// Writes the persona, journey, print, stage and department pages in one pass (see the
    /// module's documentation). Returns how many pages it wrote.
    pub(super) fn stream(&self, sink: &super::Sink<'_>) -> Result<usize, RenderError> {
        let site = self.sh.site;
        let rank: std::collections::HashMap<&Id, usize> = site
            .journeys
            .keys()
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let stages = site.config.stages.len();
        let ki = self.key_row_index();
        let rows = site.config.rows.len();
        let mut stage_spills: Vec<StageSpill> =
            (0..stages).map(|_| StageSpill::new(rows)).collect();
        let mut task_spill = Spill::new();
        // The journeys' ranks in the order they are spilled: the order of the cells, which
        // (unlike the records and tasks spills) do not say whose they are.
        let mut order: Vec<usize> = Vec::with_capacity(site.journeys.len());
        let personas: Vec<&crate::model::Persona> = site.personas.values().map(|p| &**p).collect();
        // Journeys whose persona does not exist (a site with errors is not built, but the
        // renderer does not rely on it): after the personas, with no print part.
        let orphans: Vec<&Journey> = site
            .journeys
            .values()
            .filter(|j| !site.personas.contains_key(&j.persona.value))
            .map(|j| &**j)
            .collect();
        let pages = std::sync::atomic::AtomicUsize::new(0);
        let started = std::time::Instant::now();
        let lap = |what: &str| {
            if crate::profile::enabled() {
                eprintln!(
                    "stream: {what} after {:.1} ms{}",
                    started.elapsed().as_secs_f64() * 1e3,
                    crate::profile::heap_note()
                );
            }
        };

        // One persona: its tables, its pages, its print part, its journeys' slices.
        let persona_job = |p: Option<&crate::model::Persona>,
                           journeys: &[&Journey]|
         -> Result<PersonaDone, RenderError> {
            let tables: Vec<JourneyTable> =
                journeys.iter().map(|j| self.sh.journey_table(j)).collect();
            for (j, t) in journeys.iter().zip(&tables) {
                let page = self.journey_page(j, t)?;
                super::put(sink, &page.path, &page.bytes)?;
            }
            let mut print = String::new();
            if let Some(p) = p {
                // The page and the print part show the same tables and body: each written
                // (and the body parsed) once.
                let refs: Vec<&JourneyTable> = tables.iter().collect();
                let html = super::native::tables_html(&refs, &self.t);
                let (ctx, print_ctx) = self.persona_ctx_pair(p);
                let page = self.persona_page_with(p, &ctx, &html)?;
                super::put(sink, &page.path, &page.bytes)?;
                super::native::print_persona(&mut print, &print_ctx, &html);
            }
            pages.fetch_add(
                journeys.len() + usize::from(p.is_some()),
                std::sync::atomic::Ordering::Relaxed,
            );
            let spilled = journeys
                .iter()
                .zip(&tables)
                .map(|(j, t)| {
                    let rank = rank.get(&j.id).copied().unwrap_or(0);
                    let filled = self.key_filled(j);
                    let cell = |r: usize, i: usize| {
                        t.cells
                            .get(r)
                            .and_then(|row| row.get(i))
                            .map_or("", String::as_str)
                    };
                    let cells = (0..stages)
                        .map(|i| {
                            let mut out = Vec::new();
                            for r in 0..rows {
                                put_str(&mut out, cell(r, i));
                            }
                            out
                        })
                        .collect();
                    let records = (0..stages)
                        .map(|i| {
                            let mut out = Vec::new();
                            put_str(&mut out, ki.map_or("", |k| cell(k, i)));
                            let before = ki
                                .zip(i.checked_sub(1))
                                .and_then(|(k, p)| t.cells.get(k)?.get(p));
                            // The key factor cell at the stage before: the record's second
                            // string.
                            put_str(&mut out, before.map_or("", String::as_str));
                            let here = filled.get(i).copied().unwrap_or(false);
                            let earlier = i
                                .checked_sub(1)
                                .and_then(|p| filled.get(p).copied())
                                .unwrap_or(false);
                            out.push(
                                u8::from(here)
                                    | u8::from(earlier) << 1
                                    | u8::from(before.is_some()) << 2,
                            );
                            put_tasks(&mut out, t.task_html.get(i).map_or(&[], Vec::as_slice));
                            out
                        })
                        .collect();
                    let mut tasks = Vec::new();
                    for i in 0..stages {
                        put_tasks(&mut tasks, t.task_html.get(i).map_or(&[], Vec::as_slice));
                    }
                    Spilled {
                        rank,
                        records,
                        cells,
                        tasks,
                    }
                })
                .collect();
            Ok(PersonaDone { print, spilled })
        };

        let mut failure: Option<RenderError> = None;
        // A chunk's records are gathered per spill and appended in one write each.
        let spill = |done: &[PersonaDone],
                     stage_spills: &mut Vec<StageSpill>,
                     task_spill: &mut Spill,
                     order: &mut Vec<usize>|
         -> std::io::Result<()> {
            let journeys: Vec<&Spilled> = done.iter().flat_map(|d| &d.spilled).collect();
            order.extend(journeys.iter().map(|j| j.rank));
            for (i, s) in stage_spills.iter_mut().enumerate() {
                let parts: Vec<(usize, &[u8])> = journeys
                    .iter()
                    .map(|j| (j.rank, j.records.get(i).map_or(&[][..], Vec::as_slice)))
                    .collect();
                s.records.append(&stage_block(&parts))?;
                let cells: Vec<&[u8]> = journeys
                    .iter()
                    .map(|j| j.cells.get(i).map_or(&[][..], Vec::as_slice))
                    .collect();
                s.append_cells(&cells)?;
            }
            let parts: Vec<(usize, &[u8])> = journeys
                .iter()
                .map(|j| (j.rank, j.tasks.as_slice()))
                .collect();
            task_spill.append(&task_block(&parts, stages))
        };
        let print = self.print_frame();
        sink("print/index.html", &mut |w| {
            w.write_all(print.head.as_bytes())?;
            for chunk in personas.chunks(CHUNK) {
                let done: Vec<Result<PersonaDone, RenderError>> = chunk
                    .par_iter()
                    .map(|p| persona_job(Some(p), self.sh.journeys_of(&p.id)))
                    .collect();
                let done = match done.into_iter().collect::<Result<Vec<_>, _>>() {
                    Ok(d) => d,
                    Err(e) => {
                        failure = Some(e);
                        return Err(std::io::Error::other("a page failed"));
                    }
                };
                for d in &done {
                    w.write_all(d.print.as_bytes())?;
                }
                // A spill that fails is the temporary folder's fault, not the print page's.
                if let Err(e) = spill(&done, &mut stage_spills, &mut task_spill, &mut order) {
                    failure = Some(spill_error(e));
                    return Err(std::io::Error::other("a spill failed"));
                }
            }
            w.write_all(print.tail.as_bytes())
        })
        .map_err(|e| failure.take().unwrap_or(e))?;
        if !orphans.is_empty() {
            let d = persona_job(None, &orphans)?;
            spill(&[d], &mut stage_spills, &mut task_spill, &mut order).map_err(spill_error)?;
        }
        lap("persona, journey and print pages");
        // What follows allocates buffers the memory freed so far cannot serve.
        crate::memory::return_unused_memory_if_large();
        let journeys: Vec<&Journey> = site.journeys.values().map(|j| &**j).collect();
        let links: Vec<(super::context::Link, super::context::Link)> = journeys
            .iter()
            .map(|j| {
                (
                    self.sh.journey_link(j),
                    self.sh.persona_link(&j.persona.value),
                )
            })
            .collect();
        // Each journey's links as HTML, escaped once for all stage and department pages:
        // the persona's, the journey's, and the journey's by the persona's name.
        let anchors: Vec<[String; 3]> = links
            .iter()
            .map(|(journey, persona)| {
                let mut html = [String::new(), String::new(), String::new()];
                super::native::anchor(&mut html[0], &persona.url, &persona.name);
                super::native::anchor(&mut html[1], &journey.url, &journey.name);
                super::native::anchor(&mut html[2], &journey.url, &persona.name);
                html
            })
            .collect();
        let refs: Vec<(LinkRef<'_>, LinkRef<'_>, &str)> = links
            .iter()
            .zip(&anchors)
            .map(|((journey, persona), [p, j, source])| {
                (
                    LinkRef {
                        html: Some(j),
                        ..journey.as_ref()
                    },
                    LinkRef {
                        html: Some(p),
                        ..persona.as_ref()
                    },
                    source.as_str(),
                )
            })
            .collect();
        lap("links");
        // The stage pages, each from its spills, one per thread at a time. A page reads its
        // journeys' records whole and its table's cells a row at a time, so that what it
        // copies into the page was read moments before (a row is about 3 MB on a
        // 10,000-persona site; read whole, a stage's 18 MB of cells had left the CPU's
        // caches by the time the table copied them out, and held 18 MB per thread).
        let largest_records = stage_spills.iter().map(|s| s.records.len()).max();
        let largest_row = stage_spills.iter().map(StageSpill::largest_row).max();
        // Every journey is spilled once (its persona's, or an orphan): anything else is a
        // bug, reported rather than written as empty cells.
        if order.len() != journeys.len() {
            return Err(spill_error(short()));
        }
        let order = &order;
        let staged = stage_spills
            .into_par_iter()
            .enumerate()
            .map_init(
                || {
                    (
                        Vec::with_capacity(largest_records.unwrap_or(0)),
                        Vec::with_capacity(largest_row.unwrap_or(0)),
                    )
                },
                |(bytes, row_bytes), (i, mut spill)| {
                    let started = std::time::Instant::now();
                    spill.records.read_into(bytes).map_err(spill_error)?;
                    let (records, tasks) =
                        read_stage(bytes, journeys.len()).map_err(spill_error)?;
                    let slices: Vec<Slice<'_>> = journeys
                        .iter()
                        .zip(&refs)
                        .zip(&records)
                        .map(|((j, &(link, persona, source)), r)| Slice {
                            journey: j,
                            link,
                            persona,
                            cells: &[],
                            key: r.key,
                            key_before: r.key_before,
                            key_filled: r.key_filled.0,
                            key_filled_before: r.key_filled.1,
                            tasks: tasks.get(r.tasks.clone()).unwrap_or(&[]),
                            source: Some(source),
                        })
                        .collect();
                    // A row that cannot be read back is the temporary folder's fault, not
                    // the page's: kept here, and said as such once the page gives up.
                    let mut failure: Option<std::io::Error> = None;
                    let mut rows_from =
                        |row: usize, write: &mut dyn FnMut(&[&str]) -> std::io::Result<()>| {
                            let read = spill
                                .read_row_into(row, row_bytes)
                                .and_then(|()| read_row(row_bytes, order));
                            match read {
                                Ok(cells) => write(&cells),
                                Err(e) => {
                                    failure = Some(e);
                                    Err(std::io::Error::other("a spilled row failed"))
                                }
                            }
                        };
                    let page = self.stage_page(i, &slices, Some(sink), Some(&mut rows_from));
                    let page = page.map_err(|e| failure.take().map_or(e, spill_error))?;
                    if let Some(page) = page {
                        super::put(sink, &page.path, &page.bytes)?;
                    }
                    if crate::profile::enabled() {
                        eprintln!(
                            "stream: stage page {i}: {:.1} ms",
                            started.elapsed().as_secs_f64() * 1e3,
                        );
                    }
                    Ok(1)
                },
            )
            .sum::<Result<usize, RenderError>>()?;
        lap("stage pages");
        // …then the department pages, from every journey's tasks.
        let task_bytes = task_spill.read_all().map_err(spill_error)?;
        drop(task_spill);
        // The tasks borrow from the spill's bytes, which stay until the last department.
        let (tasks, ranges) =
            read_tasks(&task_bytes, journeys.len(), stages).map_err(spill_error)?;
        let departments: Vec<&crate::model::Department> =
            site.departments.values().map(|d| &**d).collect();
        // The same slices serve every department page (each reads its own tasks from them).
        let by_stage: Vec<Vec<Slice<'_>>> = (0..stages)
            .map(|i| {
                journeys
                    .iter()
                    .zip(&refs)
                    .enumerate()
                    .map(|(rank, (j, &(link, persona, source)))| Slice {
                        journey: j,
                        link,
                        persona,
                        cells: &[],
                        key: "",
                        key_before: None,
                        key_filled: false,
                        key_filled_before: false,
                        tasks: tasks_at(&tasks, &ranges, rank * stages + i),
                        source: Some(source),
                    })
                    .collect()
            })
            .collect();
        let departed = departments
            .par_iter()
            .map(|d| {
                if let Some(page) = self.department_page(d, &by_stage, Some(sink))? {
                    super::put(sink, &page.path, &page.bytes)?;
                }
                Ok(1)
            })
            .sum::<Result<usize, RenderError>>()?;
        lap("department pages");
        let n_pages = pages.load(std::sync::atomic::Ordering::Relaxed) + 1 + staged + departed;
        Ok(n_pages)
    }
}

/// A chunk's journeys laid out for a stage's records spill: how many, their ranks, their
/// key factor cells at the stage, journey after journey, the same at the stage before,
/// then what each journey has besides (the flags, the tasks). The table's cells go to the
/// row spills instead ([`row_sections`]).
///
/// Each part is a journey's record: its key factor cell at the stage and at the stage
/// before (`put_str` each), then its flags and tasks.
fn stage_block(parts: &[(usize, &[u8])]) -> Vec<u8> {
    block(parts, 2, |r| r.raw().map(drop))
}

/// A chunk's journeys' cells (each part one `put_str` per row) laid out row by row: what
/// each row spill gets of the chunk.
fn row_sections(parts: &[&[u8]], rows: usize) -> Vec<Vec<u8>> {
    let mut rest: Vec<&[u8]> = parts.to_vec();
    (0..rows)
        .map(|_| {
            let mut out = Vec::new();
            take_section(&mut rest, |r| r.raw().map(drop), &mut out);
            out
        })
        .collect()
}

/// Moves one item (as far as `skip` reads) off the front of each part into `out`, part
/// after part.
fn take_section(
    parts: &mut [&[u8]],
    skip: impl Fn(&mut Reader<'_>) -> std::io::Result<()>,
    out: &mut Vec<u8>,
) {
    for bytes in parts {
        let mut r = Reader { bytes };
        // Written just before by the `put_*` functions: a short part is a bug; what is
        // there is kept, and reading it back fails.
        let end = match skip(&mut r) {
            Ok(()) => bytes.len() - r.bytes.len(),
            Err(_) => bytes.len(),
        };
        out.extend_from_slice(&bytes[..end]);
        *bytes = &bytes[end..];
    }
}

/// A row's cells (as [`StageSpill::read_row_into`] gives them) by journey rank, from the
/// ranks in the order the journeys were spilled: an error unless there is exactly one cell
/// per journey.
fn read_row<'b>(bytes: &'b [u8], order: &[usize]) -> std::io::Result<Vec<&'b str>> {
    let mut cells = vec![""; order.len()];
    let mut r = Reader { bytes };
    for &rank in order {
        let cell = r.slice()?;
        *cells.get_mut(rank).ok_or_else(short)? = cell;
    }
    if r.bytes.is_empty() {
        Ok(cells)
    } else {
        Err(short())
    }
}

/// Journeys' parts laid out section by section: how many parts, their ranks, then each of
/// `sections` items (as far as `skip` reads one) part after part, then what is left of
/// each part. [`Reader::block_ranks`] reads the head back.
fn block(
    parts: &[(usize, &[u8])],
    sections: usize,
    skip: impl Fn(&mut Reader<'_>) -> std::io::Result<()>,
) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(4 + parts.len() * 4 + parts.iter().map(|p| p.1.len()).sum::<usize>());
    put_u32(&mut out, parts.len());
    for (rank, _) in parts {
        put_u32(&mut out, *rank);
    }
    let mut rest: Vec<&[u8]> = parts.iter().map(|p| p.1).collect();
    for _ in 0..sections {
        take_section(&mut rest, &skip, &mut out);
    }
    for bytes in rest {
        out.extend_from_slice(bytes);
    }
    out
}

/// A stage's records spill read back: the records by journey rank (an empty one for a
/// journey the spill does not have), and the tasks of all of them in one list, which each
/// record's `tasks` range points into. A rank beyond the journeys is a damaged spill.
fn read_stage(
    bytes: &[u8],
    journeys: usize,
) -> std::io::Result<(Vec<StageRecord<'_>>, Vec<TaskCtx<'_>>)> {
    let mut out: Vec<StageRecord> = (0..journeys).map(|_| StageRecord::default()).collect();
    let mut tasks = Vec::new();
    let mut r = Reader { bytes };
    while !r.bytes.is_empty() {
        let ranks = r.block_ranks()?;
        let mut section = || {
            (0..ranks.len())
                .map(|_| r.slice())
                .collect::<std::io::Result<Vec<&str>>>()
        };
        let keys = section()?;
        let before = section()?;
        for ((&rank, key), before) in ranks.iter().zip(keys).zip(before) {
            let flags = r.byte()?;
            let start = tasks.len();
            r.tasks_into(&mut tasks)?;
            *out.get_mut(rank).ok_or_else(short)? = StageRecord {
                key,
                key_before: (flags & 4 != 0).then_some(before),
                key_filled: (flags & 1 != 0, flags & 2 != 0),
                tasks: start..tasks.len(),
            };
        }
    }
    Ok((out, tasks))
}

/// A chunk's journeys laid out for the tasks spill, as [`stage_block`] does for a stage:
/// how many, their ranks, then each stage's tasks, journey after journey. A department page
/// reads the tasks stage by stage. Each part is a journey's tasks at every stage
/// (`put_tasks` once per stage).
fn task_block(parts: &[(usize, &[u8])], stages: usize) -> Vec<u8> {
    block(parts, stages, |r| r.skip_tasks())
}

/// The tasks spill: each journey's tasks at each stage, by journey rank.
///
/// All tasks are in one list, in the spill's order; `ranges[rank * stages + stage]` says
/// where a journey's tasks at a stage are in it (one list, not 80,000 small ones that every
/// department page walks through on a 10,000-persona site).
type TaskRanges = Vec<(u32, u32)>;

fn read_tasks(
    bytes: &[u8],
    journeys: usize,
    stages: usize,
) -> std::io::Result<(Vec<TaskCtx<'_>>, TaskRanges)> {
    let mut tasks = Vec::new();
    let mut ranges = vec![(0u32, 0u32); journeys * stages];
    let mut r = Reader { bytes };
    while !r.bytes.is_empty() {
        let ranks = r.block_ranks()?;
        for stage in 0..stages {
            for &rank in &ranks {
                let start = tasks.len();
                r.tasks_into(&mut tasks)?;
                let range = (
                    u32::try_from(start).unwrap_or(u32::MAX),
                    u32::try_from(tasks.len() - start).unwrap_or(0),
                );
                // A rank beyond the journeys is a damaged spill, as in `read_stage`.
                if rank >= journeys {
                    return Err(short());
                }
                *ranges.get_mut(rank * stages + stage).ok_or_else(short)? = range;
            }
        }
    }
    Ok((tasks, ranges))
}

/// A journey's tasks at a stage, from [`read_tasks`].
fn tasks_at<'t, 'b>(tasks: &'t [TaskCtx<'b>], ranges: &TaskRanges, at: usize) -> &'t [TaskCtx<'b>] {
    ranges
        .get(at)
        .and_then(|&(start, len)| tasks.get(start as usize..(start + len) as usize))
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_give_back_what_was_appended() {
        for mut s in [Spill::new(), Spill::in_memory()] {
            s.append(b"abc").expect("append");
            s.append("課題".as_bytes()).expect("append");
            assert_eq!(s.read_all().expect("read"), "abc課題".as_bytes());
        }
    }

    #[test]
    fn tasks_read_back_by_rank_and_stage() {
        let task = |html: &str, department: u32| TaskCtx {
            html: html.to_string().into(),
            kpi: (department == 1).then(|| "KPI".into()),
            department,
        };
        // Two journeys in one chunk (spilled out of rank order), two stages each.
        let part = |first: &[TaskCtx], second: &[TaskCtx]| {
            let mut bytes = Vec::new();
            put_tasks(&mut bytes, first);
            put_tasks(&mut bytes, second);
            bytes
        };
        let one = part(&[task("一A", 1)], &[task("一B", 2), task("一C", 0)]);
        let zero = part(&[], &[task("零B", 1)]);
        let bytes = task_block(&[(1, &one), (0, &zero)], 2);
        let (tasks, ranges) = read_tasks(&bytes, 2, 2).expect("read");
        let html = |rank: usize, stage: usize| -> Vec<String> {
            tasks_at(&tasks, &ranges, rank * 2 + stage)
                .iter()
                .map(|t| t.html.to_string())
                .collect()
        };
        assert_eq!(html(0, 0), Vec::<String>::new());
        assert_eq!(html(0, 1), ["零B"]);
        assert_eq!(html(1, 0), ["一A"]);
        assert_eq!(html(1, 1), ["一B", "一C"]);
        assert_eq!(tasks_at(&tasks, &ranges, 2)[0].kpi.as_deref(), Some("KPI"));
        assert_eq!(tasks_at(&tasks, &ranges, 3)[1].department, 0);
        assert!(read_tasks(&bytes[..bytes.len() - 1], 2, 2).is_err());
        // A rank beyond the journeys (here rank 1 of a site of one journey): damaged.
        assert!(read_tasks(&bytes, 1, 2).is_err());
    }

    #[test]
    fn records_read_back_by_rank() {
        // Two journeys of one chunk, spilled in the other order than their ranks; a second
        // chunk with a third journey.
        let part = |key: &str, key_before: Option<&str>, task: &str| {
            let mut bytes = Vec::new();
            put_str(&mut bytes, key);
            put_str(&mut bytes, key_before.unwrap_or(""));
            // The key factor filled here, not at the stage before; whether there is a cell before.
            bytes.push(1 | u8::from(key_before.is_some()) << 2);
            put_tasks(
                &mut bytes,
                &[TaskCtx {
                    html: task.to_string().into(),
                    kpi: Some("KPI".into()),
                    department: 3,
                }],
            );
            bytes
        };
        let later = part("後の決め手", Some("前の決め手"), "後の作業");
        let earlier = part("", None, "前の作業");
        let third = part("三の決め手", None, "三の作業");
        let mut bytes = stage_block(&[(1, &later), (0, &earlier)]);
        bytes.extend(stage_block(&[(2, &third)]));
        let (records, tasks) = read_stage(&bytes, 3).expect("read");
        let tasks_of = |r: usize| &tasks[records[r].tasks.clone()];
        assert_eq!(records[1].key, "後の決め手");
        assert_eq!(records[0].key, "");
        assert_eq!(records[1].key_before, Some("前の決め手"));
        assert_eq!(records[0].key_before, None);
        assert_eq!(records[1].key_filled, (true, false));
        assert_eq!(tasks_of(1)[0].html, "後の作業");
        assert_eq!(tasks_of(2)[0].html, "三の作業");
        assert_eq!(tasks_of(0)[0].html, "前の作業");
        assert_eq!(tasks_of(1)[0].kpi.as_deref(), Some("KPI"));
        assert_eq!(tasks_of(1)[0].department, 3);
        assert!(read_stage(&bytes[..bytes.len() - 1], 3).is_err());
        assert!(read_stage(&bytes, 2).is_err(), "rank 2 of two journeys");
    }

    #[test]
    fn rows_read_back_by_rank() {
        // Two chunks: ranks 1 and 0, then 2; two rows each.
        let cells = |row: [&str; 2]| {
            let mut bytes = Vec::new();
            for c in row {
                put_str(&mut bytes, c);
            }
            bytes
        };
        let (a, b, c) = (
            cells(["後1", "後2"]),
            cells(["前1", "前2"]),
            cells(["三1", ""]),
        );
        let memory = StageSpill {
            records: Spill::in_memory(),
            cells: Spill::in_memory(),
            rows: vec![Vec::new(); 2],
        };
        // In a temporary file and in memory alike.
        for mut spill in [StageSpill::new(2), memory] {
            spill.append_cells(&[&a, &b]).expect("append");
            spill.append_cells(&[&c]).expect("append");
            let order = [1, 0, 2];
            let mut bytes = vec![b'x'; 3];
            spill.read_row_into(0, &mut bytes).expect("row 0");
            assert_eq!(
                read_row(&bytes, &order).expect("row 0"),
                ["前1", "後1", "三1"]
            );
            spill.read_row_into(1, &mut bytes).expect("row 1");
            assert_eq!(read_row(&bytes, &order).expect("row 1"), ["前2", "後2", ""]);
            assert!(spill.read_row_into(2, &mut bytes).is_err(), "no such row");
            // Short, too long, or a rank out of range: an error, not a wrong page.
            spill.read_row_into(0, &mut bytes).expect("row 0");
            assert!(read_row(&bytes[..bytes.len() - 1], &order).is_err());
            assert!(read_row(&bytes, &order[..2]).is_err());
            assert!(read_row(&bytes, &[1, 0, 5]).is_err());
        }
    }

    /// One journey's part of a stage spill, as the persona pass writes it.
    #[derive(Clone, Debug)]
    struct Part {
        cells: Vec<String>,
        key: String,
        before: Option<String>,
        flags: u8,
        tasks: Vec<(String, Option<String>, u32)>,
    }

    fn record_bytes(p: &Part) -> Vec<u8> {
        let mut bytes = Vec::new();
        put_str(&mut bytes, &p.key);
        put_str(&mut bytes, p.before.as_deref().unwrap_or(""));
        bytes.push(p.flags | u8::from(p.before.is_some()) << 2);
        let tasks: Vec<TaskCtx> = p
            .tasks
            .iter()
            .map(|(html, kpi, department)| TaskCtx {
                html: html.as_str().into(),
                kpi: kpi.as_deref().map(Into::into),
                department: *department,
            })
            .collect();
        put_tasks(&mut bytes, &tasks);
        bytes
    }

    fn cell_bytes(p: &Part) -> Vec<u8> {
        let mut bytes = Vec::new();
        for c in &p.cells {
            put_str(&mut bytes, c);
        }
        bytes
    }

    fn part(rows: usize) -> impl proptest::strategy::Strategy<Value = Part> {
        use proptest::prelude::*;
        let text = "[a-z課題 ]{0,6}";
        (
            proptest::collection::vec(text, rows),
            text,
            proptest::option::of(text),
            0u8..4,
            proptest::collection::vec((text, proptest::option::of(text), 0u32..5), 0..4),
        )
            .prop_map(|(cells, key, before, flags, tasks)| Part {
                cells,
                key,
                before,
                flags,
                tasks,
            })
    }

    proptest::proptest! {
        /// Whatever the chunks and the order of ranks in them, a stage's spills read back
        /// give every journey its own cells, key factor cells, flags and tasks.
        #[test]
        fn stage_spills_round_trip(
            parts in proptest::collection::vec(part(3), 0..12),
            cut in 0usize..12,
            reversed in proptest::bool::ANY,
        ) {
            let n = parts.len();
            // Ranks: in order, or reversed, within chunks cut at `cut`.
            let rank = |i: usize| if reversed { n - 1 - i } else { i };
            let records_of: Vec<Vec<u8>> = parts.iter().map(record_bytes).collect();
            let cells_of: Vec<Vec<u8>> = parts.iter().map(cell_bytes).collect();
            let cut = cut.min(n);
            let mut spill = Vec::new();
            let mut stage = StageSpill {
                records: Spill::in_memory(),
                cells: Spill::in_memory(),
                rows: vec![Vec::new(); 3],
            };
            let mut order = Vec::new();
            for range in [0..cut, cut..n] {
                let chunk: Vec<(usize, &[u8])> =
                    range.clone().map(|i| (rank(i), records_of[i].as_slice())).collect();
                if !chunk.is_empty() {
                    spill.extend(stage_block(&chunk));
                    let cells: Vec<&[u8]> = range.clone().map(|i| cells_of[i].as_slice()).collect();
                    stage.append_cells(&cells).expect("append");
                    order.extend(range.map(rank));
                }
            }
            let (records, all_tasks) = read_stage(&spill, n).expect("read");
            let bytes: Vec<Vec<u8>> = (0..3)
                .map(|row| {
                    let mut bytes = Vec::new();
                    stage.read_row_into(row, &mut bytes).expect("row");
                    bytes
                })
                .collect();
            let rows: Vec<Vec<&str>> = bytes
                .iter()
                .map(|b| read_row(b, &order).expect("row"))
                .collect();
            for (i, p) in parts.iter().enumerate() {
                let r = rank(i);
                for (row, cells) in rows.iter().enumerate() {
                    proptest::prop_assert_eq!(cells[r], p.cells[row].as_str());
                }
                proptest::prop_assert_eq!(records[r].key, p.key.as_str());
                proptest::prop_assert_eq!(records[r].key_before, p.before.as_deref());
                proptest::prop_assert_eq!(records[r].key_filled, (p.flags & 1 != 0, p.flags & 2 != 0));
                let tasks: Vec<(String, Option<String>, u32)> = all_tasks[records[r].tasks.clone()]
                    .iter()
                    .map(|t| (t.html.to_string(), t.kpi.as_deref().map(str::to_string), t.department))
                    .collect();
                proptest::prop_assert_eq!(tasks, p.tasks.clone());
            }
        }
    }
}
