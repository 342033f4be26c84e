//! Finds dependency cycles, hierarchy included: a parent finishes when its
//! children do, and a child starts only when its parent's dependencies are
//! done. Each cycle is named by task IDs, `1.2 → 1.3 → 1.2`.

use super::document::TaskList;

/// One cycle: the tasks in order (the first repeated at the end) and the
/// dependency mention that starts it, as (task, index into its deps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub tasks: Vec<usize>,
    pub mention: (usize, usize),
}

/// Graph nodes: `2t` is "t may start", `2t + 1` is "t is finished".
fn start(t: usize) -> usize {
    2 * t
}
fn finish(t: usize) -> usize {
    2 * t + 1
}

/// Every cycle among live tasks, one per strongly connected group. `edge_ok`
/// filters declared dependencies (those already reported otherwise are left out).
pub fn find(list: &TaskList, edge_ok: impl Fn(usize, usize) -> bool) -> Vec<Cycle> {
    if ordered_acyclic(list, &edge_ok) {
        return Vec::new();
    }
    search(list, edge_ok)
}

/// The full search: strongly connected groups of the start/finish graph.
fn search(list: &TaskList, edge_ok: impl Fn(usize, usize) -> bool) -> Vec<Cycle> {
    let n = list.tasks.len() * 2;
    let mut pairs: Vec<(usize, usize, Option<usize>)> = Vec::with_capacity(n * 2);
    for (t, task) in list.live_tasks() {
        if let Some(p) = task.parent.filter(|p| !list.tasks[*p].retired) {
            pairs.push((start(t), start(p), None));
            pairs.push((finish(p), finish(t), None));
        }
        if list.is_leaf(t) {
            pairs.push((finish(t), start(t), None));
        }
        for (d, dep) in task.deps.iter().enumerate() {
            if let Some(target) = dep.target.filter(|x| !list.tasks[*x].retired && edge_ok(t, d)) {
                pairs.push((start(t), finish(target), Some(d)));
            }
        }
    }
    let graph = Graph::new(n, pairs);
    let components = strongly_connected(&graph);
    let mut cycles = Vec::new();
    for component in components.iter().filter(|c| c.len() > 1) {
        let mut member = vec![false; n];
        for v in component {
            member[*v] = true;
        }
        // Start from the earliest task in the file that declares a
        // dependency inside the cycle, so the name reads from the top.
        let from = component
            .iter()
            .copied()
            .filter(|v| graph.edges(*v).iter().any(|e| member[e.0] && e.1.is_some()))
            .min_by_key(|v| list.tasks[*v / 2].line);
        let Some(from) = from else { continue };
        if let Some(path) = shortest_cycle(&graph, &member, from) {
            cycles.push(name(path, &graph));
        }
    }
    cycles
}

/// The common case, proved in one pass: when every parent comes before its
/// children and every dependency's whole subtree comes before the task that
/// declares it, no cycle is possible. (Rank "t may start" as 2·t and "t is
/// finished" as 2·(last line of t's subtree) + 1, ties broken by depth:
/// every edge then goes to a lower rank.)
fn ordered_acyclic(list: &TaskList, edge_ok: &impl Fn(usize, usize) -> bool) -> bool {
    let n = list.tasks.len();
    if list.tasks.iter().enumerate().any(|(t, task)| task.parent.is_some_and(|p| p > t)) {
        return false;
    }
    let mut last = (0..n).collect::<Vec<usize>>();
    for t in (0..n).rev() {
        if let Some(p) = list.tasks[t].parent {
            last[p] = last[p].max(last[t]);
        }
    }
    list.live_tasks().all(|(t, task)| {
        task.deps.iter().enumerate().all(|(d, dep)| match dep.target {
            Some(x) if !list.tasks[x].retired && edge_ok(t, d) => last[x] < t,
            _ => true,
        })
    })
}

/// Edges grouped by source node: `(target, declared dependency index)`.
struct Graph {
    offsets: Vec<usize>,
    targets: Vec<(usize, Option<usize>)>,
}

impl Graph {
    /// A counting sort by source node, keeping each node's edges in the order given.
    fn new(nodes: usize, pairs: Vec<(usize, usize, Option<usize>)>) -> Graph {
        let mut offsets = vec![0; nodes + 1];
        for p in &pairs {
            offsets[p.0 + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut targets = vec![(0, None); pairs.len()];
        for (from, to, mention) in pairs {
            targets[next[from]] = (to, mention);
            next[from] += 1;
        }
        Graph { offsets, targets }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn edges(&self, node: usize) -> &[(usize, Option<usize>)] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }
}

/// The shortest cycle through `from` inside one component, as a node list
/// starting with `from`.
fn shortest_cycle(graph: &Graph, member: &[bool], from: usize) -> Option<Vec<usize>> {
    let mut previous = vec![usize::MAX; graph.len()];
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for &(to, _) in graph.edges(v) {
            if !member[to] {
                continue;
            }
            if to == from {
                let mut path = vec![v];
                let mut at = v;
                while at != from {
                    at = previous[at];
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if previous[to] == usize::MAX {
                previous[to] = v;
                queue.push_back(to);
            }
        }
    }
    None
}

fn name(mut path: Vec<usize>, graph: &Graph) -> Cycle {
    // Every cycle holds a declared dependency (hierarchy edges alone only go
    // up from "start" nodes): begin the name there.
    let declared = |k: usize| {
        let (from, to) = (path[k], path[(k + 1) % path.len()]);
        graph.edges(from).iter().find(|e| e.0 == to && e.1.is_some()).and_then(|e| e.1)
    };
    let first_declared = (0..path.len()).find(|k| declared(*k).is_some()).unwrap_or(0);
    let mention = declared(first_declared).unwrap_or(0);
    path.rotate_left(first_declared);
    let first = path[0];
    let mut tasks: Vec<usize> = Vec::with_capacity(path.len() + 1);
    for node in path.iter().chain(std::iter::once(&first)) {
        let task = node / 2;
        if tasks.last() != Some(&task) {
            tasks.push(task);
        }
    }
    Cycle { tasks, mention: (first / 2, mention) }
}

/// Tarjan's algorithm without recursion (10,000-task files nest deeply);
/// only groups of two or more nodes are returned.
fn strongly_connected(graph: &Graph) -> Vec<Vec<usize>> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&(to, _)) = graph.edges(v).get(*edge) {
                *edge += 1;
                if index[to] == usize::MAX {
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[v] = low[v].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    if w == v && component.is_empty() {
                        break; // a lone node: no cycle, nothing to keep
                    }
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if !component.is_empty() {
                    components.push(component);
                }
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasklist::parse;

    /// Small plans with dependencies in every direction, from a fixed seed.
    fn plans() -> Vec<String> {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let ids = ["1", "1.1", "1.2", "1.2.1", "2", "2.1", "2.2", "3", "3.1"];
        (0..400)
            .map(|_| {
                let mut text = String::new();
                for id in ids {
                    let deps: Vec<&str> = (0..next(3)).map(|_| ids[next(ids.len() as u64) as usize]).collect();
                    text.push_str(&format!("- [ ] {id} t (deps: {})\n", if deps.is_empty() { "none".into() } else { deps.join(", ") }));
                }
                text
            })
            .collect()
    }

    #[test]
    fn the_ordered_shortcut_never_hides_a_cycle() {
        // Whenever the one-pass proof says "acyclic", the full search agrees.
        let mut shortcuts = 0;
        for text in plans() {
            let list = parse(text.as_bytes(), "t");
            let ok = |t: usize, d: usize| list.tasks[t].deps[d].target.is_some_and(|x| !list.is_within(x, t) && !list.is_within(t, x));
            if ordered_acyclic(&list, &ok) {
                shortcuts += 1;
                assert!(search(&list, ok).is_empty(), "{text}");
            }
        }
        assert!(shortcuts > 10, "the generator must exercise the shortcut ({shortcuts})");
    }
}
