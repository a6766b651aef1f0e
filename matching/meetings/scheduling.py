"""The 1:1 slot scheduler: pure, deterministic, no database.

A meeting has `slot_count` short slots and at most `tables` 1:1 meetings can run in one slot
(0 = no limit). Each accepted request pairs a business (left) with a provider (right). We want
as many requests as possible in slots, with nobody in two places in one slot and no slot with
more meetings than tables.

Because every request joins a business with a provider, the requests form a bipartite graph and
a schedule is an edge colouring with `slot_count` colours. That makes the best answer exact, not
a heuristic:

1. *Which requests*: the largest set in which nobody has more than `slot_count` meetings and
   there are at most `slot_count × tables` in all. That is a maximum flow (source → business,
   capacity `slot_count`; business → provider, 1 per request; provider → sink, `slot_count`; the
   source itself capped at the total), found with shortest augmenting paths (Edmonds–Karp).
2. *Which slot*: König's theorem says a bipartite graph whose degrees are at most k can be edge
   coloured with k colours; we colour request by request, swapping two colours along an
   alternating path when the free colours of the two ends differ.
3. *Tables*: two colour classes can be evened out by swapping colours along a path of their
   union that has one more edge of the fuller colour, so every slot ends up within the table
   limit whenever the total allows it (de Werra's equitable colouring).

Everything iterates in a fixed order (request ids, then node keys), so the same input always
gives the same schedule.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

Node = tuple[str, int]  # ("L", business id) or ("R", provider id)


@dataclass(frozen=True)
class SlotPair:
    """An accepted request: `left` (business) and `right` (provider) want to meet."""

    id: int
    left: int
    right: int


@dataclass
class Schedule:
    slot_of: dict[int, int] = field(default_factory=dict)  # request id -> slot (0-based)
    table_of: dict[int, int] = field(default_factory=dict)  # request id -> table (1-based)
    unscheduled: list[int] = field(default_factory=list)  # request ids, ascending

    def by_slot(self) -> dict[int, list[int]]:
        slots: dict[int, list[int]] = {}
        for request_id, slot in sorted(self.slot_of.items()):
            slots.setdefault(slot, []).append(request_id)
        return slots


class _Flow:
    """A small max-flow network (Edmonds–Karp) with integer capacities."""

    def __init__(self) -> None:
        self.to: list[int] = []
        self.cap: list[int] = []
        self.adj: list[list[int]] = []

    def node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def edge(self, a: int, b: int, capacity: int) -> int:
        self.to += [b, a]
        self.cap += [capacity, 0]
        self.adj[a].append(len(self.to) - 2)
        self.adj[b].append(len(self.to) - 1)
        return len(self.to) - 2

    def run(self, source: int, sink: int) -> int:
        total = 0
        while True:
            parent = [-1] * len(self.adj)
            parent[source] = -2
            queue = deque([source])
            while queue and parent[sink] == -1:
                at = queue.popleft()
                for e in self.adj[at]:
                    if self.cap[e] > 0 and parent[self.to[e]] == -1:
                        parent[self.to[e]] = e
                        queue.append(self.to[e])
            if parent[sink] == -1:
                return total
            at = sink  # every capacity on an augmenting path here is at least 1: push 1
            while at != source:
                e = parent[at]
                self.cap[e] -= 1
                self.cap[e ^ 1] += 1
                at = self.to[e ^ 1]
            total += 1


def _select(pairs: list[SlotPair], slot_count: int, limit: int | None) -> list[SlotPair]:
    """The largest set of pairs in which nobody has more than `slot_count` meetings."""
    flow = _Flow()
    top, source, sink = flow.node(), flow.node(), flow.node()
    flow.edge(top, source, limit if limit is not None else len(pairs))
    nodes: dict[Node, int] = {}
    for pair in pairs:
        for key in (("L", pair.left), ("R", pair.right)):
            if key not in nodes:
                nodes[key] = flow.node()
                if key[0] == "L":
                    flow.edge(source, nodes[key], slot_count)
                else:
                    flow.edge(nodes[key], sink, slot_count)
    edge_of = {pair.id: flow.edge(nodes[("L", pair.left)], nodes[("R", pair.right)], 1)
               for pair in pairs}
    flow.run(top, sink)
    return [pair for pair in pairs if flow.cap[edge_of[pair.id]] == 0]


def _colour(pairs: list[SlotPair], slot_count: int) -> dict[int, int]:
    """König edge colouring: request id -> colour in range(slot_count)."""
    ends = {pair.id: (("L", pair.left), ("R", pair.right)) for pair in pairs}
    at: dict[Node, dict[int, int]] = {}  # node -> colour -> request id
    colour: dict[int, int] = {}

    def free(node: Node) -> int:
        used = at.setdefault(node, {})
        return next(c for c in range(slot_count) if c not in used)

    def other(request_id: int, node: Node) -> Node:
        a, b = ends[request_id]
        return b if node == a else a

    for pair in pairs:
        u, v = ends[pair.id]
        a, b = free(u), free(v)
        if a in at[v]:
            # Swap a and b along the a/b path from v; it cannot reach u (the graph is
            # bipartite and a is free at u), and afterwards a is free at v.
            path, node, c = [], v, a
            while c in at.get(node, {}):
                request_id = at[node][c]
                path.append(request_id)
                node = other(request_id, node)
                c = b if c == a else a
            for request_id in path:
                for end in ends[request_id]:
                    del at[end][colour[request_id]]
            for request_id in path:
                colour[request_id] = b if colour[request_id] == a else a
                for end in ends[request_id]:
                    at.setdefault(end, {})[colour[request_id]] = request_id
        colour[pair.id] = a
        at[u][a] = pair.id
        at[v][a] = pair.id
    return colour


def _even_out(pairs: list[SlotPair], colour: dict[int, int], slot_count: int,
              tables: int) -> None:
    """Move meetings from over-full slots to the emptiest ones until each fits the tables."""
    ends = {pair.id: (("L", pair.left), ("R", pair.right)) for pair in pairs}
    while True:
        sizes = [0] * slot_count
        for c in colour.values():
            sizes[c] += 1
        full = max(range(slot_count), key=lambda c: (sizes[c], -c))
        if sizes[full] <= tables:
            return
        light = min(range(slot_count), key=lambda c: (sizes[c], c))
        by_node: dict[Node, dict[int, int]] = {}
        for request_id, c in colour.items():
            if c in (full, light):
                for end in ends[request_id]:
                    by_node.setdefault(end, {})[c] = request_id
        # A path that starts with a `full` edge at a node without a `light` edge and also ends
        # with a `full` edge has one `full` edge more; swapping it moves one meeting over.
        for start in sorted(by_node):
            if full not in by_node[start] or light in by_node[start]:
                continue
            path, node, c = [], start, full
            while c in by_node.get(node, {}):
                request_id = by_node[node][c]
                path.append(request_id)
                a, b = ends[request_id]
                node = b if node == a else a
                c = light if c == full else full
            if len(path) % 2 == 1:
                for request_id in path:
                    colour[request_id] = light if colour[request_id] == full else full
                break
        else:  # pragma: no cover - impossible when the total fits (see the module docstring)
            raise AssertionError("no alternating path to even out the slots")


def schedule(requests: Iterable[SlotPair], *, slot_count: int, tables: int = 0) -> Schedule:
    """Put as many requests as possible into slots. Duplicate pairs count once."""
    ordered = sorted(requests, key=lambda pair: pair.id)
    lefts = {pair.left for pair in ordered}
    rights = {pair.right for pair in ordered}
    if lefts & rights:
        raise ValueError("a participant is on both sides of the 1:1 requests")
    result = Schedule()
    seen: set[tuple[int, int]] = set()
    unique: list[SlotPair] = []
    for pair in ordered:
        if (pair.left, pair.right) in seen:
            result.unscheduled.append(pair.id)
        else:
            seen.add((pair.left, pair.right))
            unique.append(pair)
    if slot_count <= 0:
        result.unscheduled = [pair.id for pair in ordered]
        return result
    limit = slot_count * tables if tables > 0 else None
    chosen = _select(unique, slot_count, limit)
    colour = _colour(chosen, slot_count)
    if tables > 0:
        _even_out(chosen, colour, slot_count, tables)
    result.slot_of = dict(sorted(colour.items()))
    for ids in result.by_slot().values():
        for table, request_id in enumerate(ids, start=1):
            result.table_of[request_id] = table
    chosen_ids = set(colour)
    result.unscheduled = sorted(set(result.unscheduled)
                                | {pair.id for pair in unique if pair.id not in chosen_ids})
    return result
