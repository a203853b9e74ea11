//! Inline SVG drawings whose geometry is computed here, in Rust; text is left to the
//! browser's fonts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::sanitize::escape;
use crate::model::{Department, Id};

const EMOTION_H: f32 = 60.0;

fn emotion_y(v: i8) -> f32 {
    6.0 + f32::from(2 - v.clamp(-2, 2)) * 12.0
}

/// The emotion curve of one journey, cut into one drawing per stage column, so that each piece
/// sits in its table cell and the curve lines up with the columns whatever their widths.
/// Each piece runs from the midpoint with the previous stage to the midpoint with the next.
pub fn emotion_pieces(values: &[Option<i8>]) -> Vec<String> {
    (0..values.len())
        .map(|i| emotion_piece(values, i))
        .collect()
}

/// The piece of [`emotion_pieces`] for stage column `i` (`""` without a value there).
pub fn emotion_piece(values: &[Option<i8>], i: usize) -> String {
    let Some(Some(v)) = values.get(i).copied() else {
        return String::new();
    };
    let y = emotion_y(v);
    let mut s = format!(
        "<svg class=\"emotion-curve\" viewBox=\"0 0 100 {EMOTION_H}\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
    );
    s.push_str("<line class=\"emotion-zero\" x1=\"0\" y1=\"30\" x2=\"100\" y2=\"30\"/>");
    if let Some(Some(p)) = i.checked_sub(1).map(|j| values[j]) {
        let py = (emotion_y(p) + y) / 2.0;
        let _ = write!(s, "<line x1=\"0\" y1=\"{py}\" x2=\"50\" y2=\"{y}\"/>");
    }
    if let Some(Some(n)) = values.get(i + 1) {
        let ny = (emotion_y(*n) + y) / 2.0;
        let _ = write!(s, "<line x1=\"50\" y1=\"{y}\" x2=\"100\" y2=\"{ny}\"/>");
    }
    let _ = write!(
        s,
        "<line class=\"emotion-dot emotion-{}\" x1=\"50\" y1=\"{y}\" x2=\"50\" y2=\"{y}\"/></svg>",
        level_class(v)
    );
    s
}

fn level_class(v: i8) -> &'static str {
    match v {
        i8::MIN..=-1 => "neg",
        0 => "zero",
        _ => "pos",
    }
}

/// Departments in the order of the funnel: suppliers before their clients (a topological
/// order of the client relation; cycles, such as feedback loops, are broken by id order).
pub fn funnel_order(departments: &BTreeMap<Id, std::sync::Arc<Department>>) -> Vec<&Id> {
    let ids: Vec<&Id> = departments.keys().collect();
    let mut indegree: BTreeMap<&Id, usize> = ids.iter().map(|i| (*i, 0)).collect();
    let mut edges: BTreeMap<&Id, BTreeSet<&Id>> = BTreeMap::new();
    for d in departments.values() {
        for c in d.clients.iter().map(|c| &c.value) {
            if let Some(target) = departments.get_key_value(c).map(|(k, _)| k)
                && target != &d.id
                && edges.entry(&d.id).or_default().insert(target)
            {
                *indegree.entry(target).or_default() += 1;
            }
        }
        for s in d.suppliers.iter().map(|s| &s.value) {
            if let Some(source) = departments.get_key_value(s).map(|(k, _)| k)
                && source != &d.id
                && edges.entry(source).or_default().insert(&d.id)
            {
                *indegree.entry(&d.id).or_default() += 1;
            }
        }
    }
    let mut order = Vec::new();
    let mut done: BTreeSet<&Id> = BTreeSet::new();
    while order.len() < ids.len() {
        // The first ready node in id order; if none (a cycle), the remaining one with the
        // fewest unmet suppliers.
        let next = ids
            .iter()
            .copied()
            .filter(|i| !done.contains(i))
            .min_by_key(|i| (indegree[i], *i))
            .expect("a remaining node");
        done.insert(next);
        order.push(next);
        if let Some(targets) = edges.get(next) {
            for t in targets {
                if let Some(n) = indegree.get_mut(t) {
                    *n = n.saturating_sub(1);
                }
            }
        }
    }
    order
}

/// Up to this many departments, each department page draws the whole organisation; beyond
/// it, only the department's neighbourhood (itself, its suppliers and clients, both ways),
/// at most this many boxes. Drawing everything on every page grew as n² bytes and n³ time
/// (1,000 departments in a ring: 77 s).
pub const WHOLE_CHAIN_MAX: usize = 30;

/// The chain of departments as a diagram: boxes in funnel order, arrows from supplier to
/// client (forward above, feedback below), the current department highlighted. Above
/// [`WHOLE_CHAIN_MAX`] departments, the current one's neighbourhood only.
pub fn department_chain(
    departments: &BTreeMap<Id, std::sync::Arc<Department>>,
    current: Option<&Id>,
    url: impl Fn(&Id) -> String,
    title: &str,
) -> String {
    match current {
        Some(c) if departments.len() > WHOLE_CHAIN_MAX => {
            draw_chain(&neighbourhood(departments, c), current, url, title)
        }
        _ => draw_chain(departments, current, url, title),
    }
}

/// `current`, the departments it names as clients or suppliers, and those that name it, up to
/// [`WHOLE_CHAIN_MAX`] in all (named ones first, then in id order).
fn neighbourhood(
    departments: &BTreeMap<Id, std::sync::Arc<Department>>,
    current: &Id,
) -> BTreeMap<Id, std::sync::Arc<Department>> {
    let mut near: BTreeMap<Id, std::sync::Arc<Department>> = BTreeMap::new();
    let mut take = |id: &Id| {
        if near.len() < WHOLE_CHAIN_MAX
            && let Some((k, d)) = departments.get_key_value(id)
        {
            near.entry(k.clone()).or_insert_with(|| d.clone());
        }
    };
    take(current);
    if let Some(d) = departments.get(current) {
        d.clients
            .iter()
            .chain(&d.suppliers)
            .for_each(|r| take(&r.value));
    }
    for d in departments.values() {
        if d.clients
            .iter()
            .chain(&d.suppliers)
            .any(|r| &r.value == current)
        {
            take(&d.id);
        }
    }
    near
}

fn draw_chain(
    departments: &BTreeMap<Id, std::sync::Arc<Department>>,
    current: Option<&Id>,
    url: impl Fn(&Id) -> String,
    title: &str,
) -> String {
    let order = funnel_order(departments);
    if order.is_empty() {
        return String::new();
    }
    let pos: BTreeMap<&Id, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let (w, gap, h, top) = (150.0_f32, 40.0_f32, 48.0_f32, 50.0_f32);
    let x = |i: usize| 10.0 + i as f32 * (w + gap);
    let width = x(order.len()) - gap + 10.0;
    let height = top + h + 50.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"department-chain\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"{}\">",
        escape(title)
    );
    s.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>");
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for d in departments.values() {
        for c in &d.clients {
            if let (Some(&a), Some(&b)) = (pos.get(&d.id), pos.get(&c.value)) {
                edges.insert((a, b));
            }
        }
        for sup in &d.suppliers {
            if let (Some(&a), Some(&b)) = (pos.get(&sup.value), pos.get(&d.id)) {
                edges.insert((a, b));
            }
        }
    }
    for &(a, b) in &edges {
        if a == b {
            continue;
        }
        let cy = top + h / 2.0;
        if b == a + 1 {
            let _ = write!(
                s,
                "<path class=\"edge\" d=\"M{} {cy} L{} {cy}\" marker-end=\"url(#arrow)\"/>",
                x(a) + w,
                x(b) - 2.0
            );
        } else {
            // Longer hops arc above (forward) or below (feedback).
            let (y0, bend) = if b > a {
                (top, top - 40.0)
            } else {
                (top + h, top + h + 40.0)
            };
            let (x0, x1) = (x(a) + w / 2.0 + 10.0, x(b) + w / 2.0 - 10.0);
            let class = if b > a { "edge" } else { "edge feedback" };
            let _ = write!(
                s,
                "<path class=\"{class}\" d=\"M{x0} {y0} C{x0} {bend} {x1} {bend} {x1} {}\" marker-end=\"url(#arrow)\"/>",
                if b > a { y0 - 2.0 } else { y0 + 2.0 }
            );
        }
    }
    for (i, id) in order.iter().enumerate() {
        let d = &departments[*id];
        let class = if Some(*id) == current {
            "node current"
        } else {
            "node"
        };
        let _ = write!(
            s,
            "<a href=\"{}\"><rect class=\"{class}\" x=\"{}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" rx=\"8\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"middle\">{}</text></a>",
            escape(&url(id)),
            x(i),
            x(i) + w / 2.0,
            top + h / 2.0,
            escape(&d.name.value)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emotion_pieces_meet_at_column_edges() {
        let p = emotion_pieces(&[Some(-2), Some(2), None, Some(0)]);
        // Between -2 (y=54) and 2 (y=6) the curve meets at y=30 on the shared edge.
        assert!(p[0].contains("x1=\"50\" y1=\"54\" x2=\"100\" y2=\"30\""));
        assert!(p[1].contains("x1=\"0\" y1=\"30\" x2=\"50\" y2=\"6\""));
        assert!(p[2].is_empty());
        // No line into a stage without a value.
        assert!(!p[1].contains("x1=\"50\" y1=\"6\" x2=\"100\""));
        // Stage 4 has no neighbour with a value: only the zero line and its dot.
        assert_eq!(p[3].matches("<line").count(), 2);
        assert_eq!(p[1].matches("<line").count(), 3);
    }
}
