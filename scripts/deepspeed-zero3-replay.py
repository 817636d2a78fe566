#!/usr/bin/env python3
"""Replays DeepSpeed ZeRO-3's parameter coordinator (v0.8.1,
deepspeed/runtime/zero/partitioned_param_coordinator.py: fetch_sub_module's prefetch,
release_sub_module's reuse-distance rule) over the module traces of BLOOM-7B1, mT0-XXL and T0-3B
under LoRA, one GPU, and prints the most parameters gathered at once (the staging copy of a
parameter being gathered included). It checks the closed form Loom uses
(`Sources/CostModel/DeepSpeedZeRO3Buffers.swift`: max_live + 2 x the largest parameter with
offload). DeepSpeed defaults: stage3_max_live_parameters 1e9, stage3_prefetch_bucket_size 5e7,
stage3_max_reuse_distance 1e9, stage3_param_persistence_threshold 1e5 (persistent parameters
are left out). Usage: python3 scripts/deepspeed-zero3-replay.py
"""
import collections

PERSIST, MAX_LIVE, PREFETCH, REUSE = 1e5, 1e9, 5e7, 1e9


def replay(forward, first_with_grad):
    """forward: [(name, [(param, numel)], input_requires_grad)]; the backward visits the modules
    from first_with_grad on in reverse (those whose output requires grad)."""
    trace = [(m, "f") for m in forward] + [(m, "b") for m in reversed(forward[first_with_grad:])]
    modules = [m for m, _ in trace]
    params = lambda m: [p for p in m[1] if p[1] > PERSIST]
    queue = collections.deque((p, step) for step, m in enumerate(modules) for p in sorted(set(params(m))))
    recent = collections.defaultdict(lambda: -10**10)
    available, n_available, peak = {}, 0, 0
    for step, (m, kind) in enumerate(trace):
        wanted = set(params(m))
        staging = 0
        for name, numel in wanted:
            if name not in available:
                available[name] = numel
                n_available += numel
                staging = max(staging, numel)
        peak = max(peak, sum(available.values()) + staging)
        not_fetched = {p for p in wanted if recent[p] < step}
        popped = set()
        while queue and len(popped) < len(not_fetched):
            p, s = queue.popleft()
            recent[p] = s
            popped.add(p)
        room = min(MAX_LIVE - n_available, PREFETCH)
        prefetching, prefetch = 0, set()
        while queue and prefetching < room:
            p, s = queue.popleft()
            if p[0] not in available and p not in prefetch:
                prefetch.add(p)
                prefetching += p[1]
            recent[p] = max(recent[p], s)
        staging = 0
        for name, numel in prefetch:
            available[name] = numel
            n_available += numel
            staging = max(staging, numel)
        peak = max(peak, sum(available.values()) + staging)
        if kind == "b" and not m[2]:
            continue  # no post-backward hook fires for a module whose input needs no gradient
        release = {p for p in wanted if recent[p] <= step + 1}
        traversed = 0
        for later in modules[step + 1:]:
            if traversed >= REUSE:
                break
            for p in params(later):
                release.discard(p)
                traversed += p[1]
        for name, _ in release:
            if name in available:
                n_available -= available.pop(name)
    return peak


def bloom(layers=30, h=4096, vocab=250880):
    embedding = ("word_embeddings", vocab * h)  # tied: also the output layer
    forward = [("word_embeddings", [embedding], False)]
    for l in range(layers):
        forward += [(f"qkv{l}", [(f"qkv{l}", 3 * h * h)], l > 0), (f"dense{l}", [(f"dense{l}", h * h)], True),
                    (f"h_to_4h{l}", [(f"h_to_4h{l}", 4 * h * h)], True),
                    (f"4h_to_h{l}", [(f"4h_to_h{l}", 4 * h * h)], True)]
    forward.append(("lm_head", [embedding], True))
    return forward


def t5(layers, d, inner, ff, vocab, tied, gated):
    shared = ("shared", vocab * d)
    forward = [("encoder.embed_tokens", [shared], False)]

    def block(prefix, l, cross):
        mods = []
        for part in ["self"] + (["cross"] if cross else []):
            mods += [(f"{prefix}{part}.{w}{l}", [(f"{prefix}{part}.{w}{l}", d * inner)], True) for w in "qkvo"]
        mods += [(f"{prefix}wi{i}{l}", [(f"{prefix}wi{i}{l}", d * ff)], True) for i in range(2 if gated else 1)]
        mods.append((f"{prefix}wo{l}", [(f"{prefix}wo{l}", d * ff)], True))
        return mods

    for l in range(layers):
        forward += block("encoder.", l, False)
    forward.append(("decoder.embed_tokens", [shared], False))
    for l in range(layers):
        forward += block("decoder.", l, True)
    forward.append(("lm_head", [shared if tied else ("lm_head", vocab * d)], True))
    return forward


if __name__ == "__main__":
    cases = [("bloomz-7b1", bloom(), 250880 * 4096),
             ("mt0-xxl", t5(24, 4096, 4096, 10240, 250112, False, True), 250112 * 4096),
             ("t0-3b", t5(24, 1024, 4096, 16384, 32128, True, False), 32128 * 1024)]
    for name, forward, largest in cases:
        peak = replay(forward, 1)
        print(f"{name}: replay {peak / 1e9:.3f}e9 gathered parameters; "
              f"closed form 1e9 + 2 x largest = {(MAX_LIVE + 2 * largest) / 1e9:.3f}e9")
