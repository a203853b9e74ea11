//! The tasks of one journey stage, which have no ids: matched by content, then by text
//! under another department (a move), then by department in order (a rewording).

use super::{Moved, Names, o, s};
use crate::diff::change::Change;
use crate::model::Task;

pub(super) fn same_task(a: &Task, b: &Task) -> bool {
    a.department == b.department && a.task == b.task && a.kpi == b.kpi
}

/// Tasks have no ids: match equal tasks first, then the same text under another department
/// (a move), then the same department in order (a rewording); the rest were added or removed.
pub(super) fn tasks(
    a: &[Task],
    b: &[Task],
    at_stage: &dyn Fn(&'static str) -> Change,
    on: &Names,
    nn: &Names,
    moved: &Moved,
    out: &mut Vec<Change>,
) {
    let dept = |x: &Task| moved.department(&x.department.value).clone();
    let mut left: Vec<Option<&Task>> = a.iter().map(Some).collect();
    let mut right: Vec<Option<&Task>> = b.iter().map(Some).collect();
    let _ = take_pairs(
        &|x, y| dept(x) == y.department.value && x.task == y.task && x.kpi == y.kpi,
        &mut left,
        &mut right,
    );
    for (x, y) in take_pairs(
        &|x, y| x.task == y.task && dept(x) != y.department.value,
        &mut left,
        &mut right,
    ) {
        let mut c = at_stage("task.moved")
            .field("department")
            .values(
                Some(on.department(&x.department.value).name),
                Some(nn.department(&y.department.value).name),
            )
            .notify(x.department.value.as_str())
            .notify(y.department.value.as_str());
        c.department = Some(nn.department(&y.department.value));
        c.words.clear();
        c.task = Some(y.task.value.clone());
        out.push(c);
        if x.kpi != y.kpi {
            out.push(kpi_change(at_stage, x, y, nn));
        }
    }
    for (x, y) in take_pairs(&|x, y| dept(x) == y.department.value, &mut left, &mut right) {
        if x.task != y.task {
            out.push(task_text(at_stage, x, y, nn));
        }
        if x.kpi != y.kpi {
            out.push(kpi_change(at_stage, x, y, nn));
        }
    }
    for y in right.into_iter().flatten() {
        let mut c = at_stage("task.added")
            .values(None, Some(s(&y.task)))
            .notify(y.department.value.as_str());
        c.department = Some(nn.department(&y.department.value));
        if let Some(k) = &y.kpi {
            c.field = Some("task");
            c.old = None;
            c.new = Some(format!("{} (KPI: {})", y.task.value, k.value));
        }
        out.push(c);
    }
    for x in left.into_iter().flatten() {
        let mut c = at_stage("task.removed")
            .values(Some(s(&x.task)), None)
            .notify(x.department.value.as_str());
        c.department = Some(on.department(&x.department.value));
        out.push(c);
    }
}

/// Pair up tasks of both sides that satisfy `pred`, taking them out of the lists.
fn take_pairs<'t>(
    pred: &dyn Fn(&Task, &Task) -> bool,
    left: &mut [Option<&'t Task>],
    right: &mut [Option<&'t Task>],
) -> Vec<(&'t Task, &'t Task)> {
    let mut pairs = Vec::new();
    for l in left.iter_mut() {
        let Some(x) = *l else { continue };
        if let Some(r) = right.iter_mut().find(|r| r.is_some_and(|y| pred(x, y)))
            && let Some(y) = r.take()
        {
            pairs.push((x, y));
            *l = None;
        }
    }
    pairs
}

fn task_text(at_stage: &dyn Fn(&'static str) -> Change, x: &Task, y: &Task, nn: &Names) -> Change {
    let mut c = at_stage("task.changed")
        .field("task")
        .values(Some(s(&x.task)), Some(s(&y.task)))
        .notify(y.department.value.as_str());
    c.department = Some(nn.department(&y.department.value));
    c
}

fn kpi_change(at_stage: &dyn Fn(&'static str) -> Change, x: &Task, y: &Task, nn: &Names) -> Change {
    let mut c = at_stage("task.kpi.changed")
        .field("kpi")
        .values(o(&x.kpi), o(&y.kpi))
        .notify(y.department.value.as_str());
    c.department = Some(nn.department(&y.department.value));
    c.task = Some(y.task.value.clone());
    c
}
